"""Property-based fuzzing: no input crashes the loader or the validator, and nothing rendered can run script.

Quick profile in every test run; a long run: `HYPOTHESIS_PROFILE=long pytest tests/test_fuzz.py`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml
from hypothesis import given
from hypothesis import strategies as st

from generator import model as m
from generator.load import Document, load_markdown_document, load_yaml_document, parse_yaml
from generator.publish import publish
from generator.render import render_markdown, render_site
from generator.validate import Content, Entry, load_config, validate_schema

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


@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_crash_the_loader(tmp_path_factory, data):
    file = tmp_path_factory.mktemp("bytes") / "x.md"
    file.write_bytes(data)
    document, diagnostics = load_markdown_document(file, "x.md", "de")
    assert document.data is not None or diagnostics
    document, diagnostics = load_yaml_document(file, "x.yml", "de")
    assert all(d.line >= 1 and d.column >= 1 for d in diagnostics)


@given(st.text(max_size=500))
def test_arbitrary_text_never_crashes_the_yaml_parser(text):
    document, diagnostics = parse_yaml(text, "x.yml", "de")
    assert document.data is None or isinstance(document.data, dict)


@given(yaml_values)
def test_arbitrary_yaml_never_crashes_schema_validation(value):
    text = yaml.safe_dump({"title": value, "needs": value, "status": value, "contact": value})
    document, diagnostics = parse_yaml(text, "x.md", "de")
    if document.data is not None:
        data, schema_diagnostics = validate_schema(document, m.Proposal, "de")
        assert data is not None or schema_diagnostics
        assert all(d.line >= 1 for d in schema_diagnostics)


@given(hostile_text)
def test_rendered_markdown_never_contains_script_or_unsafe_urls(body):
    assert unsafe_html(str(render_markdown(body))) == []


def _fuzzed_content(title: str, summary: str, body: str, need: str, website: str | None) -> Content:
    config = load_config(FIXTURES / "minimal" / "site_config.yml")
    content = Content(root=FIXTURES / "minimal", config=config)
    org = m.Organization(name=title, kind="nonprofit", website=website, description=body or None)
    content.organizations["verein"] = Entry("verein", "o.yml", Document("o.yml", {}), org)
    proposal = m.Proposal(
        title=title, organization="verein", summary=summary, status="open", submitted=dt.date(2026, 1, 1),
        reviewed=dt.date(2026, 1, 2), needs=[m.Need(kind="sachspende", description=need)],
        contact=m.Contact(name=title, email="a@example.org", public=True),
    )
    content.proposals["fall"] = Entry("fall", "p.md", Document("p.md", {}, body=body), proposal)
    return content


@given(title=plain_text, summary=plain_text, body=hostile_text, need=plain_text,
       website=st.sampled_from([None, "https://example.org/?q=%22%3E%3Cscript%3E&a=b", "http://a.example:8080/#x"]))
def test_generated_entries_render_without_event_handlers_or_unsafe_urls(title, summary, body, need, website):
    title, summary, need = (value + " " + HOSTILE[hash(value) % len(HOSTILE)] for value in (title, summary, need))
    content = _fuzzed_content(title[:120], summary[:300], body, need[:500], website)
    for page in render_site(publish(content), Path(__file__).resolve().parents[1] / "templates"):
        assert unsafe_html(page.html) == [], page.path
