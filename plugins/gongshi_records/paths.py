"""Where the project's own folders are: schemas/, theme/, node_modules/ beside plugins/.

Gongshi is installed editable (`pip install -e .` in the Makefile; the CI workflows in
scripts/forges/ do the same with a checkout of a release), so the package folders stay inside the
checkout and these paths hold for the build, the commands and the tests alike.

One other layout exists: the pre-commit hook (.pre-commit-hooks.yaml) makes pre-commit install
Gongshi as an ordinary wheel, far from any checkout. `gongshi validate` needs only the schemas, so
the wheel carries them as data files (pyproject.toml: `share/gongshi/schemas`), found here when
there is no checkout around the package. Building the site still needs a checkout.
"""

from __future__ import annotations

import site
import sysconfig
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
THEME_DIR = PROJECT_ROOT / "theme"
NODE_MODULES = PROJECT_ROOT / "node_modules"

# pyproject.toml [tool.setuptools.data-files]: where pip puts them under the install prefix.
INSTALLED_SCHEMAS = Path("share", "gongshi", "schemas")


def _schema_dir() -> Path:
    beside = PROJECT_ROOT / "schemas"
    if (PROJECT_ROOT / "plugins").is_dir() and beside.is_dir():  # a checkout, not site-packages
        return beside
    for prefix in (sysconfig.get_path("data"), site.getuserbase()):
        installed = Path(prefix) / INSTALLED_SCHEMAS
        if installed.is_dir():
            return installed
    return beside  # neither: the error names the checkout's folder, where schemas belong


SCHEMA_DIR = _schema_dir()
