"""SHA256SUMS, the signed statement, `gongshi keygen` and `gongshi verify`, on real builds of the
mini fixture, with real git repositories and a real HTTP server."""

from __future__ import annotations

import functools
import hashlib
import http.server
import json
import logging
import os
import shutil
import subprocess
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from conftest import FIXTURES, Result
from gitrepo import Repo
from gongshi_cli.main import main
from gongshi_trust.config import MANIFEST, PUBLIC_KEY, SIGNATURE, STATEMENT, TrustError
from gongshi_trust.keys import write_keypair
from gongshi_trust.manifest import parse_manifest, render_manifest

Run = Callable[..., Result]
AS_OF = "2026-11-24"
EXPIRES = "2026-12-02"  # AS_OF + the default 8 days


# --- helpers -------------------------------------------------------------------------------


def build(gongshi: Run, content: Path, output: Path, *extra: str) -> Result:
    return gongshi(
        "build", "--content", str(content), "--output", str(output), "--as-of", AS_OF, *extra
    )


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def send_file(handler: Any, target: Path) -> None:
    """What a plain static server answers for ``target``: the file, or 404."""
    if not target.is_file():
        handler.send_error(404)
        return
    data = target.read_bytes()
    handler.send_response(200)
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)


@pytest.fixture(scope="module")
def key(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A key pair outside any repository; returns the private key's path."""
    folder = tmp_path_factory.mktemp("keys")
    write_keypair(folder / "site.pem")
    return folder / "site.pem"


@pytest.fixture(scope="module")
def signed_once(tmp_path_factory: pytest.TempPathFactory, key: Path) -> Path:
    """The mini portal built once and signed with ``key`` (named by the environment)."""
    content = tmp_path_factory.mktemp("mini") / "content"
    shutil.copytree(FIXTURES / "mini", content)
    out = content.parent / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GONGSHI_SIGNING_KEY", str(key))
        argv = ["build", "--content", str(content), "--output", str(out), "--as-of", AS_OF]
        assert main(argv) == 0
    return out


@pytest.fixture
def signed(signed_once: Path, tmp_path: Path) -> Path:
    """A copy of the signed site that the test may alter, alone in its folder."""
    return Path(shutil.copytree(signed_once, tmp_path / "www" / "site"))


def committed_portal(root: Path) -> Repo:
    """The mini portal committed to a real repository, then one pull request merged."""
    repo = Repo(root)
    files = {
        f"content/{p.relative_to(FIXTURES / 'mini').as_posix()}": p.read_text("utf-8")
        for p in sorted((FIXTURES / "mini").rglob("*"))
        if p.is_file()
    }
    repo.commit(files, "2026-01-05T10:00:00+08:00", "建立门户")
    about = root / "content/pages/about.md"
    repo.pull_request(
        {"content/pages/about.md": about.read_text("utf-8") + "\n补充说明。\n"},
        "2026-02-01T09:00:00+08:00",
        "2026-02-02T16:00:00+08:00",
    )
    return repo


class Server:
    """A real HTTP server for ``root``, on a free port; remembers every path asked for."""

    def __init__(self, root: Path) -> None:
        requested: list[str] = []

        class Handler(http.server.SimpleHTTPRequestHandler):
            def do_GET(self) -> None:
                requested.append(self.path)
                super().do_GET()

            def log_message(self, *args: Any) -> None:  # keep the test output clean
                pass

        handler = functools.partial(Handler, directory=str(root))
        self.requested = requested
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()  # the socket listens already: no wait needed before a request

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/{path}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


@pytest.fixture
def serve(request: pytest.FixtureRequest) -> Callable[[Path], Server]:
    def start(root: Path) -> Server:
        server = Server(root)
        request.addfinalizer(server.close)
        return server

    return start


# --- building --------------------------------------------------------------------------------


def test_every_file_is_in_the_manifest_and_sha256sum_agrees(signed: Path) -> None:
    names = [line.split("  ", 1)[1] for line in (signed / MANIFEST).read_text().splitlines()]
    files = {p.relative_to(signed).as_posix() for p in signed.rglob("*") if p.is_file()}
    assert set(names) == files - {MANIFEST, STATEMENT, SIGNATURE}
    assert names == sorted(names, key=lambda n: n.encode("utf-8"))
    assert {"verify.html", PUBLIC_KEY, "index.html", "admin/index.html"} <= set(names)
    done = subprocess.run(
        ["sha256sum", "-c", "--strict", MANIFEST], cwd=signed, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    (signed / "index.html").write_text("改动", "utf-8")
    assert subprocess.run(["sha256sum", "-c", MANIFEST], cwd=signed, capture_output=True).returncode


def test_statement_outside_git_and_signature_checked_by_openssl(signed: Path, key: Path) -> None:
    statement = (signed / STATEMENT).read_bytes()
    assert json.loads(statement) == {
        "version": 1,
        "commit": None,
        "uncommitted": False,
        "as_of": AS_OF,
        "serial": 0,
        "expires": EXPIRES,
        "manifest_sha256": hashlib.sha256((signed / MANIFEST).read_bytes()).hexdigest(),
        "site_url": None,
    }
    canonical = json.dumps(json.loads(statement), sort_keys=True, separators=(",", ":"))
    assert statement == canonical.encode() + b"\n"
    assert (signed / PUBLIC_KEY).read_bytes() == Path(f"{key}.pub").read_bytes()
    # Anyone can check the signature without gongshi: OpenSSL reads the raw Ed25519 signature.
    done = subprocess.run(
        [
            "openssl", "pkeyutl", "-verify", "-pubin", "-inkey", PUBLIC_KEY, "-rawin",
            "-in", STATEMENT, "-sigfile", SIGNATURE,
        ],
        cwd=signed, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    page = (signed / "verify.html").read_text("utf-8")
    assert "SHA256:" in page and "gongshi verify" in page and "sha256sum -c SHA256SUMS" in page
    assert "本站未签名" not in page
    assert 'href="./verify.html"' in (signed / "index.html").read_text("utf-8")  # footer link
    assert key.read_bytes() not in b"".join(tree(signed).values())


def test_commit_and_serial_come_from_the_first_parent_history(tmp_path: Path, gongshi: Run) -> None:
    repo = committed_portal(tmp_path / "repo")
    result = build(gongshi, repo.root / "content", tmp_path / "site")
    assert result.code == 0, result.out + result.err
    statement = json.loads((tmp_path / "site" / STATEMENT).read_text())
    assert statement["commit"] == repo.git("rev-parse", "HEAD")
    assert statement["serial"] == 2  # the first commit and the merge; not the clerk's commit
    assert statement["commit"] in (tmp_path / "site/verify.html").read_text("utf-8")


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("content/pages/about.md", "Title: 关于\nSlug: about\n\n未提交的改动。\n"),
        ("content/pages/draft.md", "Title: 草稿\nSlug: draft\n\n未跟踪的新页面。\n"),
    ],
    ids=["modified", "untracked"],
)
def test_a_preview_of_uncommitted_content_names_no_commit(
    tmp_path: Path, gongshi: Run, path: str, text: str
) -> None:
    repo = committed_portal(tmp_path / "repo")
    (repo.root / path).write_text(text, "utf-8")
    (repo.root / "notes.txt").write_text("内容目录之外的改动不算", "utf-8")
    site = tmp_path / "site"
    assert build(gongshi, repo.root / "content", site).code == 0
    statement = json.loads((site / STATEMENT).read_text())
    assert statement["commit"] is None and statement["uncommitted"] is True
    assert statement["serial"] == 2  # still ordered after the commit it was made on
    page = (site / "verify.html").read_text("utf-8")
    assert repo.git("rev-parse", "HEAD") not in page and "含未提交修改" in page
    result = verify(gongshi, str(site))
    assert result.code == 0 and "生成自含未提交修改的内容" in result.err


def test_a_publish_build_of_uncommitted_content_is_refused(tmp_path: Path, gongshi: Run) -> None:
    repo = committed_portal(tmp_path / "repo")
    (repo.root / "content/pages/draft.md").write_text("Title: 草稿\nSlug: draft\n\n正文\n", "utf-8")
    result = build(gongshi, repo.root / "content", tmp_path / "site", "--publish")
    assert result.code == 2, result.out + result.err
    assert "正式发布必须从已合并的提交生成" in result.err
    assert not (tmp_path / "site").exists()


def test_a_statement_claiming_a_commit_and_uncommitted_is_invalid(
    signed: Path, gongshi: Run
) -> None:
    data = json.loads((signed / STATEMENT).read_text())
    data.update(uncommitted=True, commit="a" * 40)
    (signed / STATEMENT).write_text(json.dumps(data, sort_keys=True, separators=(",", ":")) + "\n")
    result = verify(gongshi, str(signed))
    assert result.code == 1 and "uncommitted 为 true）时 commit 应为 null" in result.out


def test_two_builds_of_one_commit_are_identical_signature_included(
    tmp_path: Path, gongshi: Run, key: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = committed_portal(tmp_path / "repo")
    monkeypatch.setenv("GONGSHI_SIGNING_KEY", str(key))
    for name in ("one", "two"):
        assert build(gongshi, repo.root / "content", tmp_path / name).code == 0
    one, two = tree(tmp_path / "one"), tree(tmp_path / "two")
    assert one == two
    assert one[SIGNATURE] and len(one[SIGNATURE]) == 64


def test_unsigned_build_still_writes_the_manifest_and_says_it_is_unsigned(
    mini: Path, gongshi: Run, key: Path
) -> None:
    out = mini.parent / "site"
    assert build(gongshi, mini, out).code == 0
    assert (out / MANIFEST).is_file() and (out / STATEMENT).is_file()
    assert not (out / SIGNATURE).exists() and not (out / PUBLIC_KEY).exists()
    assert "本站未签名" in (out / "verify.html").read_text("utf-8")
    assert gongshi("verify", str(out), "--as-of", AS_OF).code == 0
    result = gongshi("verify", str(out), "--key", f"{key}.pub", "--as-of", AS_OF)
    assert result.code == 1 and "缺少签名：没有 SHA256SUMS.sig" in result.out


def test_publish_build_with_an_unreadable_key_stops_and_keeps_the_old_site(
    tmp_path: Path, gongshi: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = committed_portal(tmp_path / "repo")
    out = tmp_path / "site"
    assert build(gongshi, repo.root / "content", out, "--publish").code == 0  # unsigned: no key
    before = tree(out)
    monkeypatch.setenv("GONGSHI_SIGNING_KEY", str(tmp_path / "no-such.pem"))
    result = build(gongshi, repo.root / "content", out, "--publish")
    assert result.code == 2
    assert "环境变量 GONGSHI_SIGNING_KEY 指向的私钥" in result.err and "无法读取" in result.err
    assert "正式发布不能不签名" in result.err and "原有网站保持不变" in result.err
    assert tree(out) == before
    assert not list(tmp_path.glob(".site-*")), "staging folder left behind"


def test_preview_with_an_unreadable_key_warns_and_is_unsigned(
    mini: Path, gongshi: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    bad = tmp_path / "not-a-key.pem"
    bad.write_text("-----BEGIN PRIVATE KEY-----\nxx\n-----END PRIVATE KEY-----\n")
    monkeypatch.setenv("GONGSHI_SIGNING_KEY", str(bad))
    with caplog.at_level(logging.WARNING):
        assert build(gongshi, mini, tmp_path / "site").code == 0
    assert "不是可读的 PEM 私钥" in caplog.text and "本次预览生成的网站不签名" in caplog.text
    assert not (tmp_path / "site" / SIGNATURE).exists()


@pytest.mark.parametrize("where", ["content", "output"])
def test_a_key_inside_the_content_or_the_output_is_refused(
    mini: Path, gongshi: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    out = tmp_path / "site"
    assert build(gongshi, mini, out).code == 0
    folder = mini if where == "content" else out
    write_keypair(folder / "site.pem")
    before = tree(out)
    monkeypatch.setenv("GONGSHI_SIGNING_KEY", str(folder / "site.pem"))
    result = build(gongshi, mini, out)
    assert result.code == 2
    assert "私钥不得进入仓库或网站输出" in result.err
    assert tree(out) == before  # the key in the old output is not deleted either


def test_a_backslash_in_a_file_name_cannot_be_sealed(tmp_path: Path) -> None:
    (tmp_path / "a\\b.html").write_text("x")
    with pytest.raises(TrustError, match="含反斜杠"):
        render_manifest(tmp_path)


# --- keygen ----------------------------------------------------------------------------------


def test_keygen_writes_a_private_key_only_its_owner_reads(tmp_path: Path, gongshi: Run) -> None:
    target = tmp_path / "k" / "site.pem"
    target.parent.mkdir()
    result = gongshi("keygen", "--output", str(target))
    assert result.code == 0, result.err
    assert (target.stat().st_mode & 0o777) == 0o600
    assert b"BEGIN PRIVATE KEY" in target.read_bytes()
    assert b"BEGIN PUBLIC KEY" in Path(f"{target}.pub").read_bytes()
    assert "指纹：SHA256:" in result.out


def test_keygen_refuses_to_overwrite(tmp_path: Path, gongshi: Run) -> None:
    target = tmp_path / "site.pem"
    assert gongshi("keygen", "--output", str(target)).code == 0
    private = target.read_bytes()
    result = gongshi("keygen", "--output", str(target))
    assert result.code == 2 and "已存在，不会覆盖" in result.err
    assert target.read_bytes() == private
    target.unlink()  # the public key alone still blocks: a pair is written whole or not at all
    result = gongshi("keygen", "--output", str(target))
    assert result.code == 2 and "site.pem.pub 已存在" in result.err
    assert not target.exists()


def test_keygen_refuses_a_path_inside_a_git_work_tree(tmp_path: Path, gongshi: Run) -> None:
    repo = Repo(tmp_path / "repo")
    (repo.root / "keys").mkdir()
    result = gongshi("keygen", "--output", str(repo.root / "keys" / "site.pem"))
    assert (
        result.code == 2 and "git 仓库" in result.err and "请把密钥放在任何仓库之外" in result.err
    )
    assert not list((repo.root / "keys").iterdir())
    result = gongshi("keygen", "--output", str(tmp_path / "missing" / "site.pem"))
    assert result.code == 2 and "不存在" in result.err


# --- verify: a folder and a mirror over HTTP -------------------------------------------------


def verify(gongshi: Run, where: str, *extra: str, as_of: str = AS_OF) -> Result:
    return gongshi("verify", where, "--as-of", as_of, *extra)


@pytest.fixture(params=["dir", "url"])
def location(
    request: pytest.FixtureRequest, signed: Path, serve: Callable[[Path], Server]
) -> Callable[[], str]:
    """The signed site as a folder, or served under a sub-path (/site) of a real server."""
    if request.param == "dir":
        return lambda: str(signed)
    server = serve(signed.parent)
    return lambda: server.url(signed.name)


def test_a_clean_copy_verifies(location: Callable[[], str], gongshi: Run, key: Path) -> None:
    result = verify(gongshi, location(), "--key", f"{key}.pub")
    assert result.code == 0, result.out + result.err
    assert result.out == ""
    assert "签名有效" in result.err and "核对通过" in result.err


def test_altered_missing_and_extra_files_are_listed(
    location: Callable[[], str], signed: Path, gongshi: Run, key: Path
) -> None:
    (signed / "index.html").write_bytes((signed / "index.html").read_bytes() + b"<!-- x -->")
    (signed / "sitemap.xml").unlink()
    (signed / "extra.html").write_text("不在清单中", "utf-8")
    result = verify(gongshi, location(), "--key", f"{key}.pub")
    assert result.code == 1
    assert "被改动：index.html（内容与 SHA256SUMS 不符）" in result.out
    assert "缺失：sitemap.xml" in result.out
    if location().startswith("http"):
        assert "多出" not in result.out  # a mirror over HTTP cannot be listed
    else:
        assert "多出：extra.html（不在 SHA256SUMS 中）" in result.out


def test_a_bad_or_missing_signature_is_found(
    location: Callable[[], str], signed: Path, gongshi: Run, key: Path
) -> None:
    signature = bytearray((signed / SIGNATURE).read_bytes())
    signature[0] ^= 1
    (signed / SIGNATURE).write_bytes(bytes(signature))
    result = verify(gongshi, location(), "--key", f"{key}.pub")
    assert result.code == 1 and "签名无效：SHA256SUMS.sig 与公钥 SHA256:" in result.out
    (signed / SIGNATURE).unlink()
    result = verify(gongshi, location(), "--key", f"{key}.pub")
    assert result.code == 1 and "缺少签名：没有 SHA256SUMS.sig" in result.out


def test_a_signature_by_another_key_is_bad(
    location: Callable[[], str], gongshi: Run, tmp_path: Path
) -> None:
    write_keypair(tmp_path / "other.pem")
    result = verify(gongshi, location(), "--key", str(tmp_path / "other.pem.pub"))
    assert result.code == 1 and "签名无效" in result.out


def test_a_stale_statement_is_refused(location: Callable[[], str], gongshi: Run) -> None:
    assert verify(gongshi, location(), as_of=EXPIRES).code == 0  # its last valid day
    result = verify(gongshi, location(), as_of="2026-12-03")
    assert result.code == 1
    assert "声明已过期：有效期至 2026-12-02，核对日期为 2026-12-03" in result.out


def test_a_manifest_rewritten_to_match_an_altered_file_contradicts_the_statement(
    location: Callable[[], str], signed: Path, gongshi: Run
) -> None:
    page = signed / "index.html"
    page.write_text("伪造的首页", "utf-8")
    manifest = (signed / MANIFEST).read_text("utf-8").splitlines()
    digest = hashlib.sha256(page.read_bytes()).hexdigest()
    rewritten = [f"{digest}  index.html" if m.endswith("  index.html") else m for m in manifest]
    (signed / MANIFEST).write_text("\n".join(rewritten) + "\n", "utf-8")
    result = verify(gongshi, location())
    assert result.code == 1 and "清单与声明不符：SHA256SUMS 的 SHA-256 为" in result.out
    assert "被改动" not in result.out


def test_a_rolled_back_mirror_is_found_with_the_state_file(
    tmp_path: Path,
    gongshi: Run,
    serve: Callable[[Path], Server],
    key: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GONGSHI_SIGNING_KEY", str(key))
    pub = f"{key}.pub"
    repo = committed_portal(tmp_path / "repo")
    content = repo.root / "content"
    old = tmp_path / "www" / "old"
    assert build(gongshi, content, old).code == 0  # serial 2
    about = content / "pages/about.md"
    repo.commit({"content/pages/about.md": about.read_text("utf-8") + "再补充。\n"},
                "2026-03-01T10:00:00+08:00")  # fmt: skip
    mirror = tmp_path / "www" / "mirror"
    assert build(gongshi, content, mirror).code == 0  # serial 3
    server = serve(tmp_path / "www")
    state = tmp_path / "seen.json"
    url = server.url("mirror/")
    assert verify(gongshi, url, "--state", str(state), "--key", pub).code == 0
    assert json.loads(state.read_text("utf-8")) == {"version": 1, "sites": {url: 3}}
    # The mirror is put back to the older build: every file matches its own manifest.
    shutil.rmtree(mirror)
    shutil.copytree(old, mirror)
    result = verify(gongshi, url, "--state", str(state), "--key", pub)
    assert result.code == 1
    assert "版本回退：声明序号 2 低于此前核对时见过的 3" in result.out
    assert json.loads(state.read_text("utf-8"))["sites"][url] == 3  # unchanged after a finding


def test_the_state_file_needs_a_key_so_an_unsigned_serial_cannot_poison_it(
    signed: Path, gongshi: Run, tmp_path: Path
) -> None:
    statement = signed / STATEMENT
    data = json.loads(statement.read_text("utf-8"))
    data["serial"] = 10**12  # anyone can write this into an unsigned statement
    statement.write_text(json.dumps(data), "utf-8")
    (signed / SIGNATURE).unlink()
    state = tmp_path / "seen.json"
    result = verify(gongshi, str(signed), "--state", str(state))
    assert result.code == 2 and "--state 必须与 --key 一起使用" in result.err
    assert not state.exists()


def test_manifest_paths_that_leave_the_site_are_findings_never_opened(
    signed: Path, gongshi: Run, serve: Callable[[Path], Server]
) -> None:
    secret = signed.parent / "secret.txt"
    secret.write_text("站点之外", "utf-8")
    digest = hashlib.sha256(secret.read_bytes()).hexdigest()
    hostile = [f"{digest}  ../secret.txt", f"{digest}  /etc/passwd", f"{digest}  a\\..\\b"]
    with (signed / MANIFEST).open("a", encoding="utf-8") as manifest:
        manifest.write("\n".join(hostile) + "\n")
    server = serve(signed.parent)
    for where in (str(signed), server.url(signed.name)):
        result = verify(gongshi, where)
        assert result.code == 1
        assert "的路径 '../secret.txt' 含 .. 路径段，未读取" in result.out
        assert "的路径 '/etc/passwd' 是绝对路径，未读取" in result.out
        assert "含反斜杠，未读取" in result.out
    assert not [p for p in server.requested if "secret" in p or "passwd" in p]


def test_a_symlink_out_of_the_copy_is_not_followed(signed: Path, gongshi: Run) -> None:
    target = signed.parent / "elsewhere.html"
    shutil.copyfile(signed / "verify.html", target)  # same bytes: following it would pass
    (signed / "verify.html").unlink()
    os.symlink(target, signed / "verify.html")
    result = verify(gongshi, str(signed))
    assert result.code == 1
    assert "无法读取：verify.html（是指向站点目录之外的符号链接，未读取）" in result.out


def test_parse_manifest_reports_malformed_and_duplicate_lines() -> None:
    digest = "0" * 64
    parsed = parse_manifest(
        f"{digest}  a.html\n{digest}  a.html\nnot a line\n{digest}  SHA256SUMS\n".encode()
        + b"\xff\xfe\n"
    )
    assert [e.path for e in parsed.entries] == ["a.html"]
    assert len(parsed.problems) == 4


def test_no_manifest_or_no_server_is_an_environment_error(
    tmp_path: Path, gongshi: Run, serve: Callable[[Path], Server]
) -> None:
    (tmp_path / "empty").mkdir()
    result = verify(gongshi, str(tmp_path / "empty"))
    assert result.code == 2 and "没有 SHA256SUMS" in result.err
    server = serve(tmp_path / "empty")
    result = verify(gongshi, server.url("sub/path"))
    assert result.code == 2 and "没有 SHA256SUMS" in result.err
    closed = server.url("")
    server.close()
    result = verify(gongshi, closed)
    assert result.code == 2 and "无法连接" in result.err


def test_a_missing_or_altered_statement_is_a_finding(signed: Path, gongshi: Run) -> None:
    statement = json.loads((signed / STATEMENT).read_text())
    (signed / STATEMENT).write_text(json.dumps({**statement, "serial": 99}, indent=1))
    result = verify(gongshi, str(signed))
    assert result.code == 1 and "声明无效：SHA256SUMS.json 不是规范格式" in result.out
    (signed / STATEMENT).unlink()
    result = verify(gongshi, str(signed))
    assert result.code == 1 and "声明缺失：没有 SHA256SUMS.json" in result.out


def test_redirects_out_of_the_site_are_not_followed(
    signed: Path, gongshi: Run, tmp_path: Path
) -> None:
    class Redirect(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path.endswith("index.html"):
                self.send_response(302)
                self.send_header("Location", "http://127.0.0.1:9/elsewhere/index.html")
                self.end_headers()
                return
            send_file(self, signed / unquote(self.path.removeprefix("/site/")))

        def log_message(self, *args: Any) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        result = verify(gongshi, f"http://127.0.0.1:{httpd.server_address[1]}/site")
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()
    assert result.code == 1
    assert "无法读取：index.html（被重定向到站点之外" in result.out


def test_seal_covers_any_file_name_and_a_mirror_serves_it_back(
    mini: Path, gongshi: Run, serve: Callable[[Path], Server]
) -> None:
    """seal() is one function of the output folder and the settings (the lead's privacy scan
    runs inside it): names with Chinese, spaces, '%', '#' and '?' are fetched percent-encoded."""
    from gongshi_trust.seal import seal

    out = mini.parent / "site"
    assert build(gongshi, mini, out).code == 0
    odd = out / "agencies" / "附件 100%#?.pdf"
    odd.write_bytes(b"%PDF-1.4 test")
    seal(out, {"PATH": str(mini), "OUTPUT_PATH": str(out), "GONGSHI": {"as_of": AS_OF}})
    assert "agencies/附件 100%#?.pdf" in (out / MANIFEST).read_text("utf-8")
    server = serve(mini.parent)
    assert verify(gongshi, server.url("site")).code == 0
    odd.write_bytes(b"%PDF-1.4 changed")
    result = verify(gongshi, server.url("site"))
    assert result.code == 1 and "被改动：agencies/附件 100%#?.pdf" in result.out


def test_an_unusable_public_key_is_a_usage_error(signed: Path, gongshi: Run, key: Path) -> None:
    result = verify(gongshi, str(signed), "--key", str(signed / "no-such.pub"))
    assert result.code == 2 and "无法读取公钥" in result.err and "文件不存在" in result.err
    result = verify(gongshi, str(signed), "--key", str(key))  # the private key by mistake
    assert result.code == 2 and "不是 PEM 格式的公钥" in result.err


# --- verify: a hostile mirror ----------------------------------------------------------------


class Hostile:
    """A real server for the signed site that hands index.html to ``index`` (the handler)."""

    def __init__(self, site: Path, index: Callable[[Any], None]) -> None:
        self.agents: list[str] = []
        self.release = threading.Event()  # set at the end: a slow handler stops dripping
        agents = self.agents

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                agents.append(self.headers.get("User-Agent", ""))
                name = unquote(self.path.removeprefix("/site/"))
                if name == "index.html":
                    index(self)
                    return
                send_file(self, site / name)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/site"

    def close(self) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


@pytest.fixture
def hostile(request: pytest.FixtureRequest, signed: Path) -> Callable[..., Hostile]:
    def start(index: Callable[[Hostile, Any], None]) -> Hostile:
        server: Hostile
        server = Hostile(signed, lambda handler: index(server, handler))
        request.addfinalizer(server.close)
        return server

    return start


def drip(server: Hostile, handler: Any) -> None:
    """Promises a megabyte, then sends one byte each time the release is not given."""
    handler.send_response(200)
    handler.send_header("Content-Length", "1000000")
    handler.end_headers()
    try:
        while not server.release.wait(0.01):
            handler.wfile.write(b"x")
            handler.wfile.flush()
    except OSError:  # the verifier gave up and closed the connection
        pass


def flood(server: Hostile, handler: Any) -> None:
    """Streams without end (no Content-Length) until the verifier hangs up."""
    handler.send_response(200)
    handler.end_headers()
    try:
        while not server.release.is_set():
            handler.wfile.write(b"x" * 65536)
    except OSError:
        pass


def test_a_trickling_mirror_is_given_up_after_the_deadline(
    hostile: Callable[..., Hostile], gongshi: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gongshi_trust import sources

    monkeypatch.setattr(sources, "FILE_DEADLINE_SECONDS", 0.5)
    server = hostile(drip)
    result = verify(gongshi, server.url())
    assert result.code == 1
    assert "无法读取：index.html（超过 0.5 秒仍未读完，已放弃" in result.out


def test_an_endless_file_is_cut_at_the_byte_cap(
    hostile: Callable[..., Hostile], gongshi: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gongshi_trust import sources

    monkeypatch.setattr(sources, "MAX_FILE_BYTES", 1_000_000)
    server = hostile(flood)
    result = verify(gongshi, server.url())
    assert result.code == 1
    assert "无法读取：index.html（超过 1000000 字节仍未读完，已停止读取" in result.out


def test_the_verifier_looks_like_any_browser(hostile: Callable[..., Hostile], gongshi: Run) -> None:
    from gongshi_trust.sources import USER_AGENT

    def plain(server: Hostile, handler: Any) -> None:
        handler.send_error(500)

    server = hostile(plain)
    result = verify(gongshi, server.url())
    assert result.code == 1 and "无法读取：index.html（服务器返回 HTTP 500）" in result.out
    assert server.agents and set(server.agents) == {USER_AGENT}
    assert USER_AGENT.startswith("Mozilla/5.0") and "gongshi" not in USER_AGENT.lower()


def test_read_failures_are_in_chinese(tmp_path: Path) -> None:
    from gongshi_trust.config import os_reason

    assert os_reason(PermissionError(13, "Permission denied")) == "没有读取权限"
    assert os_reason(OSError(5, "Input/output error")) == "系统错误：Input/output error"


def test_a_direct_pelican_run_reads_the_clock_once_and_seals_the_checked_settings(
    mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`make site` runs Pelican without --as-of: the generator resolves the date once and
    writes the checked settings back, so the verify page and the seal agree with the pages."""
    from gongshi_portal import generator as generator_module
    from gongshi_records.paths import PROJECT_ROOT
    from gongshi_records.publication import resolve_as_of
    from gongshi_trust import seal as seal_module
    from pelican import Pelican
    from pelican.settings import read_settings

    clock_reads: list[object] = []

    def counted(value: Any) -> Any:
        if not value:
            clock_reads.append(value)
        return resolve_as_of(value)

    monkeypatch.setattr(generator_module, "resolve_as_of", counted)
    monkeypatch.setattr(seal_module, "resolve_as_of", counted)
    out = tmp_path / "out"
    settings = read_settings(
        str(PROJECT_ROOT / "pelicanconf.py"), override={"PATH": str(mini), "OUTPUT_PATH": str(out)}
    )
    assert not (settings.get("GONGSHI") or {}).get("as_of")
    Pelican(settings).run()
    assert len(clock_reads) == 1
    checked = settings["GONGSHI"]
    assert checked["publish"] is False and set(checked) >= {"as_of", "search", "trust"}
    assert json.loads((out / STATEMENT).read_text())["as_of"] == checked["as_of"]
