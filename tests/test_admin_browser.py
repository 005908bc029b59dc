"""The web forms in real Chromium: a clerk creates an officer through Decap CMS, the save lands
on an editorial-workflow branch of a real git repository (decap-server in git mode), publishing
merges it into main, and the published record validates. The same config.yml loads in Sveltia.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from gitrepo import MINI, Repo
from gongshi_admin import read_settings, write_admin
from gongshi_admin.config import AdminSettings
from gongshi_cli.main import main
from support import ROOT, WAIT_SECONDS, new_context, serve, wait_until

playwright = pytest.importorskip("playwright.sync_api")

AGENCY = "demo-bureau"
DECAP_SERVER = ROOT / "node_modules/decap-server/dist/index.js"
SVELTIA = ROOT / "node_modules/@sveltia/cms/dist/sveltia-cms.js"
OFFICERS = f"content/agencies/{AGENCY}/officers"
NEW_CERT = "33029900000042"
OFFICER = {
    "name": "赵一鸣",
    "cert_no": NEW_CERT,
    "category": "市场监管综合执法",
    "region": "测试区",
    "roles": ["执法", "法制审核"],
    "valid_from": "2024-01-01",
    "valid_until": "2028-12-31",
    "status": "在岗",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    """A working checkout of the mini portal: decap-server commits and switches branches in it."""
    repo = Repo(tmp_path / "repo")
    shutil.copytree(MINI, repo.root / "content")
    repo.commit({}, "2026-01-05T10:00:00+08:00", "测试门户")
    repo.git("config", "user.name", "网上填报")
    repo.git("config", "user.email", "forms@example.invalid")
    return repo


@pytest.fixture
def decap_server(repo: Repo) -> Iterator[str]:
    """decap-server from node_modules on a free port; yields its API URL once it listens."""
    assert DECAP_SERVER.is_file(), "run `make test`: it installs decap-server"
    port = free_port()
    env = {
        **os.environ,
        "MODE": "git",
        "PORT": str(port),
        "BIND_HOST": "127.0.0.1",
        "GIT_REPO_DIRECTORY": str(repo.root),
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    server = subprocess.Popen(
        ["node", str(DECAP_SERVER)],
        cwd=repo.root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    listening = threading.Event()
    log: list[str] = []

    def read() -> None:
        assert server.stdout is not None
        for line in server.stdout:
            log.append(line)
            if "listening on" in line:
                listening.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert listening.wait(WAIT_SECONDS), "decap-server did not start:\n" + "".join(log)
        yield f"http://127.0.0.1:{port}/api/v1"
    finally:
        server.terminate()
        server.wait(WAIT_SECONDS)
        reader.join(WAIT_SECONDS)
        if server.stdout is not None:
            server.stdout.close()


def forge_settings(local_url: str) -> AdminSettings:
    """A forge backend as a webmaster would set it, and decap-server beside it on localhost."""
    return read_settings(
        {
            "backend": {
                "name": "gitea",
                "repo": "zfgs/portal",
                "base_url": "https://git.example.invalid",
                "api_root": "https://git.example.invalid/api/v1",
                "app_id": "gongshi-forms",
            },
            "local_backend": local_url,
        }
    )


def branches(repo: Repo) -> list[str]:
    return repo.git("branch", "--list", "--format=%(refname:short)").split()


def file_on(repo: Repo, branch: str, path: str) -> str | None:
    done = subprocess.run(
        ["git", "show", f"{branch}:{path}"], cwd=repo.root, capture_output=True, text=True
    )
    return done.stdout if done.returncode == 0 else None


def status_of(repo: Repo, branch: str) -> str:
    """The editorial-workflow status decap-server keeps as the branch's git description."""
    done = subprocess.run(
        ["git", "config", "--get", f"branch.{branch}.description"],
        cwd=repo.root,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip()


def choose(page: Any, label: str, *options: str) -> None:
    """A select widget (react-select): open it by its label, pick each option by its name."""
    for option in options:
        page.get_by_label(label, exact=True).click()
        page.get_by_role("option", name=option, exact=True).click()


def fill_officer(page: Any, cert_no: str) -> None:
    page.get_by_label("姓名", exact=True).fill(OFFICER["name"])
    page.get_by_label("执法证号", exact=True).fill(cert_no)
    page.get_by_label("执法类别", exact=True).fill(OFFICER["category"])
    page.get_by_label("执法区域", exact=True).fill(OFFICER["region"])
    choose(page, "岗位职能", *OFFICER["roles"])
    page.get_by_label("有效期起", exact=True).fill(OFFICER["valid_from"])
    page.get_by_label("有效期止", exact=True).fill(OFFICER["valid_until"])
    choose(page, "证件状态", OFFICER["status"])


def test_a_clerk_creates_and_publishes_an_officer(
    repo: Repo, decap_server: str, browser: Any, tmp_path: Path
) -> None:
    www = tmp_path / "www"
    write_admin(www, {AGENCY: "东江市测试区市场监督管理局"}, forge_settings(decap_server))
    errors: list[str] = []
    context = new_context(browser)
    page = context.new_page()
    # Decap throws `undefined` into the page on every save its validation refuses.
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("dialog", lambda dialog: dialog.accept())
    with serve(www) as base:
        page.goto(f"{base}/admin/{AGENCY}/index.html")
        page.get_by_role("button", name="登录").click()
        page.goto(f"{base}/admin/{AGENCY}/index.html#/collections/officers/new")

        fill_officer(page, "3302 9900-0042")  # a space: not a certificate number
        page.get_by_role("button", name="保存", exact=True).click()
        page.get_by_text("不满足模式").first.wait_for()
        assert [b for b in branches(repo) if b.startswith("cms/")] == []
        assert repo.git("rev-list", "--count", "--all") == "1", "the refused form committed"

        cert_field = page.get_by_label("执法证号", exact=True)
        cert_field.clear()
        cert_field.fill(NEW_CERT)
        page.get_by_role("button", name="保存", exact=True).click()
        branch = f"cms/officers/{NEW_CERT}"
        path = f"{OFFICERS}/{NEW_CERT}.yaml"
        wait_until(lambda: file_on(repo, branch, path) is not None, f"{path} on {branch}")
        assert yaml.load(file_on(repo, branch, path) or "", yaml.BaseLoader) == OFFICER
        assert file_on(repo, "main", path) is None, "a save must wait for review"

        page.get_by_role("button", name="状态: 草稿").click()
        page.get_by_role("menuitem", name="就绪").click()
        # Publish only once the new status is in the repository: decap-server changes it and
        # merges in the same working tree, and a publish racing the status change can be lost.
        ready = "decap-cms/pending_publish"
        wait_until(lambda: status_of(repo, branch) == ready, f"{branch} marked {ready}")
        page.get_by_role("button", name="发布", exact=True).click()
        page.get_by_role("menuitem", name="立即发布").click()
        wait_until(lambda: file_on(repo, "main", path) is not None, f"{path} on main")
    context.close()

    published = yaml.load(file_on(repo, "main", path) or "", yaml.BaseLoader)
    assert published == OFFICER
    checkout = tmp_path / "published"
    repo.git("worktree", "add", "-q", "--detach", str(checkout), "main")
    assert main(["validate", "--content", str(checkout / "content")]) == 0
    assert set(errors) <= {"undefined"}, errors


def test_the_same_config_loads_in_sveltia(browser: Any, tmp_path: Path) -> None:
    """Sveltia CMS reads the generated config.yml and shows its sign-in page, no config error."""
    assert SVELTIA.is_file(), "run `make test`: it installs @sveltia/cms"
    www = tmp_path / "www"
    admin = write_admin(
        www, {AGENCY: "东江市测试区市场监督管理局"}, forge_settings("http://127.0.0.1:9/api/v1")
    )
    shutil.copyfile(SVELTIA, admin / "sveltia-cms.js")
    decap_page = (admin / AGENCY / "index.html").read_text("utf-8")
    (admin / AGENCY / "sveltia.html").write_text(
        decap_page.replace("../decap-cms.js", "../sveltia-cms.js"), "utf-8"
    )
    errors: list[str] = []
    context = new_context(browser)
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.extend([message.text] * ("rror" in message.text)))
    with serve(www) as base:
        page.goto(f"{base}/admin/{AGENCY}/sveltia.html")
        page.get_by_role("button", name="Gitea").wait_for()  # "Sign In with Gitea / Forgejo"
    context.close()
    assert not [e for e in errors if "configuration" in e], errors
