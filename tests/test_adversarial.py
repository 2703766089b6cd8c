"""The adversarial corpus: careless or malicious content from a pull request.

Each case states its input, its expected outcome — an error naming file, line and field, or sanitised output —
and runs in its own process under a resource bound that the test asserts: under 5 s and under 500 MB.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from generator.catalogue import package_strings
from generator.kinds import PROPOSAL as PROPOSAL_KIND
from generator.urls import UrlScheme

from .adversarial_runner import EVERY_TEXT_FILE as EVERY_FILE
from .conftest import FIXTURES, REPO
from .html_checks import unsafe_html

RUNNER = Path(__file__).with_name("adversarial_runner.py")
SECONDS_BOUND = 5.0
MEMORY_BOUND_MB = 500
URLS = UrlScheme(package_strings("de")["sections"])
"""The German site's addresses, from the package catalogue's slugs."""
PROPOSAL = "content/proposals/laptops-fuer-den-jugendtreff.md"
PAGE = URLS.detail(PROPOSAL_KIND, "laptops-fuer-den-jugendtreff")
BUILT_PAGE = URLS.detail_url(PROPOSAL_KIND, "laptops-fuer-den-jugendtreff") + "index.html"
HEAD = (
    'organization: jugendtreff\nsummary: "Kurz."\nstatus: open\nsubmitted: 2026-01-10\nreviewed: 2026-02-01\n'
    'needs:\n  - kind: sachspende\n    description: "Etwas"\n'
)


def proposal(front: str = 'title: "Fall"\n', body: str = "Text.\n", head: str = HEAD) -> str:
    return f"---\n{front}{head}---\n{body}"


@dataclass(frozen=True)
class Error:
    """The case must fail validation with (at least) this diagnostic."""

    path: str
    line: int
    field: str
    code: str


@dataclass(frozen=True)
class Sanitised:
    """The case must render, and the page must contain none of `absent` but all of `present`."""

    absent: tuple[str, ...] = ()
    present: tuple[str, ...] = ()
    page: str = PAGE


@dataclass(frozen=True)
class Case:
    name: str
    files: dict[str, str | bytes] = field(default_factory=dict)
    expect: Error | Sanitised = Sanitised()
    symlinks: dict[str, str] = field(default_factory=dict)
    mode: str = ""


def body_case(name: str, body: str, *absent: str, present: tuple[str, ...] = ()) -> Case:
    return Case(name, {PROPOSAL: proposal(body=body)}, Sanitised(absent, present))


def error_case(name: str, data: str | bytes, line: int, fieldname: str, code: str,
               path: str = "content/proposals/fall.md") -> Case:
    return Case(name, {path: data}, Error(path, line, fieldname, code))


BOMB = "---\n" + 'a: &a ["x","x","x","x","x","x","x","x","x"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(8)) + "---\n"
WEBSITE = 'name: "Verein"\nkind: nonprofit\nwebsite: "{url}"\n'

ATTACK = '<script>alert(1)</script>\\"onload=\\"alert(2)<b>fett'
"""A payload for every text of site_config.yml: a script, an attribute breakout and markup (YAML-escaped)."""
CONFIG_ATTACK = f"""network:
  name: "Netz {ATTACK}"
  city: "Stadt {ATTACK}"
  tagline: "Motto {ATTACK}"
  contact:
    name: "Kontakt {ATTACK}"
    email: "koordination@example.org"
    address: "Adresse {ATTACK}"
site:
  url: "https://test.example.org/"
  language: de
  notice: "Hinweis {ATTACK}"
themes:
  bildung: "Bildung {ATTACK[:60]}"
  jugend: "Jugend {ATTACK[:60]}"
districts:
  mitte: "Mitte {ATTACK[:60]}"
  nord: Nord
need_kinds:
  sachspende: "Sachspende {ATTACK[:60]}"
  anpacken: Anpacken
  logistik: Logistik
  fachkompetenz: Fachkompetenz
value:
  hourly_rate_eur: 40
