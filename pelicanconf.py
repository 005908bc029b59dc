"""Pelican settings for previews and `make site` (publishconf.py overrides them for publishing)."""

from gongshi_portal.markup import FILTERS

SITENAME = "行政执法信息公示平台"  # replaced by portal.yaml's name in every template
SITEURL = ""
PATH = "content"
OUTPUT_PATH = "output"
THEME = "theme"
TIMEZONE = "Asia/Shanghai"
DEFAULT_LANG = "zh-CN"
DEFAULT_DATE = "fs"

PLUGIN_PATHS = ["plugins"]
PLUGINS = ["gongshi_portal", "gongshi_admin", "gongshi_trust"]

# Every link is relative, so the site works under any sub-path of any mirror.
RELATIVE_URLS = True

# Templates autoescape; only sanitised HTML is marked safe (gongshi_portal.markup.sanitise).
JINJA_ENVIRONMENT = {
    "autoescape": True,
    "trim_blocks": True,
    "lstrip_blocks": True,
    "extensions": [],
}
JINJA_FILTERS = FILTERS

# Records are not articles: Pelican reads only the Markdown pages in content/pages/.
ARTICLE_PATHS: list[str] = []
PAGE_PATHS = ["pages"]
STATIC_PATHS: list[str] = []
PAGE_URL = "pages/{slug}.html"
PAGE_SAVE_AS = "pages/{slug}.html"
DIRECT_TEMPLATES: list[str] = []  # index.html is written by gongshi_portal
for _kind in (
    "ARCHIVES",
    "AUTHORS",
    "CATEGORIES",
    "TAGS",
    "CATEGORY",
    "TAG",
    "AUTHOR",
    "ARTICLE",
    "DRAFT",
    "DRAFT_PAGE",
    "ARTICLE_LANG",
    "PAGE_LANG",
    "YEAR_ARCHIVE",
    "MONTH_ARCHIVE",
    "DAY_ARCHIVE",
):
    globals()[f"{_kind}_SAVE_AS"] = ""

# Pelican's own feeds are off; gongshi writes feeds/decisions.atom.xml itself.
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

LOAD_CONTENT_CACHE = False
DELETE_OUTPUT_DIRECTORY = True

# Gongshi's own settings; `gongshi build --as-of DATE` sets as_of (default: today).
GONGSHI = {"as_of": None, "publish": False}

# The web forms under admin/ (docs/web-forms.md). Without a backend, the forms save into a local
# checkout through decap-server; for a forge set, for example,
# "backend": {"name": "gitea", "repo": "zfgs/portal", "base_url": "https://git.example.gov.cn",
#             "api_root": "https://git.example.gov.cn/api/v1", "app_id": "<OAuth client id>"}.
GONGSHI_ADMIN = {"enabled": True, "backend": None, "local_backend": True}
