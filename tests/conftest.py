from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite the golden files under tests/ from the current output")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def check_golden(path: Path, actual: str, update: bool) -> None:
    """Compare with a golden file; `pytest --update-golden` rewrites it (review the diff before committing)."""
    if update or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        if not update:
            pytest.fail(f"golden file {path} did not exist and was written; review and commit it")
        return
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"output differs from {path}; run `pytest --update-golden` if intended"


@pytest.fixture
def project(tmp_path: Path):
    """A copy of a fixture tree in a temporary folder, so tests may change it freely."""

    def make(name: str = "minimal") -> Path:
        target = tmp_path / name
        shutil.copytree(FIXTURES / name, target, symlinks=True)
        return target

    return make


@pytest.fixture
def in_dir(monkeypatch: pytest.MonkeyPatch):
    def enter(path: Path) -> Path:
        monkeypatch.chdir(path)
        return path

    return enter


@pytest.fixture(autouse=True)
def _no_github_env(monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests run inside GitHub Actions too; output format must not depend on it unless a test says so.
    if os.environ.get("GITHUB_ACTIONS"):
        monkeypatch.delenv("GITHUB_ACTIONS")
