"""Gongshi's web forms: Decap CMS pages under admin/, configured from the JSON Schemas."""

from .config import AdminSettings, AdminSettingsError, read_settings, render_config
from .plugin import register
from .writer import AdminBuildError, write_admin

__all__ = [
    "AdminBuildError",
    "AdminSettings",
    "AdminSettingsError",
    "read_settings",
    "register",
    "render_config",
    "write_admin",
]
