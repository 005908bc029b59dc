"""Publishing settings: pelicanconf.py plus what production needs, nothing else."""

import os
import sys

sys.path.append(os.path.dirname(__file__))

from pelicanconf import *  # noqa: F403

# Feeds need absolute URLs; pages stay relative so mirrors work under any path.
SITEURL = os.environ.get("GONGSHI_SITEURL", "")
FEED_DOMAIN = SITEURL
# Merged, so what pelicanconf.py sets in GONGSHI (search, trust) applies to publishing too.
GONGSHI = {**GONGSHI, "publish": True}  # noqa: F405
