"""`showcase build`: the public site from validated content — what it contains, what it must never contain,
and that a failed build leaves the previous site untouched."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
from pathlib import Path
from urllib.parse import unquote

import pytest

from generator import pipeline
from generator.catalogue import THEME, package_strings
from generator.cli import main
from generator.kinds import COOPERATION, PAGE, PROPOSAL
from generator.project import Project
from generator.render import page_source
from generator.urls import RESERVED_FOLDERS

from .conftest import FIXTURES, REAL_NETWORKS, REPO, check_golden, checked_project, rendered_pages
from .html_checks import broken_links, internal_target, site_extract, unsafe_html

INTERNAL_TITLE = "Interner Entwurf Zauberwort"
INTERNAL_SENTENCE = "Dieser Satz darf nie veröffentlicht werden."
PRIVATE_EMAIL = "intern-geheim@example.org"


@pytest.fixture
def site_project(tmp_path: Path):
    """A copy of a fixture tree: content and site_config.yml only, so it builds with the package's own theme."""

    def make(name: str = "minimal") -> Path:
        root = tmp_path / name
        shutil.copytree(FIXTURES / name, root, symlinks=True)
        assert not (root / "templates").exists()
        return root

    return make


def override(root: Path, part: str, text: str) -> Path:
    """Write a theme file into the project's own `templates/` (it then replaces the package's file)."""
    target = root / "templates" / part
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


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


def html_file(url: str) -> str:
    """The file a directory URL is served from: `a/b/` → `a/b/index.html`, `` → `index.html`."""
    return f"{url}index.html"


def test_sample_site_builds_strict_with_every_page_kind(tmp_path, capsys):
    out = tmp_path / "site"
    assert build(REPO, out, "--strict") == 0, capsys.readouterr().out
    checked = checked_project(REPO)
    urls, content = checked.theme.urls, checked.content
    some_page = next(page for page in content.pages)
    themed = next(key for key, entry in content.proposals.items() if entry.data.status == "open"
                 and entry.data.themes)
    some_theme = content.proposals[themed].data.themes[0]
    some_need = content.proposals[themed].data.needs[0].kind
    sources = [urls.home(), urls.listing(), urls.cooperations(), urls.organizations(), urls.impact(),
               urls.detail(PAGE, some_page), urls.listing("theme", some_theme),
               urls.listing("need", some_need)]
    for page in [html_file(urls.url(source)) for source in sources] + [
            "404.html", "sitemap.xml", "search/pagefind-entry.json"]:
        assert (out / page).is_file(), page
    for key, entry in content.proposals.items():
        exists = (out / html_file(urls.detail_url(PROPOSAL, key))).exists()
        assert exists == (entry.data.status in ("open", "matched", "completed")), key
    for key in content.cooperations:
        assert (out / html_file(urls.detail_url(COOPERATION, key))).is_file()


def test_internal_proposals_and_private_contacts_reach_no_file(tmp_path, capsys):
    out = tmp_path / "site"
    assert build(REPO, out) == 0, capsys.readouterr().out
    content = checked_project(REPO).content
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
    checked = checked_project(root)
    assert not checked.diagnostics
    pages = rendered_pages(checked)
    golden = FIXTURES.parent / "golden" / "minimal"
    expected = {p.relative_to(golden).as_posix() for p in golden.rglob("*.md")} if golden.exists() else set()
    if not update_golden:
        assert {page.path for page in pages} == expected
    for page in pages:
        check_golden(golden / page.path, page_source(page), update_golden)


def test_sample_site_matches_its_golden_extract(sample_site, update_golden):
    """Every page of the built sample site: its title, the text our templates put in it and where it links.
    A change here is a change visitors see; review the diff of tests/golden/sample-site.txt."""
    site_url = checked_project(REPO).content.config.site.url
    extract = site_extract(sample_site, site_url, skip=tuple(f"/{folder}/" for folder in RESERVED_FOLDERS))
    check_golden(FIXTURES.parent / "golden" / "sample-site.txt", extract, update_golden)


def test_real_networks_site_matches_its_golden_extract(real_site, update_golden):
    """The same extract for the network of real, published cases: partial dates, estimates, unknown values."""
    site_url = checked_project(REAL_NETWORKS).content.config.site.url
    extract = site_extract(real_site, site_url, skip=tuple(f"/{folder}/" for folder in RESERVED_FOLDERS))
    check_golden(FIXTURES.parent / "golden" / "real-networks-site.txt", extract, update_golden)


