"""Decisions' texts read as plain text, kept from one build to the next.

In a rebuild after one decision changed, few pages are rendered, so the Markdown of the other
decisions' facts, basis and content was not converted for a page first: reading all of it as
plain text again for the open data was most of that data's time (50 CPU s at 100,000
decisions). A text's plain text depends on the text and the code alone, so the build cache
keeps each one under the text's digest (``plain-texts``) and the next build reads it back.

Made for one code (the build's code digest: the Markdown conversion, this reading and the
installed packages); written again after each build with only the texts that build read, so
it does not grow. A file that is missing, damaged or of other code is ignored. An
optimisation only: without it every text is converted (the same bytes).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Iterable
from pathlib import Path

from .plaintext import markdown_text

log = logging.getLogger(__name__)

FILE_NAME = "plain-texts"
_FORMAT = "gongshi-plain-texts 1"


def text_digest(text: str) -> str:
    encoded = text.encode("utf-8", "surrogatepass")
    return hashlib.blake2b(encoded, digest_size=16).hexdigest()


class PlainTexts:
    """``markdown_text`` with the answers of the previous build kept in ``folder`` (none:
    every text converted)."""

    def __init__(self, folder: Path | None = None, key: str = "") -> None:
        self.folder, self.key = folder, key
        self._known: dict[str, str] | None = None

    @property
    def known(self) -> dict[str, str]:
        if self._known is None:
            self._known = self._load() if self.folder else {}
        return self._known

    def of(self, source: object) -> str:
        if source is None or source == "":
            return ""
        text = str(source)
        known = self.known.get(text_digest(text)) if self.folder else None
        return markdown_text(text) if known is None else known

    def _load(self) -> dict[str, str]:
        assert self.folder is not None
        path = self.folder / FILE_NAME
        try:
            data = json.loads(path.read_bytes().decode("utf-8", "surrogatepass"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, RecursionError) as problem:
            log.warning("gongshi: 忽略无法读取的 %s（%s）", path, problem)
            return {}
        if not isinstance(data, dict) or data.get("format") != _FORMAT:
            log.warning("gongshi: 忽略格式不对的 %s", path)
            return {}
        if data.get("key") != self.key:
            return {}  # made by other code: not a problem, just of no use
        texts = data.get("texts")
        if not isinstance(texts, dict) or not all(isinstance(v, str) for v in texts.values()):
            log.warning("gongshi: 忽略格式不对的 %s", path)
            return {}
        return texts

    def save(self, pairs: Iterable[tuple[object, str]]) -> None:
        """Keep (text, its plain text) of this build's texts for the next; nothing without a
        folder. Renamed over the old file, so a reader never sees half of one."""
        if self.folder is None:
            return
        texts = {
            text_digest(str(source)): plain
            for source, plain in pairs
            if source is not None and source != ""
        }
        body = {"format": _FORMAT, "key": self.key, "texts": texts}
        path = self.folder / FILE_NAME
        temporary = path.with_name(f".{FILE_NAME}.tmp")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            encoded = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
            temporary.write_bytes(encoded.encode("utf-8", "surrogatepass"))
            os.replace(temporary, path)
        except OSError as problem:
            log.warning("gongshi: 无法写入 %s（%s）", path, problem)
        self._known = None  # read back from the file if asked again
