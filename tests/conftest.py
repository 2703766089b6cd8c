from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.configuration import set_hypothesis_home_dir
from hypothesis.database import DirectoryBasedExampleDatabase

from generator.pipeline import Checked, check
from generator.publish import publish
from generator.render import RenderedPage, render_site

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite the golden files under tests/ from the current output")
    parser.addoption("--update-screenshots", action="store_true",
                     help="rewrite the web editor's screenshots in docs/bilder/ (used by CONTRIBUTING.md)")


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


# --- the pipeline, as the tests use it ----------------------------------------------------------------------------


def checked_project(root: Path, strict: bool = False) -> Checked:
    """`showcase validate`'s view of the project at `root` (its site_config.yml and content/)."""
    return check(root / "site_config.yml", strict)


def rendered_pages(checked: Checked) -> list[RenderedPage]:
    """Every page of a checked project's site, rendered (nothing written to disk)."""
    assert checked.content is not None and checked.theme is not None, checked.diagnostics
    site = publish(checked.content, checked.theme.urls)
    return render_site(site, checked.theme, checked.project)


# Hypothesis profiles: a quick one for every test run, a long one for fuzzing sessions:
#   HYPOTHESIS_PROFILE=long pytest tests/test_fuzz.py
# Hypothesis keeps its example database and caches (`constants/`, `tmp/`) in the system's temp folder, never in
# the working tree (its default is `.hypothesis/` in whatever folder pytest runs from).
HYPOTHESIS_HOME = Path(os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY")
                       or Path(tempfile.gettempdir()) / "cooperation-showcase-hypothesis")
set_hypothesis_home_dir(HYPOTHESIS_HOME)
HYPOTHESIS_DATABASE = DirectoryBasedExampleDatabase(HYPOTHESIS_HOME / "examples")
_HYPOTHESIS = {"deadline": None, "database": HYPOTHESIS_DATABASE,
               "suppress_health_check": [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]}
settings.register_profile("quick", max_examples=60, **_HYPOTHESIS)
settings.register_profile("long", max_examples=5000, **_HYPOTHESIS)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "quick"))


# --- the built sample site, served on 127.0.0.1, and Debian's chromium (browser tests) ---------------------------

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the built site like a static web host: a missing path gets the site's own 404.html, status 404."""

    def log_message(self, *args: object) -> None:  # no access log in the test output
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class _SiteServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # the browser dropped a connection it no longer needed (navigation, aborted download)
        super().handle_error(request, client_address)


REAL_NETWORKS = FIXTURES / "real-networks"
"""A second network of real, published cases (tests/fixtures/real-networks/SOURCES.md)."""


def built_site(tmp_path_factory: pytest.TempPathFactory, config: Path, name: str) -> Path:
    """A network built with `python -m generator build --strict`, as editors and CI do."""
    out = tmp_path_factory.mktemp(name) / "site"
    completed = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--quiet", "--strict", "--config", str(config),
         "--out", str(out)],
        cwd=REPO, capture_output=True, text=True, timeout=600, check=False,
    )
    assert completed.returncode == 0, f"building {config} failed:\n{completed.stdout}{completed.stderr}"
    return out


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample network, built once per session."""
    return built_site(tmp_path_factory, REPO / "site_config.yml", "sample-site")


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real-networks fixture, built once per session."""
    return built_site(tmp_path_factory, REAL_NETWORKS / "site_config.yml", "real-site")


@pytest.fixture(scope="session")
def site_url(sample_site: Path) -> Iterator[str]:
    """The sample site served over HTTP on 127.0.0.1 (a free port) for the session; ends with a slash."""
    yield from serve_site(sample_site)


@pytest.fixture(scope="session")
def real_site_url(real_site: Path) -> Iterator[str]:
    yield from serve_site(real_site)


def serve_site(site: Path) -> Iterator[str]:
    handler = functools.partial(_SiteHandler, directory=str(site))
    server = _SiteServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def chromium():
    """One headless Debian chromium for the session. Missing chromium is a failure, not a skip: CI installs it."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing. The browser tests need Debian's chromium: `apt-get install chromium` "
                    "(scripts/test.sh does it). Never `playwright install`.", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
