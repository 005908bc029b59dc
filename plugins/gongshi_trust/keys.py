"""Ed25519 keys: making a pair, reading the private key a build signs with, the fingerprint.

Ed25519 signatures are deterministic, so one commit built twice with one as-of date and one key
gives the same signature bytes. The private key is PEM PKCS#8 without a passphrase (a CI job
reads it unattended); it lives outside every repository and every output folder.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

import git
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .config import TrustError, os_reason


class KeyRefused(TrustError):
    """A key that must not be read or written where it is (a Chinese message)."""


class KeyUnreadable(KeyRefused):
    """A configured key that cannot be read or is not an Ed25519 private key."""


def fingerprint(public: Ed25519PublicKey) -> str:
    """SHA-256 of the raw 32-byte public key, as users compare it with the published one."""
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "SHA256:" + hashlib.sha256(raw).hexdigest()


def public_pem(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def inside_git_work_tree(folder: Path) -> Path | None:
    """The work tree holding ``folder``, if any (a key written there could be committed)."""
    try:
        repo = git.Repo(folder, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return None
    return Path(repo.working_tree_dir) if repo.working_tree_dir else folder


def write_keypair(path: Path) -> str:
    """Write a new private key to ``path`` (mode 0600) and its public key to ``path``.pub;
    return the fingerprint. Refuses to overwrite and refuses a folder inside a git work tree."""
    public_path = path.with_name(path.name + ".pub")
    folder = path.parent.resolve()
    if not folder.is_dir():
        raise KeyRefused(f"目录 {path.parent} 不存在：请先创建它，或换一个位置")
    tree = inside_git_work_tree(folder)
    if tree is not None:
        raise KeyRefused(
            f"{path} 位于 git 仓库 {tree} 中，私钥可能被提交：请把密钥放在任何仓库之外"
            "（例如 /etc/gongshi/ 或 CI 的机密变量所指的文件）"
        )
    for target in (path, public_path):
        if target.exists() or target.is_symlink():
            raise KeyRefused(f"{target} 已存在，不会覆盖：请换一个路径，或先移走旧文件")
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    # Created with mode 0600 from the start: never readable by others, not even for a moment.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(private)
    descriptor = os.open(public_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(public_pem(key.public_key()))
    return fingerprint(key.public_key())


def read_private_key(path: Path, source: str, forbidden: Iterable[Path]) -> Ed25519PrivateKey:
    """The Ed25519 private key at ``path`` (named by ``source``); refuses a key inside any of
    the ``forbidden`` folders (the content, its repository, the output)."""
    resolved = path.expanduser().resolve()
    for folder in forbidden:
        if resolved.is_relative_to(folder.resolve()):
            raise KeyRefused(
                f"{source} 指向的私钥 {path} 位于 {folder} 之内：私钥不得进入仓库或网站输出，"
                "请移到其外并更新路径"
            )
    try:
        data = resolved.read_bytes()
    except OSError as exc:
        raise KeyUnreadable(
            f"无法读取 {source} 指向的私钥 {path}（{os_reason(exc)}）：请检查路径和权限，"
            "或用 gongshi keygen --output 路径 生成密钥"
        ) from exc
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise KeyUnreadable(
            f"{source} 指向的 {path} 不是可读的 PEM 私钥（或设有口令）：请用 gongshi keygen 生成"
        ) from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyUnreadable(f"{source} 指向的 {path} 不是 Ed25519 私钥：请用 gongshi keygen 生成")
    return key


def read_public_key(data: bytes, name: str) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, UnsupportedAlgorithm) as exc:
        raise KeyRefused(f"{name} 不是 PEM 格式的公钥：请使用网站公布的 signing-key.pub") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise KeyRefused(f"{name} 不是 Ed25519 公钥：请使用网站公布的 signing-key.pub")
    return key
