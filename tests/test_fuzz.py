"""Property-based fuzzing: what editors and visitors rely on holds for any input, not just for our examples.

- Any file, however broken, gets diagnostics an editor can act on: a line inside the file, a column, the German
  message of its code — never a crash, never a silent nothing.
- Whatever the loader accepts without complaint is read exactly as YAML means it.
- Any valid entry validates without a single diagnostic and comes back exactly as written (fields and body).
- Nothing rendered from content can run script or send visitors to an unsafe URL; internal proposals appear nowhere.

Quick profile in every test run; a long run: `HYPOTHESIS_PROFILE=long pytest tests/test_fuzz.py`.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil

import pytest
import yaml
from hypothesis import assume, given
from hypothesis import strategies as st
from markupsafe import escape

from generator import model as m
from generator.catalogue import catalogue
from generator.content import Content, Entry
from generator.diagnostics import Diagnostic
from generator.kinds import ORGANIZATION, PROPOSAL
from generator.load import Document, load_markdown_document, load_yaml_document, parse_yaml
from generator.pipeline import check
from generator.project import Project
from generator.publish import publish
from generator.render import render_markdown, render_site
from generator.schema_check import validate_schema
from generator.validate import load_config

from .conftest import FIXTURES
from .html_checks import unsafe_html

HOSTILE = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "javascript:alert(1)", "JaVaScRiPt:alert(1)",
    "java&#9;script:alert(1)", "javascript&#x3a;alert(1)", "data:text/html,<b>x</b>", "vbscript:msgbox(1)",
    '" onmouseover="alert(1)', "' onfocus='alert(1)", "</script><script>alert(1)</script>", "<!-- x -->",
    "{: onclick=\"alert(1)\" }", "<iframe src=//evil.example>", "<svg onload=alert(1)>", "&lt;b&gt;", "\u202e",
    "<meta http-equiv=refresh content=0>", "[x](javascript:alert(1))", "[x][r]\n\n[r]: javascript:alert(1)",
    "<a href='javascript:alert(1)'>a</a>", "![i](https://tracker.example/p.gif)", "<style>*{}</style>", "`code`",
    "**bold**", "# heading", "- item", "> quote", "| a | b |\n|---|---|\n| 1 | 2 |", "\n\n", "ä ö ü ß €",
]
hostile_text = st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=20)), max_size=8).map("".join)
plain_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=60)
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=30),
                    st.dates())
yaml_values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)), max_leaves=20)
yaml_mappings = st.dictionaries(st.text(max_size=10), yaml_values, max_size=5)
GERMAN = catalogue("de")


# --- diagnostics an editor can act on ----------------------------------------------------------------------------


def german_templates(code: str) -> list[str]:
    """The German catalogue's texts for a diagnostic code (`yaml-syntax` has one per known problem)."""
    messages = GERMAN.strings["messages"]
    return [text for key, text in messages.items() if key == code or key.startswith(f"{code}-")]


def is_german_message_of_its_code(diagnostic: Diagnostic) -> bool:
    """The message is its code's German text, filled in: every fixed part of the template is in it."""
    for template in german_templates(diagnostic.code):
        fixed = [part.strip() for part in re.split(r"\{[^{}]*\}", template) if part.strip()]
        if all(part in diagnostic.message for part in fixed):
            return True
    return False


def editor_lines(text: str) -> list[str]:
    """The lines of a text as an editor and GitHub count them: split at `\\n` only (not at U+0085, U+2028 or
    U+2029, at which libyaml also breaks lines)."""
    return text.split("\n")


def assert_actionable(diagnostics: list[Diagnostic], lines: list[str] | list[bytes], path: str) -> None:
    """Each diagnostic names this file, a line that exists in it, a column on that line, and a German message."""
    for d in diagnostics:
        assert d.path == path, d
        assert d.severity in ("error", "warning"), d
        assert d.message.strip(), d
        assert is_german_message_of_its_code(d), (d.code, d.message, german_templates(d.code))
        assert 1 <= d.line <= len(lines), (d, len(lines))
        assert 1 <= d.column <= len(lines[d.line - 1]) + 1, (d, lines[d.line - 1])


