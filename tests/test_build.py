"""`showcase build`: the public site from validated content — what it contains, what it must never contain,
and that a failed build leaves the previous site untouched."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from generator.cli import main
from generator.publish import publish
from generator.render import page_source, render_site
from generator.validate import load_and_validate

from .conftest import FIXTURES, REPO, check_golden
from .html_checks import unsafe_html

INTERNAL_TITLE = "Interner Entwurf Zauberwort"
INTERNAL_SENTENCE = "Dieser Satz darf nie veröffentlicht werden."
PRIVATE_EMAIL = "intern-geheim@example.org"


@pytest.fixture
def site_project(tmp_path: Path):
    """A copy of a fixture tree with the repository's templates beside it."""

    def make(name: str = "minimal") -> Path:
        root = tmp_path / name
        shutil.copytree(FIXTURES / name, root, symlinks=True)
        shutil.copytree(REPO / "templates", root / "templates")
        return root

    return make


def build(root: Path, out: Path, *extra: str) -> int:
    return main(["build", "--config", str(root / "site_config.yml"), "--out", str(out), "--quiet", *extra])


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*")) if path.is_file()
    }


def all_bytes(folder: Path) -> bytes:
    return b"\n".join(path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file())


def encodings(text: str) -> list[bytes]:
    """The forms in which a text could appear in a built file: plain, HTML-escaped, JSON-escaped."""
    import html

    return [text.encode(), html.escape(text).encode(), json.dumps(text)[1:-1].encode()]


def test_sample_site_builds_strict_with_every_page_kind(tmp_path, capsys):
    out = tmp_path / "site"
    assert build(REPO, out, "--strict") == 0, capsys.readouterr().out
    for page in ("index.html", "herausforderungen/index.html", "erfolgsgeschichten/index.html",
                 "organisationen/index.html", "wirkung/index.html", "ueber-uns/index.html",
                 "herausforderungen/thema/bildung/index.html", "herausforderungen/bedarf/sachspende/index.html",
                 "404.html", "sitemap.xml", "search/search_index.json"):
        assert (out / page).is_file(), page
    content, _ = load_and_validate(REPO / "site_config.yml")
    for key, entry in content.proposals.items():
        exists = (out / "herausforderungen" / key / "index.html").exists()
        assert exists == (entry.data.status in ("open", "matched", "completed")), key
    for key in content.cooperations:
        assert (out / "erfolgsgeschichten" / key / "index.html").is_file()


def test_internal_proposals_and_private_contacts_reach_no_file(tmp_path, capsys):
    out = tmp_path / "site"
    assert build(REPO, out) == 0, capsys.readouterr().out
    content, _ = load_and_validate(REPO / "site_config.yml")
    published = all_bytes(out)
    internal = [e for e in content.proposals.values() if e.data.status not in ("open", "matched", "completed")]
    assert len(internal) >= 4
    for entry in internal:
        for text in (entry.data.title, entry.id):
            assert not any(form in published for form in encodings(text)), (entry.path, text)
    for entry in content.proposals.values():
        contact = entry.data.contact
        if contact and not contact.public and contact.email:
            assert contact.email.encode() not in published, entry.path
    sitemap = (out / "sitemap.xml").read_text()
    assert all(entry.id not in sitemap for entry in internal)


def test_minimal_fixture_internal_entry_is_absent_but_public_ones_present(site_project, tmp_path):
    root = site_project()
    out = tmp_path / "out"
    assert build(root, out) == 0
    published = all_bytes(out)
    for secret in (INTERNAL_TITLE, INTERNAL_SENTENCE, PRIVATE_EMAIL, "0681 999999", "geheimer-antrag"):
        assert not any(form in published for form in encodings(secret)), secret
    assert "Laptops für den Jugendtreff".encode() in published
    # a private contact of a public proposal stays private too
    assert b"erika@example.org" not in published


def test_generated_pages_match_golden_files(site_project, update_golden):
    root = site_project()
    content, diagnostics = load_and_validate(root / "site_config.yml")
    assert not diagnostics
    pages = render_site(publish(content), root / "templates")
    golden = FIXTURES.parent / "golden" / "minimal"
    expected = {p.relative_to(golden).as_posix() for p in golden.rglob("*.md")} if golden.exists() else set()
    if not update_golden:
        assert {page.path for page in pages} == expected
    for page in pages:
        check_golden(golden / page.path, page_source(page), update_golden)