def test_no_internal_link_of_the_real_networks_site_leads_nowhere(real_site):
    site_url = checked_project(REAL_NETWORKS).content.config.site.url
    assert broken_links(real_site, site_url) == {}


def test_no_internal_link_of_the_sample_site_leads_nowhere(sample_site):
    site_url = checked_project(REPO).content.config.site.url
    assert broken_links(sample_site, site_url) == {}


def test_the_link_check_finds_a_missing_page_and_a_missing_fragment(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a/index.html").write_text('<h2 id="da">x</h2><a href="../b/">b</a><a href="#da">ok</a>'
                                           '<a href="#weg">f</a><a href="https://x.example/">out</a>'
                                           '<a href="https://site.example/a/">self</a><a href="mailto:a@b.c">m</a>')
    (tmp_path / "index.html").write_text('<a href="a/">a</a><a href="a/#da">ok</a><img src="bild.png" alt="">'
                                         '<a href="https://site.example/fehlt/">gone</a>')
    assert broken_links(tmp_path, "https://site.example/") == {
        "/a/index.html#weg": ["/a/index.html"], "/b/": ["/a/index.html"], "/bild.png": ["/index.html"],
        "/fehlt/": ["/index.html"],
    }


def test_german_path_slugs_are_written_only_in_the_catalogue():
    """`herausforderungen`, `erfolgsgeschichten`, `organisationen`, `wirkung`: the German site's sections are
    named once, in the package catalogue; code, templates and docstrings ask the URL scheme (or say `<slug>`)."""
    generator = REPO / "generator"
    catalogues = sorted((generator / "theme" / "i18n").glob("*.yml"))
    slugs = [package_strings("de")["sections"][key] for key in ("proposals", "cooperations", "organizations", "impact")]
    assert all(any(slug in path.read_text(encoding="utf-8") for path in catalogues) for slug in slugs)
    offenders = [
        f"{path.relative_to(REPO)}: {slug}"
        for path in sorted(generator.rglob("*"))
        if path.is_file() and path not in catalogues and "__pycache__" not in path.parts
        for slug in slugs if slug.encode() in path.read_bytes()
    ]
    assert offenders == []


