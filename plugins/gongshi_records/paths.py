"""Where the project's own folders are: schemas/, theme/, node_modules/ beside plugins/.

Gongshi is installed editable (`pip install -e .` in the Makefile), so the package folders stay
inside the checkout and these paths hold for the build, the commands and the tests alike.
"""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SCHEMA_DIR = PROJECT_ROOT / "schemas"
THEME_DIR = PROJECT_ROOT / "theme"
NODE_MODULES = PROJECT_ROOT / "node_modules"