def test_two_builds_are_byte_identical(site_project, tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    root = site_project()
    assert build(root, tmp_path / "one") == 0
    assert build(root, tmp_path / "two") == 0
    assert tree_digest(tmp_path / "one") == tree_digest(tmp_path / "two")


def test_source_date_epoch_sets_the_sitemap_date(site_project, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    root = site_project()
    assert build(root, tmp_path / "out") == 0
    assert "<lastmod>2026-01-01</lastmod>" in (tmp_path / "out" / "sitemap.xml").read_text()


def test_english_site_uses_english_urls_and_labels(site_project, tmp_path):
    root = site_project()
    config = root / "site_config.yml"
    config.write_text(config.read_text().replace("language: de", "language: en"))
    out = tmp_path / "out"
    assert build(root, out) == 0
    page = (out / "challenges" / "laptops-fuer-den-jugendtreff" / "index.html").read_text()
    assert "Take on this challenge" in page or "Take on the challenge" in page
    assert (out / "success-stories" / "frischer-anstrich" / "index.html").is_file()


def test_hostile_fields_are_escaped_and_bodies_sanitised(site_project, tmp_path):
    root = site_project()
    proposal = root / "content/proposals/laptops-fuer-den-jugendtreff.md"
    text = proposal.read_text()
    text = text.replace('title: "Laptops für den Jugendtreff"', 'title: "<img src=x onerror=alert(1)>"')
    text = text.replace('summary: "', 'summary: "\\" onmouseover=\\"alert(2)')
    text += ("\n<script>alert(3)</script>\n\n[klick](javascript:alert(4))\n\n<iframe src='https://evil.example'>"
             "</iframe>\n\nText {: onclick=\"alert(5)\" }\n\n<!-- geheim -->\n")
    proposal.write_text(text)
    out = tmp_path / "out"
    assert build(root, out) == 0
    for file in out.rglob("*.html"):
        assert unsafe_html(file.read_text()) == [], file
    assert b"geheim" not in all_bytes(out)
    page = (out / "herausforderungen/laptops-fuer-den-jugendtreff/index.html").read_text()
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


# --- a failed build leaves the previous site exactly as it was ---------------------------------------------------


@pytest.fixture
def previous_site(site_project, tmp_path):
    root = site_project()
    out = tmp_path / "out"
    assert build(root, out) == 0
    (out / "marker.txt").write_text("previous site")
    return root, out, tree_digest(out)


def _no_leftovers(out: Path) -> None:
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".out.")] == []


def test_validation_error_keeps_previous_site(previous_site, capsys):
    root, out, before = previous_site
    (root / "content/proposals/raum-streichen.md").write_text("---\ntitel: kaputt\n---\n")
    assert build(root, out) == 1
    assert "error[" in capsys.readouterr().out
    assert tree_digest(out) == before
    _no_leftovers(out)


def test_template_error_keeps_previous_site(previous_site, capsys):
    root, out, before = previous_site
    (root / "templates/pages/home.html").write_text("{{ no_such_variable.x }}")
    assert build(root, out) == 1
    assert "templates/pages/home.html:1:1: error[template-error]" in capsys.readouterr().out
    assert tree_digest(out) == before
    _no_leftovers(out)


def test_mkdocs_error_keeps_previous_site(previous_site, capsys):
    root, out, before = previous_site
    (root / "templates/overrides/main.html").write_text('{% extends "base.html" %}{% block announce %}{{ 1/0 }}'
                                                        "{% endblock %}")
    assert build(root, out) == 1
    assert "error[mkdocs-error]" in capsys.readouterr().out
    assert tree_digest(out) == before
    _no_leftovers(out)


def test_privacy_gate_stops_a_leaky_template(previous_site, capsys):
    root, out, before = previous_site
    home = root / "templates/pages/home.html"
    home.write_text(home.read_text() + f"\n<p>{INTERNAL_TITLE}</p>\n")
    assert build(root, out) == 1
    output = capsys.readouterr().out
    assert "out/index.html:1:1: error[privacy-leak]" in output
    assert "content/proposals/geheimer-antrag.md: title" in output
    assert tree_digest(out) == before
    _no_leftovers(out)


def test_mkdocs_warnings_are_counted_even_though_its_exit_code_hides_them(tmp_path):
    from generator.build import run_mkdocs
    from generator.diagnostics import has_errors

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Start\n\n[kaputt](gibt-es-nicht.md)\n")
    (tmp_path / "mkdocs.yml").write_text(f"site_name: T\ndocs_dir: {tmp_path / 'docs'}\n"
                                         f"site_dir: {tmp_path / 'site'}\ntheme: {{name: material, font: false}}\n")
    diagnostics = run_mkdocs(tmp_path / "mkdocs.yml", "de")
    assert [d.code for d in diagnostics] == ["mkdocs-warning"]
    assert "gibt-es-nicht.md" in diagnostics[0].message
    assert has_errors(diagnostics, strict=True) and not has_errors(diagnostics, strict=False)


def test_write_error_keeps_previous_site(previous_site, capsys, tmp_path):
    root, out, before = previous_site
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert build(root, blocker / "site") == 1
    assert "error[write-error]" in capsys.readouterr().out
    assert tree_digest(out) == before


def test_gate_warns_about_contact_details_nobody_made_public(site_project, tmp_path, capsys):
    root = site_project()
    page = root / "content/pages/ueber-uns.md"
    page.write_text(page.read_text() + "\nSchreiben Sie an <unbekannt@example.com>.\n")
    assert build(root, tmp_path / "out") == 0
    output = capsys.readouterr().out
    assert "out/ueber-uns/index.html:1:1: warning[unexpected-contact]" in output
    assert "unbekannt@example.com" in output
    assert build(root, tmp_path / "strict", "--strict") == 1


def test_pagination_links_first_last_and_neighbours_only():
    from generator.render import _page_window

    # every page linking to every other page made listings grow quadratically with the content
    assert _page_window(1, 3) == [1, 2, 3]
    assert _page_window(5, 10) == [1, None, 3, 4, 5, 6, 7, None, 10]
    assert _page_window(2, 84) == [1, 2, 3, 4, None, 84]
    assert len(_page_window(500, 1000)) == 9
