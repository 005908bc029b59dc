"""Attachments are files of the build machine that a clerk's record names: only a regular PDF
inside the agency's own ``files/`` folder may ever be published (issue 11: a symlink to
/etc/passwd, or a newline that slipped a ``..`` past the schema, once published any file).

The validator reports what is wrong with an attachment (``attachment_problem``) and the portal
copies only what :func:`attachment_source` resolves, so even a build that skipped validation
cannot publish a file from outside ``files/``.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from .contentfiles import first_symlink

# Scanned PDFs of a decision run to a few MB; anything far larger is a mistake (a video, an
# archive) that would bloat every mirror.
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
_UNSAFE = re.compile(r"[\x00-\x1f\x7f\\]")


def attachment_problem(content_dir: Path, agency: str, name: str) -> tuple[str, str] | None:
    """(rule, Chinese message) when ``name`` (a record's ``attachments[].file``) may not be
    published; None when it names a regular PDF inside the agency's ``files/``."""
    if _UNSAFE.search(name) or _escapes(name):
        return "attachment.path", (
            "附件路径不能含控制字符（换行、制表符等）、反斜杠、“..”或以 / 开头："
            "请写 files/ 下的相对路径，例如 2024/qxscjg-2024-12.pdf"
        )
    files = content_dir / "agencies" / agency / "files"
    link = _first_link(content_dir, agency, name)
    if link is not None:
        return "attachment.symlink", (
            f"附件 files/{name} 经过符号链接 {link}："
            "只能公示实际放在 files/ 中的文件，请把文件本身放进去"
        )
    source = files / name
    if not source.is_file():
        return (
            "reference.file",
            f"附件 files/{name} 不存在：请把文件放到 agencies/{agency}/files/ 下",
        )
    if source.suffix.lower() != ".pdf":
        return "attachment.type", f"附件 files/{name} 不是 PDF 文件：公示附件只能是 PDF（.pdf）"
    if source.stat().st_size > MAX_ATTACHMENT_BYTES:
        size = MAX_ATTACHMENT_BYTES // (1024 * 1024)
        return "attachment.size", f"附件 files/{name} 超过 {size} MB：请压缩或拆分后再公示"
    return None


def attachment_source(content_dir: Path, agency: str, name: str) -> Path | None:
    """The file to publish for ``name``, or None when :func:`attachment_problem` objects."""
    if attachment_problem(content_dir, agency, name) is not None:
        return None
    return content_dir / "agencies" / agency / "files" / name


def _escapes(name: str) -> bool:
    path = PurePosixPath(name)
    return not name or path.is_absolute() or any(part in ("..", "") for part in name.split("/"))


def _first_link(content_dir: Path, agency: str, name: str) -> str | None:
    """The first symlink on the way from content/agencies/ down to the attachment, if any:
    the agency folder, ``files/``, a folder inside it, or the file itself."""
    parts = ("agencies", agency, "files", *PurePosixPath(name).parts)
    link = first_symlink(content_dir, parts)
    return None if link is None else link.relative_to(content_dir).as_posix()