def lines_as_read(data: bytes) -> list[str] | list[bytes]:
    """The lines the loader sees: UTF-8 (BOM dropped) with line ends folded; an undecodable file's raw lines
    (the encoding error's column counts characters, so it is within the line's bytes)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.split(b"\n")
    return editor_lines(text.replace("\r\n", "\n").replace("\r", "\n"))


@given(st.one_of(st.binary(max_size=2000), yaml_mappings.map(lambda d: b"---\n" + yaml.safe_dump(d).encode()
                                                              + b"---\nText\n")))
def test_any_file_is_read_or_refused_with_diagnostics_an_editor_can_act_on(tmp_path_factory, data):
    file = tmp_path_factory.mktemp("bytes") / "x.md"
    file.write_bytes(data)
    for load, rel in ((load_markdown_document, "x.md"), (load_yaml_document, "x.yml")):
        document, diagnostics = load(file, rel, "de")
        # Refused means told why: a file is never silently skipped.
        assert document.data is not None or any(d.severity == "error" for d in diagnostics)
        assert document.data is None or isinstance(document.data, dict)
        assert_actionable(diagnostics, lines_as_read(data), rel)


@pytest.mark.parametrize("text", ["[", "a: [1, 2"])
def test_end_of_file_error_points_into_the_file(text):
    _, diagnostics = parse_yaml(text, "x.yml", "de")
    assert [d.code for d in diagnostics] == ["yaml-syntax"]
    assert diagnostics[0].line <= len(text.split("\n")), diagnostics


def test_unicode_line_separator_does_not_shift_line_numbers():
    text = 'title: "Satz eins\u2028Satz zwei"\nstatus: [\n'
    _, diagnostics = parse_yaml(text, "x.yml", "de")
    assert [(d.line, d.code) for d in diagnostics] == [(3, "yaml-syntax")]


@given(st.one_of(st.text(max_size=500), yaml_mappings.map(yaml.safe_dump)))
def test_what_the_loader_accepts_is_exactly_what_the_yaml_means(text):
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # as read_text hands every file to the parser
    document, diagnostics = parse_yaml(text, "x.yml", "de")
    assert_actionable(diagnostics, editor_lines(text), "x.yml")
    if document.data is None:
        assert any(d.severity == "error" for d in diagnostics)
    elif not diagnostics:
        # Nothing refused: the reference parser reads the same mapping (the loader only adds positions).
        assert document.data == (yaml.safe_load(text) or {})


@given(st.fixed_dictionaries({}, optional={"title": yaml_values, "needs": yaml_values, "status": yaml_values,
                                           "contact": yaml_values, "summary": yaml_values, "submitted": yaml_values}))
def test_schema_errors_point_at_a_field_of_the_file_or_of_the_model(value):
    text = yaml.safe_dump(value)
    document, diagnostics = parse_yaml(text, "x.md", "de")
    assert document.data is not None
    data, schema_diagnostics = validate_schema(document, m.Proposal, "de")
    assert (data is None) == bool(schema_diagnostics), "an invalid entry is reported, a valid one is not"
    assert_actionable(schema_diagnostics, editor_lines(text), "x.md")
    for d in schema_diagnostics:
        top = re.split(r"[.\[]", d.field, maxsplit=1)[0]
        assert top in value or top in m.Proposal.model_fields, d


# --- valid entries: no diagnostics, read back exactly -------------------------------------------------------------

CONFIG = load_config(FIXTURES / "minimal" / "site_config.yml")
# Any text an editor may type (newlines and tabs included); control characters are refused on purpose.
editor_text = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cf"), whitelist_characters="\n\t"),
                      min_size=1, max_size=120)
words = st.from_regex(r"[A-Za-zÄÖÜäöüß0-9][A-Za-zÄÖÜäöüß0-9 .,!?]{0,60}", fullmatch=True)
amounts = st.one_of(st.none(), st.integers(0, 1_000_000), st.floats(0, 1_000_000, allow_nan=False),
                    st.integers(0, 1_000_000).map(lambda n: {"approx": n}),
                    st.tuples(st.integers(0, 1000), st.integers(0, 1000)).map(
                        lambda pair: {"min": min(pair), "max": max(pair)}))


@st.composite
def valid_proposals(draw) -> tuple[str, dict, str]:
    """(id, front matter, body) of a proposal that satisfies every rule of the minimal fixture's network."""
    status = draw(st.sampled_from(m.PUBLIC_STATUSES + m.INTERNAL_STATUSES))
    submitted = draw(st.dates(dt.date(2000, 1, 1), dt.date(2090, 1, 1)))
    data: dict = {
        "title": draw(editor_text), "organization": "jugendtreff", "summary": draw(editor_text.map(lambda s: s[:300])),
        "status": status, "submitted": submitted,
    }
    if status in m.PUBLIC_STATUSES or draw(st.booleans()):
        data["reviewed"] = submitted + dt.timedelta(days=draw(st.integers(0, 400)))
        if status in ("matched", "completed"):
            data["matched"] = data["reviewed"] + dt.timedelta(days=draw(st.integers(0, 400)))
    themes = draw(st.lists(st.sampled_from(sorted(CONFIG.themes)), unique=True, max_size=2))
    if themes:
        data["themes"] = themes
    if draw(st.booleans()):
        data["district"] = draw(st.sampled_from(sorted(CONFIG.districts)))
    data["needs"] = []
    for _ in range(draw(st.integers(1, 3))):
        need = {"kind": draw(st.sampled_from(sorted(CONFIG.need_kinds))), "description": draw(editor_text)}
        for key in ("hours", "value_eur"):
            amount = draw(amounts)
            if amount is not None:
                need[key] = amount
        # A valid file has no need twice (the validator refuses duplicates, as they inflate pages and figures).
        if not any((n["kind"], n["description"].strip().casefold()) == (need["kind"], need["description"].strip()
                   .casefold()) for n in data["needs"]):
            data["needs"].append(need)
    if draw(st.booleans()):
        data["beneficiaries"] = {"description": draw(editor_text), "count": draw(st.integers(0, 100_000_000))}
    if draw(st.booleans()):
        data["contact"] = {"name": draw(words), "email": "kontakt@verein-musterstadt.de", "public": draw(st.booleans())}
    entry_id = "fuzz-" + draw(st.from_regex(r"[a-z0-9]{1,20}(-[a-z0-9]{1,10}){0,2}", fullmatch=True))
    # Hostile Markdown, but no control characters: the validator refuses those in a body (valid entries only here).
    body = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", draw(hostile_text).replace("\r", ""))
    return entry_id, data, body