def test_two_builds_are_byte_identical(site_project, tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    root = site_project()
    assert build(root, tmp_path / "one") == 0
    assert build(root, tmp_path / "two") == 0
    assert tree_digest(tmp_path / "one") == tree_digest(tmp_path / "two")


def test_two_processes_build_the_same_site_as_one(site_project, tmp_path, monkeypatch):
    """From `engine.PARALLEL_FROM` pages on, a second process builds every other page outside the navigation: the
    site is the same, byte for byte, and the sitemap lists every page, whichever process built it."""
    from generator import engine

    root = site_project()
    assert build(root, tmp_path / "one") == 0
    ran_here: list[str] = []
    run_mkdocs = engine.run_mkdocs
    monkeypatch.setattr(engine, "run_mkdocs", lambda config, *rest: ran_here.append(config.name)
                        or run_mkdocs(config, *rest))
    monkeypatch.setattr(engine, "PARALLEL_FROM", 0)
    assert build(root, tmp_path / "two") == 0
    assert ran_here == ["mkdocs.yml"], "the second shard was built by the helper process"
    assert tree_digest(tmp_path / "one") == tree_digest(tmp_path / "two")
    listed = re.findall(r"<loc>https://[^/]+/([^<]*)</loc>", (tmp_path / "two" / "sitemap.xml").read_text())
    pages = [page.parent.relative_to(tmp_path / "two").as_posix() + "/"
             for page in (tmp_path / "two").rglob("index.html") if 'id="sc-main"' in page.read_text()]
    assert sorted(listed) == sorted(page.removeprefix("./") for page in pages) and len(listed) > 20


def test_the_header_tabs_and_the_phone_menu_lead_to_the_same_sections_from_every_page(sample_site):
    """The tabs and the phone menu's drawer are rendered once per place and reused (`mkdocs_hooks._Once`): from
    every page, each of their links must still lead to the same section as from the home page."""
    def targets(page: Path) -> list[tuple[str, list]]:
        text, path = page.read_text(encoding="utf-8"), "/" + page.relative_to(sample_site).as_posix()
        parts = [re.search(r'<nav class="md-tabs".*?</nav>', text, re.S).group(),
                 re.search(r'<nav class="md-nav md-nav--primary.*?</ul>\s*</nav>', text, re.S).group()]
        return [(part[:20], [internal_target(path, link) for link in re.findall(r'href="([^"]*)"', part)])
                for part in parts]

    pages = [page for page in sample_site.rglob("index.html") if 'id="sc-main"' in page.read_text(encoding="utf-8")]
    home = targets(sample_site / "index.html")
    assert len(home[0][1]) >= 6 and len(pages) > 50
    assert {page.relative_to(sample_site).as_posix(): targets(page) for page in pages if targets(page) != home} == {}


def test_a_helper_process_that_fails_leaves_its_work_to_this_process():
    from generator.helper import Helper

    assert Helper("generator.no_such_stage", sorted, ([3, 1, 2],)).result() == [1, 2, 3]


def test_a_site_address_without_its_final_slash_still_gives_whole_addresses(site_project, tmp_path):
    """`url: https://test.example.org` (no `/` at the end) names the same site: the sitemap, the feeds and the call
    to action's e-mail must not glue the host and the path together."""
    root = site_project()
    config = root / "site_config.yml"
    config.write_text(config.read_text(encoding="utf-8").replace('url: "https://test.example.org/"',
                                                                 'url: "https://test.example.org"'), encoding="utf-8")
    assert build(root, tmp_path / "out") == 0
    out = tmp_path / "out"
    texts = [(out / "sitemap.xml").read_text(), (out / "herausforderungen.xml").read_text(),
             unquote((out / "herausforderungen" / "laptops-fuer-den-jugendtreff" / "index.html").read_text())]
    assert all("https://test.example.org/herausforderungen/" in text for text in texts)
    assert not any("example.orgherausforderungen" in text or "example.org//" in text for text in texts)


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
    english, problems = Project(config).load_theme("en")
    german, _ = Project(config).load_theme("de")
    assert not problems
    proposal = english.urls.detail_url(PROPOSAL, "laptops-fuer-den-jugendtreff")
    story = english.urls.detail_url(COOPERATION, "frischer-anstrich")
    assert proposal != german.urls.detail_url(PROPOSAL, "laptops-fuer-den-jugendtreff")
    page = (out / html_file(proposal)).read_text()
    assert english.catalogue.text("proposal.cta_button") in page
    assert (out / html_file(story)).is_file()
    assert not (out / german.urls.detail_url(COOPERATION, "frischer-anstrich")).exists()


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
    urls = checked_project(root).theme.urls
    page = (out / html_file(urls.detail_url(PROPOSAL, "laptops-fuer-den-jugendtreff"))).read_text()
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


# --- a failed build leaves the previous site exactly as it was ---------------------------------------------------


def snapshot(folder: Path) -> dict[str, tuple[str, bytes | str]]:
    """Everything in a folder, byte for byte: each file's bytes and mode, each folder, each symlink's target."""
    found: dict[str, tuple[str, bytes | str]] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode):
            found[rel] = ("link", os.readlink(path))
        elif stat.S_ISDIR(info.st_mode):
            found[rel] = ("folder", oct(stat.S_IMODE(info.st_mode)))
        else:
            found[rel] = (oct(stat.S_IMODE(info.st_mode)), path.read_bytes())
    return found


@pytest.fixture
def previous_site(site_project, tmp_path):
    """A project whose site was built into `out`, plus a file of the operator's own in it; and that site's bytes."""
    root = site_project()
    out = tmp_path / "out"
    assert build(root, out) == 0
    (out / "marker.txt").write_text("previous site")
    before = snapshot(out)
    assert "index.html" in before and "marker.txt" in before
    return root, out, before


def break_content(root: Path, monkeypatch) -> None:
    (root / "content/proposals/raum-streichen.md").write_text("---\ntitel: kaputt\n---\n")


def break_template(root: Path, monkeypatch) -> None:
    override(root, "pages/home.html", "{{ no_such_variable.x }}")


def break_mkdocs(root: Path, monkeypatch) -> None:
    override(root, "overrides/main.html", '{% extends "base.html" %}{% block announce %}{{ 1/0 }}{% endblock %}')


