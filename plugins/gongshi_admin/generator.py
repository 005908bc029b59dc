"""The Pelican generator that writes admin/ after the portal's generator has read the records."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gongshi_portal.buildcache import SETTING as CACHE_SETTING
from gongshi_portal.buildcache import BuildCache, make_group
from pelican.generators import Generator

from .config import SETTING, read_settings
from .writer import ADMIN_DIR, write_admin

INDEX = f"{ADMIN_DIR}/index.html"


class AdminGenerator(Generator):  # type: ignore[misc]  # Pelican ships no type hints
    """Writes every agency's web-form page and config.yml, and the page listing them."""

    def generate_context(self) -> None:
        self.admin = read_settings(self.settings.get(SETTING))

    def generate_output(self, writer: Any) -> None:
        if not self.admin.enabled:
            return
        site = self.context["gongshi"]  # gongshi_portal's Site, read once for the whole build
        agencies = {str(r.key): str(r.get("name", default=r.key)) for r in site.agencies()}
        output = Path(self.output_path)
        # The previous forms and configs, when made from the same agencies and code.
        cache: BuildCache | None = self.settings.get(CACHE_SETTING)
        make_group(
            self.settings,
            ADMIN_DIR,
            cache.base_print if cache is not None else None,
            output,
            [ADMIN_DIR],
            lambda: write_admin(output, agencies, self.admin),
        )
        writer.write_file(
            INDEX,
            self.get_template("admin_index"),
            self.context,
            relative_urls=True,
            page_name=INDEX,
            agencies=sorted(agencies.items()),
        )
