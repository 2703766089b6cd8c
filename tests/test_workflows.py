"""The GitHub Actions workflow: lint-clean, safe for strangers' pull requests, and its commands really work."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

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


def test_there_is_a_workflow():
    assert [p.name for p in WORKFLOWS] == ["site.yml"]


def test_zizmor_finds_nothing():
    targets = [*map(str, WORKFLOWS), str(REPO / ".pre-commit-config.yaml"), str(REPO / ".pre-commit-hooks.yaml")]
    result = subprocess.run([str(BIN / "zizmor"), "--offline", "--persona", "pedantic", "--format", "plain",
                             *targets], capture_output=True, text=True, env=tool_env(), timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout


def test_workflows_match_githubs_schema():
    result = subprocess.run([str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows",
                             *map(str, WORKFLOWS)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_runs_on_every_pull_request_and_push_but_never_on_pull_request_target():
    for path in WORKFLOWS:
        triggers = load(path)["on"]
        assert "pull_request_target" not in triggers and "workflow_run" not in triggers, path.name
    triggers = site_workflow()["on"]
    assert "pull_request" in triggers and "push" in triggers
    for event in ("pull_request", "push"):
        assert not (triggers[event] or {}), f"{event} must not be filtered: every pull request and push is checked"


def test_every_action_is_pinned_to_a_full_commit_sha_with_its_version():
    for path in WORKFLOWS:
        text = path.read_text(encoding="utf-8")
        uses = re.findall(r"^\s*(?:-\s+)?uses:\s*(\S+)(.*)$", text, flags=re.M)
        assert uses
        for action, rest in uses:
            assert SHA_PIN.match(action), f"{path.name}: {action} is not pinned to a commit SHA"
            assert re.match(r"\s+#\s+v\d+(\.\d+)*", rest), f"{path.name}: {action} lacks a `# vX.Y.Z` comment"


def test_permissions_are_least_privilege():
    workflow = site_workflow()
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
    assert "secrets." not in yaml.safe_dump(check)
    assert "environment" not in check
    checkout = next(s for s in steps(check) if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["persist-credentials"] is False
    assert "secrets." not in (REPO / ".github/workflows/site.yml").read_text(encoding="utf-8")


def test_check_job_installs_validates_builds_and_uploads_the_site():
    check = site_workflow()["jobs"]["check"]
    setup = next(s for s in steps(check) if s.get("uses", "").startswith("actions/setup-python@"))
    assert setup["with"]["cache"] == "pip"
    runs = [s["run"].strip() for s in steps(check) if "run" in s]
    assert runs == ["python -m pip install -e .", "showcase validate", "showcase build --strict --out site"]
    upload = steps(check)[-1]
    assert upload["uses"].startswith("actions/upload-pages-artifact@")
    assert upload["with"]["path"] == "site"  # what `--out` wrote


def test_deploy_runs_only_for_the_default_branch_after_the_check():
    deploy = site_workflow()["jobs"]["deploy"]
    assert deploy["needs"] == "check"
    condition = " ".join(deploy["if"].split())
    assert "github.event_name == 'push'" in condition
    assert "github.ref == format('refs/heads/{0}', github.event.repository.default_branch)" in condition
    assert "pull_request" not in condition
    assert deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in steps(deploy)] == ["actions/deploy-pages"]
    assert not any("run" in s for s in steps(deploy))  # nothing from the repository runs with write access


def workflow_commands() -> list[list[str]]:
    check = site_workflow()["jobs"]["check"]
    return [shlex.split(s["run"]) for s in steps(check) if s.get("run", "").startswith("showcase ")]


def test_the_workflow_commands_mean_what_the_workflow_promises(capsys, in_dir, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    in_dir(FIXTURES / "minimal")
    validate, build = workflow_commands()
    assert main(validate[1:]) == 0
    assert capsys.readouterr().out == ""  # valid content: no annotations
    # The build itself is covered by tests/test_build.py; here: the workflow's arguments are valid and mean
    # "fail on any warning" and "write to the folder that is uploaded".
    args = build_parser().parse_args(build[1:])
    assert (args.command, args.strict, args.out) == ("build", True, Path("site"))


def test_the_workflow_validation_annotates_the_lines_of_a_broken_pull_request(capsys, in_dir, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    in_dir(FIXTURES / "invalid")
    validate = workflow_commands()[0]
    assert main(validate[1:]) == 1
    out = capsys.readouterr().out
    assert "::error file=content/proposals/unknown-field.md,line=2,col=1,title=unknown-field (titel)::" \
           "Das Feld `titel` ist unbekannt. Meinten Sie `title`?" in out
    assert all(line.startswith(("::error ", "::warning ")) for line in out.splitlines())


def test_pull_request_template_mirrors_the_matching_rules():
    template = (REPO / ".github/pull_request_template.md").read_text(encoding="utf-8")
    guide = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    rules = ["Nicht-monetär", "Konkreter Nutzen", "Anders nicht zu bekommen", "In begrenzter Zeit machbar"]
    checkboxes = re.findall(r"^- \[ \] \*\*([^*:]+):\*\*", template, flags=re.M)
    assert checkboxes == rules
    numbered = re.findall(r"^\d\. \*\*([^*.]+)\.\*\*", guide.split("## 2.", 1)[1].split("\n## ", 1)[0],
                          flags=re.M)
    assert numbered == rules
