"""Puts what verify.html shows into the shared context and publishes the public key.

It runs before the seal, so the page and the key file are covered by SHA256SUMS. The page itself
is planned and written with the portal's other pages (gongshi_portal.pages); this generator only
reads the key: a publish build with an unusable key stops here, before anything is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pelican.generators import Generator

from .config import PUBLIC_KEY, trust_settings
from .keys import public_pem
from .seal import provenance_of, signing_key


class TrustGenerator(Generator):  # type: ignore[misc]  # Pelican ships no type hints
    def generate_context(self) -> None:
        trust = trust_settings(self.settings)
        key = signing_key(self.settings, trust, warn=True)
        self._public = public_pem(key.public_key()) if key else None
        self.context["trust"] = provenance_of(self.settings, key, trust)

    def generate_output(self, _writer: Any) -> None:
        if self._public is not None:
            (Path(self.output_path) / PUBLIC_KEY).write_bytes(self._public)