"""

CASES = [
    # --- YAML hazards ----------------------------------------------------------------------------------------------
    error_case("duplicate-key-publishes-declined", proposal('title: "A"\nstatus: declined\n', head=HEAD), 6,
               "status", "yaml-duplicate-key"),
    error_case("alias-bomb", BOMB, 2, "", "yaml-anchor"),
    error_case("flow-nesting-60000", "---\ntitle: " + "[" * 60_000 + "\n---\n", 2, "", "yaml-too-deep"),
    error_case("block-nesting", "---\n" + "".join(" " * i + f"k{i}:\n" for i in range(200)) + "---\n", 43, "",
               "yaml-too-deep"),
    error_case("python-tag", proposal("title: !!python/object/apply:os.system [echo hacked]\n"), 2, "title",
               "yaml-tag"),
    error_case("set-tag", proposal("title: !!set {a, b}\n"), 2, "title", "yaml-tag"),
    error_case("binary-tag", proposal("title: !!binary aGVsbG8=\n"), 2, "title", "yaml-tag"),
    error_case("integer-key", proposal('title: "A"\n1: eins\n'), 3, "", "yaml-key-type"),
    error_case("boolean-key", proposal('title: "A"\nno: nein\n'), 3, "", "yaml-key-type"),
    error_case("complex-key", proposal('title: "A"\n[a, b]: x\n'), 3, "", "yaml-key-type"),
    error_case("yaml11-no-is-false", proposal("title: no\n"), 2, "title", "wrong-type"),
    error_case("yaml11-on-is-true", proposal("title: on\n"), 2, "title", "wrong-type"),
    error_case("yaml11-octal", proposal('title: "A"\ncontact:\n  name: "B"\n  phone: 01067\n'), 5,
               "contact.phone", "yaml-ambiguous-number"),
    error_case("yaml11-sexagesimal", proposal('title: "A"\n', head=HEAD + "    hours: 1:30\n"), 11,
               "needs[0].hours", "yaml-ambiguous-number"),
    error_case("invalid-date", proposal('title: "A"\n', head=HEAD.replace("2026-01-10", "2024-02-30")), 6,
               "submitted", "invalid-date"),
    error_case("front-matter-error-not-published", "---\ntitle: [unclosed\nstatus: declined\n---\nText\n", 3, "",
               "yaml-syntax"),
    error_case("front-matter-unclosed", "---\ntitle: x\nstatus: declined\n", 1, "", "front-matter-missing"),
    error_case("compact-block-nesting-100000", "---\nk:\n  " + "- " * 100_000 + "x\n---\n", 3, "", "yaml-too-deep"),
    error_case("infinite-hours", proposal('title: "A"\n', head=HEAD + "    hours: .inf\n"), 11, "needs[0].hours",
               "invalid"),
    error_case("huge-integer", proposal('title: "A"\nbeneficiaries:\n  description: "x"\n  count: 1' + "0" * 400
                                        + "\n"), 5, "beneficiaries.count", "too-large"),
    error_case("reserved-id-index", proposal(), 1, "", "url-taken", path="content/proposals/index.md"),
    error_case("page-replacing-a-section", '---\ntitle: "Fake"\n---\nText\n', 1, "", "url-taken",
               path=f"content/pages/{URLS.slugs['proposals']}.md"),
    body_case("quadratic-inline-html", "<a " * 70_000),
    # --- encodings and characters ----------------------------------------------------------------------------------
    error_case("latin-1", proposal('title: "Größe"\n').encode("latin-1"), 2, "", "encoding"),
    error_case("utf-16", proposal('title: "A"\n').encode("utf-16"), 1, "", "encoding"),
    error_case("nul-byte", proposal('title: "a\x00b"\n').encode(), 2, "", "yaml-syntax"),
    error_case("escaped-control-character", proposal('title: "a\\x07b"\n'), 2, "title", "control-character"),
    error_case("bidi-override", proposal('title: "harmlos\u202etxt.exe"\n'), 2, "title", "control-character"),
    error_case("file-over-1mb", proposal(body="a" * 1_100_000), 1, "", "file-too-large"),
    body_case("quadratic-brackets", "[" * 200_000, present=("[[[[",)),
    # --- file names and paths --------------------------------------------------------------------------------------
    error_case("case-collision", proposal(), 1, "", "invalid-id",
               path="content/proposals/Laptops-Fuer-Den-Jugendtreff.md"),
    error_case("unicode-nfd-name", proposal(), 1, "", "invalid-id", path="content/proposals/cafe\u0301.md"),
    Case("symlinked-content-file", symlinks={"content/proposals/passwd.md": "/etc/passwd"},
         expect=Error("content/proposals/passwd.md", 1, "", "symlink")),
    Case("symlinked-image", {PROPOSAL: proposal(front='title: "A"\nimage: "leak.png"\n')},
         symlinks={"content/images/leak.png": "/etc/passwd"},
         expect=Error(PROPOSAL, 3, "image", "image-outside")),
    error_case("image-path-traversal", proposal('title: "A"\nimage: "../../../etc/passwd.png"\n'), 3, "image",
               "image-path"),
    error_case("image-absolute-path", proposal('title: "A"\nimage: "/etc/passwd.png"\n'), 3, "image", "image-path"),
    # --- URLs in fields --------------------------------------------------------------------------------------------
    error_case("website-javascript", WEBSITE.format(url="javascript:alert(1)"), 3, "website", "invalid-url",
               path="content/organizations/verein.yml"),
    error_case("website-javascript-mixed-case", WEBSITE.format(url=" JaVaScRiPt:alert(1)"), 3, "website",
               "invalid-url", path="content/organizations/verein.yml"),
    error_case("website-data", WEBSITE.format(url="data:text/html,<script>alert(1)</script>"), 3, "website",
               "invalid-url", path="content/organizations/verein.yml"),
    error_case("website-vbscript", WEBSITE.format(url="vbscript:msgbox(1)"), 3, "website", "invalid-url",
               path="content/organizations/verein.yml"),
    error_case("website-attribute-breakout", WEBSITE.format(url='https://a.example/\\" onmouseover=\\"x'), 3,
               "website", "invalid-url", path="content/organizations/verein.yml"),
    # --- Markdown bodies -------------------------------------------------------------------------------------------
    body_case("script-tag", "<script>alert(1)</script>\n", "<script"),
    body_case("iframe", "<iframe src='https://evil.example'></iframe>\n", "<iframe"),
    body_case("meta-refresh", '<meta http-equiv="refresh" content="0;url=https://evil.example">\n', "<meta"),
    body_case("javascript-link", "[klick](javascript:alert(1))\n", "javascript:", present=("klick",)),
    body_case("javascript-link-mixed-case", "[klick](JaVaScRiPt:alert(1))\n", "alert(1)\"", "JaVaScRiPt:"),
    body_case("javascript-link-tab-entity", "<a href='java&#9;script:alert(1)'>klick</a>\n", "script:alert"),
    body_case("javascript-link-newline-entity", "<a href='java&#10;script:alert(1)'>x</a>\n", "script:alert"),
    body_case("entity-encoded-javascript", "<a href='javascript&#x3a;alert(1)'>x</a>\n", "alert(1)"),
    body_case("reference-style-link", "[klick][1]\n\n[1]: javascript:alert(1)\n", "javascript:"),
    body_case("data-url", "[x](data:text/html;base64,PHNjcmlwdD4=)\n", "data:"),
    body_case("vbscript-url", "[x](vbscript:msgbox(1))\n", "vbscript:"),
    # attr_list is not applied to content: the braces stay visible text, no attribute is set (unsafe_html checks)
    body_case("attr-list", "Text {: onclick=\"alert(1)\" }\n\n# Titel {: onclick=\"alert(2)\" }\n",
              present=("{: onclick",)),
    body_case("html-comment", "Sichtbar <!-- geheim: intern -->\n", "geheim", present=("Sichtbar",)),
    body_case("img-onerror", "<img src=x onerror=alert(1)>\n", "<img", "onerror="),
    body_case("svg-onload", "<svg onload=alert(1)><circle r=1></svg>\n", "<svg", "onload="),
    body_case("style-tag", "<style>body{display:none}</style>Text\n", "<style"),
    body_case("form-tag", "<form action='https://evil.example'><input name=p></form>\n", "<form", "<input"),
    body_case("third-party-image", "![Pixel](https://tracker.example/p.png)\n", "tracker.example/p.png\"", "<img"),
    body_case("autolink-javascript", "<javascript:alert(1)>\n", "href=\"javascript"),
    # linear CommonMark in C (cmarkgfm): Python-Markdown took minutes on these, or raised RecursionError
    body_case("setext-headings-200kb", "a\n=\n" * 50_000, "\n=\n", present=("a",)),
    error_case("nested-lists-5000", proposal(body="Vorher\n\n" + "- " * 5000 + "x\n"), 14, "", "body-too-deep"),
    error_case("nested-quotes-5000", proposal(body="> " * 5000 + "x\n"), 12, "", "body-too-deep"),
    Case("nested-quotes-in-unpublished-proposal-full-build",
         {"content/proposals/intern-tief.md": proposal(head=HEAD.replace("status: open", "status: submitted"),
                                                       body="> " * 5000 + "intern\n" + "- " * 5000 + "x\n")},
         Error("content/proposals/intern-tief.md", 12, "", "body-too-deep"), mode="build"),
    error_case("nul-in-body", proposal(body="Text \x00 mit Nullbyte.\n"), 12, "", "body-control-character"),
    error_case("latin-1-in-body", proposal(body="Text\n\nGröße.\n").encode("latin-1"), 14, "", "encoding"),
    error_case("invalid-utf8-in-body", proposal(body="Text\n").encode() + b"\xff\xfe kaputt\n", 13, "",
               "encoding"),
    # --- site_config.yml is content too: every text escaped in every built file --------------------------------
    Case("config-texts-full-build", {"site_config.yml": CONFIG_ATTACK}, Sanitised(
        ("<script>alert(", '"onload=', "<b>fett"), ("&lt;script&gt;",), page=EVERY_FILE), mode="build"),
    # --- fields in pages -------------------------------------------------------------------------------------------
    Case("title-markup-escaped", {PROPOSAL: proposal('title: "<img src=x onerror=alert(1)>"\n')},
         Sanitised(("<img src=x",), ("&lt;img src=x onerror=alert(1)&gt;",))),
    Case("summary-breaks-out-of-attribute",
         {PROPOSAL: proposal('title: "A"\n', head=HEAD.replace('"Kurz."', "'\" onmouseover=\"alert(1)'"))},
         Sanitised(('" onmouseover="',),)),
    Case("nav-title-markup-full-build",
         {"content/pages/ueber-uns.md": '---\nnav: true\ntitle: "Über <img src=x onerror=alert(1)>"\n---\nText\n'},
         Sanitised(("<img src=x",), page="index.html"), mode="build"),
    Case("script-end-tag-in-title-full-build",
         {PROPOSAL: proposal('title: "</script><script>alert(1)</script>"\n')},
         Sanitised(("<script>alert(1)",), page=BUILT_PAGE),
         mode="build"),
]


def _limit_memory() -> None:
    # A hard stop well above the asserted bound, so a runaway case fails instead of exhausting the machine.
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


def run_case(case: Case, root: Path) -> dict:
    for rel, data in case.files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    for rel, destination in case.symlinks.items():
        (root / rel).symlink_to(destination)
    mode = case.mode or ("render" if isinstance(case.expect, Sanitised) else "validate")
    wanted = [case.expect.page] if isinstance(case.expect, Sanitised) else []
    started = time.perf_counter()
    completed = subprocess.run([sys.executable, str(RUNNER), str(root), mode, *wanted], cwd=root,
                               capture_output=True, text=True, timeout=60, preexec_fn=_limit_memory,
                               env={**os.environ, "PYTHONPATH": str(REPO)})
    wall = time.perf_counter() - started
    assert completed.returncode == 0, completed.stderr[-2000:]
    result = json.loads(completed.stdout)
    result["wall"] = wall
    return result


def test_corpus_has_at_least_forty_cases():
    assert len(CASES) >= 40
    assert len({case.name for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_adversarial_case(case: Case, tmp_path: Path):
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "minimal", root, symlinks=True)
    result = run_case(case, root)
    assert result["seconds"] < SECONDS_BOUND, result["seconds"]
    assert result["peak_mb"] < MEMORY_BOUND_MB, result["peak_mb"]
    found = {(d["path"], d["line"], d["field"], d["code"]) for d in result["diagnostics"]}
    if isinstance(case.expect, Error):
        expected = (case.expect.path, case.expect.line, case.expect.field, case.expect.code)
        assert expected in found, sorted(found)
        return
    assert not [d for d in result["diagnostics"] if d["severity"] == "error"], result["diagnostics"]
    pages = result["outputs"] if case.expect.page == EVERY_FILE else {
        case.expect.page: result["outputs"][case.expect.page]}
    assert pages and all(pages.values()), f"page {case.expect.page} was not rendered"
    for name, page in pages.items():
        if name.endswith(".json"):
            # Data files (open data, the filter's data) hold texts that scripts insert as text (textContent),
            # never as HTML: `<script>` there is a harmless string. Pages and feeds are checked as markup.
            continue
        assert unsafe_html(page) == [], name
        for text in case.expect.absent:
            # in a JSON text a quote outside any tag is plain text, not an attribute
            assert text not in page or (name.endswith(".json") and "<" not in text), (name, text)
    for text in case.expect.present:
        assert any(text in page for page in pages.values()), text


def _json_strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    return [text for item in items for text in _json_strings(item)]
