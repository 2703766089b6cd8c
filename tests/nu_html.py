"""The Nu Html Checker (vnu.jar, the W3C's HTML validator) over pages of a built site: which errors come from our
templates and which from mkdocs-material's own `base.html`, which the theme cannot override.

vnu.jar comes from npm (`vnu-jar` in package.json, installed by `npm ci` in scripts/setup.sh, without its install
script: the jar is part of the package) and runs on Debian's Java (17 or later). Used by tests/test_html_valid.py
and benchmarks/bench_pages.py.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VNU_JAR = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@dataclass(frozen=True)
class Known:
    """An error that mkdocs-material's own templates cause, outside anything our overrides replace."""

    template: str
    message: re.Pattern[str]
    extract: re.Pattern[str]
    why: str


MATERIAL = [
    Known("material/templates/base.html",
          re.compile(r"^Attribute “autocomplete” is only allowed when the input type is "),
          re.compile(r'<input class="md-toggle" data-md-toggle="(drawer|search)" type="checkbox"'),
          "the menu's and the search's toggles `<input type=\"checkbox\" autocomplete=\"off\">` stand outside any "
          "block of base.html (replacing them means copying the whole base template); Material sets the attribute "
          "so that Firefox does not restore a checked toggle when a visitor goes back"),
]


@dataclass(frozen=True)
class Finding:
    page: str
    """The file, relative to the site's folder."""
    line: int
    message: str
    extract: str
    material: str | None
    """The Material template it comes from (a `MATERIAL` entry), None for ours: anything not known to be
    Material's counts as ours."""

    def __str__(self) -> str:
        return f"{self.page}:{self.line}: {self.message} [{' '.join(self.extract.split())[:120]}]"


def java() -> str | None:
    return shutil.which("java")


def missing() -> str | None:
    """Why the checker cannot run here, or None."""
    if java() is None:
        return "java is missing: `apt-get install default-jre-headless` (scripts/setup.sh --test does it)"
    if not VNU_JAR.is_file():
        return f"{VNU_JAR} is missing: `npm ci --ignore-scripts` (scripts/setup.sh --test does it)"
    return None


def version() -> str:
    completed = subprocess.run([java() or "java", "-jar", str(VNU_JAR), "--version"], capture_output=True,
                               text=True, check=False)
    return completed.stdout.strip()


def check(site: Path, files: list[Path]) -> tuple[list[Finding], list[Finding]]:
    """Errors and warnings in `files` (HTML, and CSS files of the site), in one run of the checker."""
    reason = missing()
    if reason:
        raise RuntimeError(reason)
    command = [java() or "java", "-jar", str(VNU_JAR), "--format", "json", "--stdout", "--exit-zero-always",
               "--also-check-css", *map(str, files)]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    if completed.returncode != 0:
        raise RuntimeError(f"vnu exit {completed.returncode}: {completed.stderr[-2000:]}")
    errors, warnings = [], []
    for item in json.loads(completed.stdout)["messages"]:
        kind = item.get("type")
        if kind == "non-document-error":  # a file it could not read
            raise RuntimeError(f"vnu: {item.get('message')} ({item.get('url')})")
        if kind not in ("error", "info") or (kind == "info" and item.get("subType") != "warning"):
            continue
        path = Path(item["url"].removeprefix("file:")).resolve()
        page = path.relative_to(site.resolve()).as_posix() if path.is_relative_to(site.resolve()) else str(path)
        message, extract = item.get("message", ""), item.get("extract", "")
        source = next((known.template for known in MATERIAL
                       if known.message.search(message) and known.extract.search(extract)), None)
        finding = Finding(page, item.get("lastLine", 0), message, extract, source)
        (errors if kind == "error" else warnings).append(finding)
    return errors, warnings


def site_files(site: Path) -> list[Path]:
    """Every HTML page of a built site but the web editor's (admin/, a third-party application), and our CSS."""
    pages = sorted(path for path in site.rglob("*.html") if path.relative_to(site).parts[0] != "admin")
    return pages + sorted(site.rglob("showcase.css"))


def summary(findings: list[Finding]) -> list[str]:
    """One line per message: how often, on how many pages, the first place."""
    counts = Counter((finding.material, finding.message) for finding in findings)
    lines = []
    for (material, message), count in sorted(counts.items(), key=lambda item: (-item[1], item[0][1])):
        same = [finding for finding in findings if finding.message == message and finding.material == material]
        pages = len({finding.page for finding in same})
        origin = f" ({material})" if material else ""
        first = same[0]
        lines.append(f"{count}x on {pages} page(s){origin}: {message} – first {first.page}:{first.line} "
                     f"[{' '.join(first.extract.split())[:120]}]")
    return lines