def leak_from_template(root: Path, monkeypatch) -> None:
    home = (THEME / "pages/home.html").read_text(encoding="utf-8")
    override(root, "pages/home.html", home + f"\n<p>{INTERNAL_TITLE}</p>\n")


def fail_the_swap(root: Path, monkeypatch) -> None:
    """The last step fails: moving the new site into place (a full disk, a busy folder on Windows …)."""
    import generator.build

    real_replace = os.replace

    def replace(source, target):
        if Path(source).name == "site" and Path(source).parent.name.startswith(".out.building-"):
            raise OSError(28, "No space left on device")
        return real_replace(source, target)

    monkeypatch.setattr(generator.build.os, "replace", replace)


FAILURES = {
    # kind of failure → (how to cause it, what the build reports)
    "validation": (break_content, "error[unknown-field]"),
    "template": (break_template, "templates/pages/home.html:1:1: error[template-error]"),
    "mkdocs": (break_mkdocs, "error[mkdocs-error]"),
    "privacy-gate": (leak_from_template, "content/proposals/geheimer-antrag.md:2:1: error[privacy-leak]"),
    "swap": (fail_the_swap, "error[write-error]"),
}


@pytest.mark.parametrize("failure", FAILURES)
def test_a_failed_build_leaves_the_previous_site_byte_for_byte(previous_site, capsys, monkeypatch, failure):
    root, out, before = previous_site
    cause, reported = FAILURES[failure]
    cause(root, monkeypatch)
    capsys.readouterr()
    assert build(root, out) == 1
    assert reported in capsys.readouterr().out
    assert snapshot(out) == before
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".out.")] == [], "staging left behind"


def test_privacy_gate_names_the_leaked_field(previous_site, capsys):
    root, out, before = previous_site
    leak_from_template(root, None)
    assert build(root, out) == 1
    assert "content/proposals/geheimer-antrag.md: title" in capsys.readouterr().out
    assert snapshot(out) == before


def test_an_image_gone_during_the_build_leaves_the_previous_site(previous_site, capsys):
    """A file that vanishes between validation and copying (an editor's sync) fails the build, not the site."""
    root, out, before = previous_site
    checked = pipeline.check(root / "site_config.yml")
    assert checked.ok
    (root / "content/images/laptops.png").unlink()
    built = pipeline.build(checked, out)
    assert not built.written and built.exit_code == pipeline.ExitCode.CONTENT
    assert [d.code for d in built.diagnostics] == ["write-error"]
    assert snapshot(out) == before
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".out.")] == []


def test_mkdocs_warnings_are_counted_even_though_its_exit_code_hides_them(tmp_path):
    from generator.diagnostics import has_errors
    from generator.engine import run_mkdocs

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Start\n\n[kaputt](gibt-es-nicht.md)\n")
    (tmp_path / "mkdocs.yml").write_text(f"site_name: T\ndocs_dir: {tmp_path / 'docs'}\n"
                                         f"site_dir: {tmp_path / 'site'}\ntheme: {{name: material, font: false}}\n")
    diagnostics = run_mkdocs(tmp_path / "mkdocs.yml", "de")
    assert [d.code for d in diagnostics] == ["mkdocs-warning"]
    assert "gibt-es-nicht.md" in diagnostics[0].message
    assert has_errors(diagnostics, strict=True) and not has_errors(diagnostics, strict=False)


def test_gate_warns_about_contact_details_nobody_made_public(site_project, tmp_path, capsys):
    root = site_project()
    page = root / "content/pages/ueber-uns.md"
    page.write_text(page.read_text() + "\nSchreiben Sie an <unbekannt@verein-musterstadt.de>.\n")
    assert build(root, tmp_path / "out") == 0
    output = capsys.readouterr().out
    assert "out/ueber-uns/index.html:1:1: warning[unexpected-contact]" in output
    assert "unbekannt@verein-musterstadt.de" in output
    assert build(root, tmp_path / "strict", "--strict") == 1


def test_pagination_links_first_last_and_neighbours_only():
    from generator.render import _page_window

    # every page linking to every other page made listings grow quadratically with the content
    assert _page_window(1, 3) == [1, 2, 3]
    assert _page_window(5, 10) == [1, None, 3, 4, 5, 6, 7, None, 10]
    assert _page_window(2, 84) == [1, 2, 3, 4, None, 84]
    assert len(_page_window(500, 1000)) == 9
