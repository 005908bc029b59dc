"""Checking a copy of the site against its SHA256SUMS and signed statement.

Everything read from the copy is untrusted: the manifest's paths are checked before any is
opened, the statement is parsed strictly, and each difference becomes one Chinese line. The
caller decides the exit code (0 clean, 1 any finding) and keeps the rollback state.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from .config import MANIFEST, SEAL_FILES, SIGNATURE, STATEMENT
from .keys import fingerprint
from .manifest import parse_manifest
from .sources import ReadFailed, Source, SourceUnavailable
from .statement import Statement, StatementInvalid, parse_statement

MANIFEST_LIMIT = 64 << 20
STATEMENT_LIMIT = 1 << 16
SIGNATURE_LIMIT = 1 << 10


@dataclass
class Outcome:
    files: int = 0
    findings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # said on a clean run too, not differences
    statement: Statement | None = None

    @property
    def clean(self) -> bool:
        return not self.findings


def verify(
    source: Source,
    *,
    key: Ed25519PublicKey | None,
    as_of: dt.date,
    highest_serial: int | None = None,
) -> Outcome:
    """Check ``source``; ``highest_serial`` is the highest serial seen before (rollback)."""
    outcome = Outcome()
    manifest_bytes = _read(source, MANIFEST, MANIFEST_LIMIT)
    if manifest_bytes is None:
        raise SourceUnavailable(f"{source.location} 没有 {MANIFEST}：这不是 gongshi 生成的网站")
    manifest = parse_manifest(manifest_bytes)
    outcome.findings += manifest.problems
    _check_statement(source, outcome, manifest_bytes, key, as_of, highest_serial)
    for entry in manifest.entries:
        outcome.files += 1
        try:
            actual = source.digest(entry.path)
        except ReadFailed as failed:
            outcome.findings.append(f"无法读取：{entry.path}（{failed}）")
            continue
        if actual is None:
            outcome.findings.append(f"缺失：{entry.path}")
        elif actual != entry.sha256:
            outcome.findings.append(f"被改动：{entry.path}（内容与 {MANIFEST} 不符）")
    listing = source.listing()
    if listing is not None:
        listed = {entry.path for entry in manifest.entries}
        for name in listing:
            if name not in listed and name not in SEAL_FILES:
                outcome.findings.append(f"多出：{name}（不在 {MANIFEST} 中）")
    return outcome


def _read(source: Source, name: str, limit: int) -> bytes | None:
    try:
        return source.read(name, limit)
    except ReadFailed as failed:
        raise SourceUnavailable(f"无法读取 {source.location} 的 {name}：{failed}") from failed


def _check_statement(
    source: Source,
    outcome: Outcome,
    manifest: bytes,
    key: Ed25519PublicKey | None,
    as_of: dt.date,
    highest_serial: int | None,
) -> None:
    try:
        data = source.read(STATEMENT, STATEMENT_LIMIT)
    except ReadFailed as failed:
        outcome.findings.append(f"声明无效：{STATEMENT}（{failed}）")
        return
    if data is None:
        outcome.findings.append(f"声明缺失：没有 {STATEMENT}，无法确认清单的来源和时效")
        return
    try:
        statement = parse_statement(data)
    except StatementInvalid as invalid:
        outcome.findings.append(f"声明无效：{invalid}")
        return
    if data != statement.canonical():
        outcome.findings.append(f"声明无效：{STATEMENT} 不是规范格式（被改写过）")
    outcome.statement = statement
    digest = hashlib.sha256(manifest).hexdigest()
    if digest != statement.manifest_sha256:
        outcome.findings.append(
            f"清单与声明不符：{MANIFEST} 的 SHA-256 为 {digest}，"
            f"声明中为 {statement.manifest_sha256}"
        )
    _check_signature(source, outcome, data, key)
    if statement.uncommitted:
        outcome.notes.append(
            "注意：此网站生成自含未提交修改的内容（预览），不对应内容仓库的任何提交，"
            "无法按提交重新生成比较"
        )
    if as_of > statement.expires:
        outcome.findings.append(
            f"声明已过期：有效期至 {statement.expires}，核对日期为 {as_of}（镜像可能已停止更新）"
        )
    if highest_serial is not None and statement.serial < highest_serial:
        outcome.findings.append(
            f"版本回退：声明序号 {statement.serial} 低于此前核对时见过的 {highest_serial}"
            "（镜像提供的是旧版本）"
        )


def _check_signature(
    source: Source, outcome: Outcome, statement: bytes, key: Ed25519PublicKey | None
) -> None:
    try:
        signature = source.read(SIGNATURE, SIGNATURE_LIMIT)
    except ReadFailed as failed:
        signature = None
        if key is not None:
            outcome.findings.append(f"签名无效：{SIGNATURE}（{failed}）")
            return
    if key is None:
        if signature is not None:
            outcome.notes.append(f"网站已签名，但未用 --key 指定公钥，未核对 {SIGNATURE}")
        return
    if signature is None:
        outcome.findings.append(f"缺少签名：没有 {SIGNATURE}，而 --key 要求网站已签名")
        return
    try:
        key.verify(signature, statement)
    except InvalidSignature:
        outcome.findings.append(
            f"签名无效：{SIGNATURE} 与公钥 {fingerprint(key)} 不符"
            "（声明被改动，或不是这把密钥签的）"
        )
        return
    outcome.notes.append(f"签名有效（公钥 {fingerprint(key)}）")