@given(valid_proposals(), st.sampled_from([{}, {"allow_unicode": True}, {"default_flow_style": True}]))
def test_valid_entries_validate_without_diagnostics_and_round_trip(tmp_path_factory, proposal, style):
    entry_id, data, body = proposal
    root = tmp_path_factory.mktemp("valid") / "project"
    shutil.copytree(FIXTURES / "minimal", root)
    front = yaml.safe_dump(data, sort_keys=False, **style)
    (root / "content/proposals" / f"{entry_id}.md").write_text(f"---\n{front}---\n{body}", encoding="utf-8")

    checked = check(root / "site_config.yml", strict=True)
    assert checked.diagnostics == [], front
    assert checked.ok
    entry = checked.content.proposals[entry_id]
    assert entry.fields == data
    assert entry.data == m.Proposal.model_validate(data)
    assert entry.body == body

    pages = render_site(publish(checked.content, checked.theme.urls), checked.theme, checked.project)
    detail = checked.theme.urls.detail(PROPOSAL, entry_id)
    for page in pages:
        assert unsafe_html(page.html) == [], page.path
    if data["status"] in m.PUBLIC_STATUSES:
        page = next(page for page in pages if page.path == detail)
        assert f"<h1>{escape(data['title'])}</h1>" in page.html
    else:
        # An internal proposal reaches no page, not even as a link.
        assert all(entry_id not in page.html and page.path != detail for page in pages)


# --- nothing rendered can run script -------------------------------------------------------------------------------


@given(hostile_text)
def test_rendered_markdown_never_contains_script_or_unsafe_urls(body):
    assert unsafe_html(str(render_markdown(body))) == []


@given(st.lists(words, min_size=1, max_size=5))
def test_plain_paragraphs_reach_visitors_unchanged(paragraphs):
    # Paragraphs that are not block syntax in CommonMark (a list item `0.`, a heading `#`, a quote `>` …).
    assume(all(p.strip() and not re.match(r"\s*(\d+[.)]|[-*+>#=_]|`{3}|~{3})(\s|$)", p) for p in paragraphs))
    html = str(render_markdown("\n\n".join(paragraphs)))
    for paragraph in paragraphs:
        assert str(escape(paragraph.strip())) in html


def _fuzzed_content(title: str, summary: str, body: str, need: str, website: str | None) -> Content:
    content = Content(root=FIXTURES / "minimal", config=CONFIG)
    org = m.Organization(name=title, kind="nonprofit", website=website, description=body or None)
    content.organizations["verein"] = Entry("verein", ORGANIZATION, "o.yml", org, {}, "", 1, Document("o.yml", {}))
    proposal = m.Proposal(
        title=title, organization="verein", summary=summary, status="open", submitted=dt.date(2026, 1, 1),
        reviewed=dt.date(2026, 1, 2), needs=[m.Need(kind="sachspende", description=need)],
        contact=m.Contact(name=title, email="a@example.org", public=True),
    )
    content.proposals["fall"] = Entry("fall", PROPOSAL, "p.md", proposal, {}, body, 1, Document("p.md", {}))
    return content


@given(title=plain_text, summary=plain_text, body=hostile_text, need=plain_text,
       website=st.sampled_from([None, "https://example.org/?q=%22%3E%3Cscript%3E&a=b", "http://a.example:8080/#x"]))
def test_generated_entries_render_without_event_handlers_or_unsafe_urls(title, summary, body, need, website):
    title, summary, need = (value + " " + HOSTILE[hash(value) % len(HOSTILE)] for value in (title, summary, need))
    content = _fuzzed_content(title[:120], summary[:300], body, need[:500], website)
    theme, problems = Project(FIXTURES / "minimal" / "site_config.yml").load_theme("de")
    assert not problems
    pages = render_site(publish(content, theme.urls), theme, Project(FIXTURES / "minimal" / "site_config.yml"))
    for page in pages:
        assert unsafe_html(page.html) == [], page.path
    detail = next(page for page in pages if page.path == theme.urls.detail(PROPOSAL, "fall"))
    assert f"<h1>{escape(title[:120])}</h1>" in detail.html, "the title is shown, escaped, not dropped"
