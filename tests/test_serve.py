"""`showcase serve`: the live preview, driven as editors use it — a real process on a real port.

Every test starts `showcase serve` on a free port with its own TMPDIR (so the preview's temporary folder can be
found and checked), polls quickly against generous deadlines, and always stops the process in `finally`.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.catalogue import catalogue

SHOWCASE = Path(sys.executable).parent / "showcase"
DEADLINE = 30.0
"""Seconds a preview may take to start or to show a change; generous, the polls return as soon as it is there."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Running:
    process: subprocess.Popen
    url: str
    port: int
    tmpdir: Path
    log: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def previews(self) -> list[Path]:
        return sorted(self.tmpdir.glob("showcase-preview-*"))


def start(root: Path, tmp: Path, port: int, *extra: str) -> Running:
    """`showcase serve` in `root`, with stdout and stderr in one log file (no pipe can fill up)."""
    tmpdir, log = tmp / "tmpdir", tmp / f"serve-{port}.log"
    tmpdir.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"} | {"TMPDIR": str(tmpdir)}
    with log.open("wb") as handle:
        process = subprocess.Popen([str(SHOWCASE), "serve", "--port", str(port), *extra], cwd=root, env=env,
                                   stdout=handle, stderr=subprocess.STDOUT)
    return Running(process, f"http://127.0.0.1:{port}/", port, tmpdir, log)


def stop(running: Running) -> None:
    if running.process.poll() is None:
        running.process.kill()
        running.process.wait(timeout=DEADLINE)


@contextlib.contextmanager
def preview(root: Path, tmp: Path) -> Iterator[Running]:
    """A running preview whose home page answers; killed afterwards whatever happened."""
    running = start(root, tmp, free_port())
    try:
        wait_for(running, "", lambda status, body: status == 200)
        yield running
    finally:
        stop(running)


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def wait_for(running: Running, path: str, ready: Callable[[int, str], bool]) -> str:
    """Poll `path` until `ready(status, body)`; fails with the server's output when the deadline passes."""
    deadline, last = time.monotonic() + DEADLINE, "(no answer)"
    while time.monotonic() < deadline:
        if running.process.poll() is not None:
            pytest.fail(f"showcase serve ended with {running.process.returncode}:\n{running.output()}")
        try:
            status, body = get(running.url + path)
        except OSError as error:  # not listening yet, or a connection reset during a rebuild
            last = repr(error)
        else:
            if ready(status, body):
                return body
            last = f"{status}: {body[:500]}"
        time.sleep(0.1)
    pytest.fail(f"{running.url}{path} not ready within {DEADLINE} s; last answer {last}\n{running.output()}")


ERROR_TITLE = catalogue("de").text("error.title")


def test_home_page_is_served_and_the_address_printed(project, tmp_path):
    with preview(project("minimal"), tmp_path) as running:
        status, body = get(running.url)
        assert status == 200
        assert "Testnetz Musterstadt" in body
        assert catalogue("de").text("progress.preview", host="127.0.0.1", port=running.port) in running.output()
        assert "Traceback" not in running.output()


def test_a_changed_title_appears_without_restart(project, tmp_path):
    root = project("minimal")
    proposal = root / "content/proposals/laptops-fuer-den-jugendtreff.md"
    with preview(root, tmp_path) as running:
        proposal.write_text(proposal.read_text(encoding="utf-8").replace(
            'title: "Laptops für den Jugendtreff"', 'title: "Tablets für den Jugendtreff"'), encoding="utf-8")
        wait_for(running, "", lambda status, body: "Tablets für den Jugendtreff" in body)
        wait_for(running, "herausforderungen/laptops-fuer-den-jugendtreff/",
                 lambda status, body: status == 200 and "Tablets für den Jugendtreff" in body)


def test_broken_content_shows_an_error_page_until_it_is_fixed(project, tmp_path):
    root = project("minimal")
    organization = root / "content/organizations/stadt.yml"
    original = organization.read_text(encoding="utf-8")
    with preview(root, tmp_path) as running:
        organization.write_text("name: [nicht geschlossen\n", encoding="utf-8")
        body = wait_for(running, "", lambda status, body: ERROR_TITLE in body)
        assert "content/organizations/stadt.yml" in body
        assert "Testnetz Musterstadt" not in body
        # any other address shows the error page as well, with the live-reload script
        status, other = get(running.url + "herausforderungen/")
        assert ERROR_TITLE in other and "livereload" in other
        organization.write_text(original, encoding="utf-8")
        wait_for(running, "", lambda status, body: status == 200 and "Testnetz Musterstadt" in body)
        assert ERROR_TITLE not in get(running.url)[1]
        assert running.process.poll() is None


def test_busy_port_gives_one_line_and_exit_code_2(project, tmp_path):
    root = project("minimal")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        running = start(root, tmp_path, port)
        try:
            running.process.wait(timeout=DEADLINE)
        finally:
            stop(running)
    output = running.output()
    lines = [line for line in output.splitlines() if line.strip()]
    expected = catalogue("de").strings["cli"]["port_busy"].split("{other}")[0].format(port=port)
    assert running.process.returncode == 2, output
    assert len(lines) == 1 and lines[0].startswith(expected), output
    assert "Traceback" not in output
    assert running.previews() == []


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl+C"])
def test_stopping_removes_the_temporary_folder(project, tmp_path, signum):
    with preview(project("minimal"), tmp_path) as running:
        folders = running.previews()
        assert len(folders) == 1 and (folders[0] / "site/index.html").is_file()
        running.process.send_signal(signum)
        running.process.wait(timeout=DEADLINE)
        assert running.process.returncode == 0, running.output()
        assert not folders[0].exists()
        assert "Traceback" not in running.output()

