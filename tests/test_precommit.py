"""pre-commit: the hooks other content repositories use, and this repository's own configuration."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.schema import generated_files

from .conftest import FIXTURES, REPO

BIN = Path(sys.executable).parent
HOOKS = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
CONFIG = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))


def pre_commit(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"))
    return subprocess.run([str(BIN / "pre-commit"), *args], capture_output=True, text=True, env=env,
                          cwd=tmp_path, timeout=120)


def test_manifest_and_config_are_valid(tmp_path):
    for args in (("validate-manifest", str(REPO / ".pre-commit-hooks.yaml")),
                 ("validate-config", str(REPO / ".pre-commit-config.yaml"))):
        result = pre_commit(tmp_path, *args)
        assert result.returncode == 0, result.stdout + result.stderr


def test_validate_hook_runs_on_content_and_site_config_only():
    hook = next(h for h in HOOKS if h["id"] == "showcase-validate")
    assert hook["files"] == r"^(content/|site_config\.yml)"
    assert hook["pass_filenames"] is False  # the validator always checks everything (references!)
    pattern = re.compile(hook["files"])
    for path in ("content/proposals/laptops.md", "content/organizations/x.yml", "content/images/a.png",
                 "site_config.yml"):
        assert pattern.search(path), path
    for path in ("README.md", "generator/model.py", "docs/content/x.md", "tests/fixtures/minimal/site_config.yml"):
        assert not pattern.search(path), path


def copy_fixture(tmp_path: Path, name: str) -> Path:
    target = tmp_path / name
    shutil.copytree(FIXTURES / name, target, symlinks=True)
    return target


def fresh_schemas(tmp_path: Path, stale: bool) -> Path:
    root = tmp_path / ("stale" if stale else "fresh")
    for rel, text in generated_files().items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    if stale:
        (root / "docs/felder.md").write_text("# Von Hand geändert\n", encoding="utf-8")
    return root


# hook id → (make a valid repository, make an invalid one, exit code expected for the invalid one)
CASES = {
    "showcase-validate": (lambda t: copy_fixture(t, "minimal"), lambda t: copy_fixture(t, "invalid"), 1),
    "showcase-schema": (lambda t: fresh_schemas(t, stale=False), lambda t: fresh_schemas(t, stale=True), 1),
}


def test_every_hook_has_a_test_case():
    assert sorted(h["id"] for h in HOOKS) == sorted(CASES)


def start_hook(hook: dict, cwd: Path) -> subprocess.Popen:
    """Start a hook's entry the way pre-commit runs it (entry + args, no file names), with this venv's tools."""
    words = shlex.split(hook["entry"]) + list(hook.get("args", []))
    executable = BIN / words[0]
    assert executable.is_file(), f"{words[0]} is not installed by this package"
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    return subprocess.Popen([str(executable), *words[1:]], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=cwd, env=env)


@pytest.mark.parametrize("hook", HOOKS, ids=lambda hook: hook["id"])
def test_hook_entry_passes_valid_and_fails_invalid_content(tmp_path, hook):
    make_valid, make_invalid, failure = CASES[hook["id"]]
    assert hook["language"] == "python"  # pre-commit installs this package for it
    good, bad = start_hook(hook, make_valid(tmp_path)), start_hook(hook, make_invalid(tmp_path))
    good_out, good_err = good.communicate(timeout=120)
    bad_out, bad_err = bad.communicate(timeout=120)
    assert good.returncode == 0, good_out + good_err
    assert bad.returncode == failure, bad_out + bad_err
    assert "Traceback" not in bad_err
    assert "error[" in bad_out or "veraltet" in bad_out


def test_this_repository_runs_the_same_hooks_locally():
    local = next(repo for repo in CONFIG["repos"] if repo["repo"] == "local")["hooks"]
    by_id = {hook["id"]: hook for hook in local}
    for hook in HOOKS:
        mine = by_id[hook["id"]]
        assert mine["entry"] == hook["entry"]
        assert mine["pass_filenames"] is False
        probe = "generator/model.py" if "schema" in hook["id"] else "site_config.yml"
        assert re.compile(mine["files"]).search(probe)
    assert {"ruff", "zizmor", "workflows"} <= set(by_id)
