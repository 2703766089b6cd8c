"""A network's content repository holds only content/ and site_config.yml: no templates/, no generator/.

Everything else — templates, texts, CSS — comes from the installed package; a `templates/i18n/<language>.yml` may
change single texts (merged key by key). These tests run the installed `showcase` in such a repository.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .conftest import REPO
from .test_serve import get, preview

BIN = Path(sys.executable).parent
NETWORK = yaml.safe_load((REPO / "site_config.yml").read_text(encoding="utf-8"))["network"]["name"]


def run(root: Path, *args: str, timeout: float = 180) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    return subprocess.run([str(BIN / "showcase"), *args], cwd=root, env=env, capture_output=True, text=True,
                          timeout=timeout)


@pytest.fixture
def content_repo(tmp_path: Path) -> Path:
    """The sample network's content/ and site_config.yml, and nothing else."""
    root = tmp_path / "netz"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy2(REPO / "site_config.yml", root / "site_config.yml")
    assert sorted(p.name for p in root.iterdir()) == ["content", "site_config.yml"]
    return root


def rename_proposals(root: Path) -> Path:
    override = root / "templates/i18n/de.yml"
    override.parent.mkdir(parents=True)
    override.write_text("sections: {proposals: aufgaben}\n", encoding="utf-8")
    return override


def test_validate_passes(content_repo):
    result = run(content_repo, "validate")
    assert result.returncode == 0, result.stdout + result.stderr


def test_strict_build_writes_the_site(content_repo, tmp_path):
    result = run(content_repo, "build", "--strict", "--out", str(tmp_path / "site"))
    assert result.returncode == 0, result.stdout + result.stderr
    home = (tmp_path / "site/index.html").read_text(encoding="utf-8")
    assert NETWORK in home
    assert (tmp_path / "site/assets").is_dir()
    assert (tmp_path / "site/admin/config.yml").is_file(), "the web editor comes with the package, too"
    assert not (content_repo / "templates").exists()


def test_serve_shows_the_home_page(content_repo, tmp_path):
    with preview(content_repo, tmp_path) as running:
        status, body = get(running.url)
        assert status == 200 and NETWORK in body


def test_one_slug_override_keeps_every_other_text(content_repo, tmp_path):
    rename_proposals(content_repo)
    result = run(content_repo, "build", "--strict", "--out", str(tmp_path / "site"))
    assert result.returncode == 0, result.stdout + result.stderr
    site = tmp_path / "site"
    assert (site / "aufgaben/index.html").is_file()
    assert not (site / "herausforderungen").exists()
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="aufgaben/' in home or 'href="/aufgaben/' in home
    assert "Erfolgsgeschichten" in home  # the other sections keep their labels
    assert NETWORK in home


def test_a_page_on_the_overridden_address_is_an_error(content_repo):
    override = rename_proposals(content_repo)
    page = content_repo / "content/pages/aufgaben.md"
    page.write_text('---\ntitle: "Angebote"\n---\nUnsere Angebote.\n', encoding="utf-8")
    result = run(content_repo, "validate")
    assert result.returncode == 1, result.stdout + result.stderr
    line = next(line for line in result.stdout.splitlines() if "content/pages/aufgaben.md" in line)
    assert "error" in line and str(override.relative_to(content_repo)) in line
    assert "Traceback" not in result.stderr


# --- the pre-commit hook `showcase-validate` in a content repository -------------------------------------

HOOK = next(h for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
            if h["id"] == "showcase-validate")


def git(root: Path, *args: str) -> str:
    env = dict(os.environ, GIT_AUTHOR_NAME="Test", GIT_AUTHOR_EMAIL="test@example.org",
               GIT_COMMITTER_NAME="Test", GIT_COMMITTER_EMAIL="test@example.org")
    return subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True, text=True).stdout


def pre_commit_run(root: Path, tmp_path: Path, config: dict) -> subprocess.CompletedProcess:
    (root / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "-A")
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    env["PRE_COMMIT_HOME"] = str(tmp_path / "pre-commit-home")
    return subprocess.run([str(BIN / "pre-commit"), "run", "--all-files", "--hook-stage", "pre-commit"], cwd=root,
                          env=env, capture_output=True, text=True, timeout=300)


def snapshot_of_this_repository(target: Path) -> str:
    """This working tree (tracked and new files, as they are now) committed into a fresh git repository.

    pre-commit clones a hook repository at a commit; HEAD of /work/main would test what was committed, not what
    is being changed, so the hook repository is a commit of the current files."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO,
                            check=True, capture_output=True, text=True).stdout.split("\0")
    for name in filter(None, listed):
        source = REPO / name
        if source.is_file() or source.is_symlink():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name, follow_symlinks=False)
    git(target, "init", "-q")
    git(target, "add", "-A")
    git(target, "commit", "-q", "--no-verify", "-m", "snapshot")
    return git(target, "rev-parse", "HEAD").strip()


def test_precommit_hook_installed_by_pre_commit(content_repo, tmp_path):
    """The real thing: pre-commit installs this package (dependencies from PyPI) and runs the published hook."""
    hooks_repo = tmp_path / "hooks-repo"
    rev = snapshot_of_this_repository(hooks_repo)
    config = {"repos": [{"repo": str(hooks_repo), "rev": rev, "hooks": [{"id": "showcase-validate"}]}]}
    result = pre_commit_run(content_repo, tmp_path, config)
    output = result.stdout + result.stderr
    if result.returncode != 0 and any(sign in output for sign in ("Could not find a version", "NewConnectionError",
                                                                  "Temporary failure in name resolution")):
        pytest.skip("pre-commit could not install the hook's dependencies (no package index reachable)")
    assert result.returncode == 0, output
    assert "Passed" in result.stdout and HOOK["name"] in result.stdout


def test_precommit_hook_with_this_environment(content_repo, tmp_path):
    """Offline variant: the same hook (entry, files, options) as `language: system` with this venv's showcase."""
    words = HOOK["entry"].split()
    hook = {key: value for key, value in HOOK.items() if key != "description"}
    hook.update(language="system", entry=" ".join([str(BIN / words[0]), *words[1:]]))
    result = pre_commit_run(content_repo, tmp_path, {"repos": [{"repo": "local", "hooks": [hook]}]})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Passed" in result.stdout
    # and it does fail on broken content
    (content_repo / "site_config.yml").write_text("network: [kaputt\n", encoding="utf-8")
    git(content_repo, "add", "-A")
    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"))
    broken = subprocess.run([str(BIN / "pre-commit"), "run", "--all-files"], cwd=content_repo, env=env,
                            capture_output=True, text=True, timeout=300)
    assert broken.returncode == 1 and "site_config.yml" in broken.stdout, broken.stdout + broken.stderr
