"""Issue 9, bodies and build: Markdown rendered in linear time with bounded nesting, and killed builds.

Timed cases run in their own process under the adversarial corpus's bounds (< 5 s, < 500 MB).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from markupsafe import Markup

from generator.bodies import MAX_LIST_DEPTH, body_problems, render_markdown

from .conftest import FIXTURES, REPO
from .html_checks import unsafe_html
from .test_adversarial import MEMORY_BOUND_MB, SECONDS_BOUND, _limit_memory

SHOWCASE = Path(sys.executable).with_name("showcase")
TIMED = """
import json, resource, sys, time
started = time.perf_counter()
from generator.bodies import render_markdown
html = str(render_markdown(sys.stdin.read()))
print(json.dumps({"seconds": time.perf_counter() - started, "length": len(html),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def timed_render(body: str) -> dict:
    completed = subprocess.run([sys.executable, "-c", TIMED], input=body, capture_output=True, text=True,
                               timeout=60, preexec_fn=_limit_memory, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert completed.returncode == 0, completed.stderr[-2000:]
    return json.loads(completed.stdout)


@pytest.mark.parametrize("body", [
    "[" * 10_000, "[a](" * 5000, "- " * 5000 + "x\n", "> " * 5000 + "x\n", "*a **a " * 5000, "<a " * 4000,
    "a\n=\n" * 25_000,
], ids=["brackets", "unclosed-links", "nested-lists", "nested-quotes", "emphasis", "inline-html", "setext-100kb"])
def test_hostile_bodies_render_within_bounds(body: str):
    result = timed_render(body)
    assert result["seconds"] < SECONDS_BOUND, result
    assert result["peak_mb"] < MEMORY_BOUND_MB, result
    assert result["length"] > 0


def test_render_markdown_keeps_the_allowed_subset():
    html = render_markdown("## Ziel\n\n~~alt~~ **neu** [Link](https://a.example/) [x](javascript:alert(1))\n\n"
                           "| a | b |\n|--:|---|\n| 1 | 2 |\n\n3. drei\n\n<script>alert(1)</script>\n")
    assert isinstance(html, Markup)
    for part in ("<h2>Ziel</h2>", "<del>alt</del>", "<strong>neu</strong>", 'href="https://a.example/"',
                 "<table>", '<ol start="3">'):
        assert part in html, part
    assert "javascript" not in html and "<script" not in html and unsafe_html(html) == []


def test_comments_never_reach_a_page():
    assert "geheim" not in render_markdown("Sichtbar <!-- geheim -->\n\nText <!--\n\ngeheim\n\n-->weiter\n")
    assert "geheim" not in render_markdown("Text\n\n<!-- nicht geschlossen\n\ngeheim\n")


def test_deep_nesting_is_named_and_never_loses_text():
    deep = "".join("  " * level + f"- Ebene {level}\n" for level in range(MAX_LIST_DEPTH + 1))
    assert body_problems(deep) == [(MAX_LIST_DEPTH, "body-too-deep")]
    html = render_markdown(deep)
    assert all(f"Ebene {level}" in html for level in range(MAX_LIST_DEPTH + 1))  # nothing dropped
    allowed = "".join("  " * level + f"- Ebene {level}\n" for level in range(MAX_LIST_DEPTH))
    assert body_problems(allowed) == [] and render_markdown(allowed).count("<ul>") == MAX_LIST_DEPTH


def test_control_characters_in_a_body_are_named():
    assert body_problems("Zeile\n\nText \x00 hier\n") == [(2, "body-control-character")]
    assert "\x00" not in render_markdown("Text \x00 hier\n")
    assert body_problems("Tab\tund Zeilen\r\n") == []


# --- a killed build leaves nothing behind -----------------------------------------------------------------------


def _leftovers(parent: Path) -> list[str]:
    return sorted(entry.name for entry in parent.iterdir() if ".building-" in entry.name or ".old-" in entry.name)


def _build(root: Path, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(SHOWCASE), "build", "--config", str(root / "site_config.yml"), "--out", str(out),
                           "--quiet"], capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
@pytest.mark.parametrize("previous_site", [False, True], ids=["first-build", "rebuild"])
def test_killed_build_leaves_no_site_beside_the_output(tmp_path: Path, sig: signal.Signals, previous_site: bool):
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "minimal", root, symlinks=True)
    out = tmp_path / "public" / "site"
    out.parent.mkdir()
    if previous_site:
        assert _build(root, out).returncode == 0
    process = subprocess.Popen([str(SHOWCASE), "build", "--config", str(root / "site_config.yml"), "--out",
                                str(out), "--quiet"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not _leftovers(out.parent) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert process.poll() is None, "the build ended before its staging folder was seen"
    process.send_signal(sig)
    process.wait(timeout=30)
    # Nothing half-built at the output path: either the previous site or nothing (the first build).
    assert out.exists() == previous_site
    completed = _build(root, out)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert _leftovers(out.parent) == []
    for name in ("index.html", "404.html", "sitemap.xml", "search/pagefind-entry.json"):
        assert (out / name).is_file(), name


def test_a_running_build_keeps_its_staging_folder(tmp_path: Path):
    from generator.build import _staging_prefix, remove_stale_staging

    out = tmp_path / "site"
    mine = tmp_path / (_staging_prefix(out, "building") + "abc123")  # this process: alive
    stale = tmp_path / ".site.building-4194305-abc123"  # above the largest Linux pid: gone
    legacy = tmp_path / ".site.old-k2j4_8xy"  # an older version's name, without a pid
    foreign = tmp_path / ".other.building-1-abc"
    for folder in (mine, stale, legacy, foreign):
        folder.mkdir()
    remove_stale_staging(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([mine.name, foreign.name])
