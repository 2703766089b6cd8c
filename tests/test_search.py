"""The site's search (Pagefind, generator/search.py): nothing loaded with a page, results with their status,
German stemming, no request beyond our own host, only our content pages indexed, and the privacy gate reading
the index's compressed files."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from generator.catalogue import catalogue
from generator.gate import _decoded, scan_for_leaks

from .conftest import REPO, checked_project

SEARCH = "search/"
"""The index's folder (generator.urls.SEARCH_FOLDER)."""


# --- the sample's content, read from its files --------------------------------------------------------------------


@dataclass(frozen=True)
class Proposal:
    id: str
    title: str
    status: str


def proposals() -> list[Proposal]:
    found = []
    for path in sorted((REPO / "content/proposals").glob("*.md")):
        front = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
        found.append(Proposal(path.stem, front["title"], front["status"]))
    return found


def open_proposals() -> list[Proposal]:
    return [proposal for proposal in proposals() if proposal.status == "open"]


def strings() -> dict:
    language = yaml.safe_load((REPO / "site_config.yml").read_text(encoding="utf-8"))["site"]["language"]
    return catalogue(language).strings


def words(title: str) -> list[str]:
    return [word.strip(".,:;!?„“\"()") for word in title.split()]


# --- the browser ---------------------------------------------------------------------------------------------------


class Visit:
    """One browser context on the served sample site, with every request it (and its workers) makes."""

    def __init__(self, chromium, site_url: str, javascript: bool = True):
        self.context = chromium.new_context(java_script_enabled=javascript)
        self.requests: list[str] = []
        self.context.on("request", lambda request: self.requests.append(request.url))
        self.page = self.context.new_page()
        self.site_url = site_url

    def open(self, path: str = "") -> None:
        self.page.goto(self.site_url + path, wait_until="networkidle")

    def search(self, query: str) -> None:
        self.page.locator(".sc-search__toggle").click()
        self.page.locator(".sc-search__input").fill(query)

    def result(self, proposal: Proposal):
        """The result that links to the proposal's page, once it has loaded."""
        link = f'a[href$="/{proposal.id}/"]'
        self.page.locator(f".sc-search__results {link}").first.wait_for(timeout=15_000)
        return self.page.locator(".sc-search__result", has=self.page.locator(link))

    def index_requests(self) -> list[str]:
        return [url for url in self.requests if urlsplit(url).path.startswith(f"/{SEARCH}")]

    def foreign_requests(self) -> list[str]:
        return [url for url in self.requests
                if urlsplit(url).scheme not in ("data", "blob") and urlsplit(url).hostname != "127.0.0.1"]

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(chromium, site_url) -> Iterator[Visit]:
    tab = Visit(chromium, site_url)
    yield tab
    tab.close()


@pytest.mark.browser
def test_opening_a_page_requests_nothing_of_the_search(visit: Visit, sample_site: Path) -> None:
    assert (sample_site / SEARCH / "pagefind-entry.json").is_file()  # there is an index to load
    proposal = open_proposals()[0]
    for path in ("", f"{strings()['sections']['proposals']}/{proposal.id}/"):
        visit.open(path)
    assert visit.page.locator(".sc-search__toggle").is_visible()
    assert visit.index_requests() == []
    assert not [url for url in visit.requests if "search_index" in url]  # nor Material's old index


@pytest.mark.browser
def test_a_word_of_an_open_proposal_finds_it_with_its_status(visit: Visit) -> None:
    proposal = open_proposals()[0]
    word = max((w for w in words(proposal.title) if w.isalpha()), key=len)
    visit.open()
    visit.search(word)
    label = visit.result(proposal).locator(".sc-search__label").inner_text()
    texts = strings()
    assert label == f"{texts['search']['kind_proposal']} · {texts['proposal']['status_open']}"
    assert visit.index_requests(), "the index was loaded when searching"
    assert visit.foreign_requests() == []


@pytest.mark.browser
def test_an_inflected_german_word_finds_its_base_form(visit: Visit, sample_site: Path) -> None:
    """`Gartengeräten` finds `Gartengeräte`: Pagefind's German stemmer, not a prefix match (the query is longer)."""
    found = [(proposal, word) for proposal in open_proposals() for word in words(proposal.title)
             if word.isalpha() and len(word) >= 8 and word.endswith("e")]
    assert found, "no open proposal's title has a word to inflect"
    proposal, word = found[0]
    inflected = word + "n"
    folder = strings()["sections"]["proposals"]
    page = (sample_site / folder / proposal.id / "index.html").read_text(encoding="utf-8")
    assert inflected.casefold() not in page.casefold()  # only the stemmer can connect the two
    visit.open(f"{folder}/{proposal.id}/")
    visit.search(inflected)
    assert visit.result(proposal).is_visible()
    assert visit.foreign_requests() == []


@pytest.mark.browser
def test_without_javascript_the_search_is_hidden(chromium, site_url) -> None:
    tab = Visit(chromium, site_url, javascript=False)
    try:
        tab.open()
        assert tab.page.locator(".sc-search").count() == 1
        assert not tab.page.locator(".sc-search").is_visible()
        assert tab.index_requests() == []
    finally:
        tab.close()


# --- what is in the index ------------------------------------------------------------------------------------------


def indexed_pages(site: Path) -> dict[str, dict]:
    """Every page in the index by its URL: Pagefind's fragment of it (URL, text, metadata)."""
    pages = {}
    for file in sorted((site / SEARCH / "fragment").glob("*.pf_fragment")):
        fragment = json.loads(gzip.decompress(file.read_bytes()).removeprefix(b"pagefind_dcd"))
        pages[fragment["url"]] = fragment
    return pages


def test_only_our_content_pages_are_indexed(sample_site: Path) -> None:
    pages = indexed_pages(sample_site)
    texts = strings()
    sections = texts["sections"]
    assert (sample_site / "admin" / "index.html").is_file()  # the web editor is there, but not in the index
    assert not [url for url in pages if url.startswith(("/admin/", f"/{SEARCH}", "/404"))]
    assert "/" not in pages  # the home page only shows teasers of other pages
    for proposal in proposals():  # every public proposal's page, and only those
        url = f"/{sections['proposals']}/{proposal.id}/"
        assert (url in pages) == (sample_site / url.strip("/") / "index.html").is_file(), url
    assert not [url for url in pages if f"/{sections['page']}/" in url]  # further pages of a listing
    kinds = {fragment["meta"].get("kind") for fragment in pages.values()}
    assert {texts["search"]["kind_proposal"], texts["search"]["kind_story"], texts["search"]["kind_listing"]} <= kinds


def test_an_internal_proposal_is_not_in_the_index(sample_site: Path) -> None:
    internal = [p for p in proposals() if p.status in ("submitted", "under_review", "declined", "withdrawn")]
    assert internal
    text = "\n".join(_decoded(file) for file in (sample_site / SEARCH).rglob("*") if file.is_file())
    for proposal in internal:
        assert proposal.title not in text and proposal.id not in text


# --- the privacy gate reads the index ------------------------------------------------------------------------------


def cbor_text(value: str) -> bytes:
    data = value.encode("utf-8")
    assert len(data) < 256
    return (bytes([0x60 + len(data)]) if len(data) < 24 else bytes([0x78, len(data)])) + data


def test_the_gate_opens_the_index_files(tmp_path: Path) -> None:
    fragment = tmp_path / "de_1234567.pf_fragment"
    fragment.write_bytes(gzip.compress(b'pagefind_dcd{"url":"/x/","content":"Geheime \\u00dcbergabe am Kai"}'))
    assert "Geheime Übergabe am Kai" in _decoded(fragment).splitlines()
    # Index, metadata and filter files are CBOR: each text string comes out on its own.
    chunk = tmp_path / "de_7654321.pf_index"
    cbor = bytes([0x82]) + cbor_text("geheimwort") + bytes([0xA1]) + cbor_text("status") + cbor_text(
        "Ein ziemlich langer interner Titel")
    chunk.write_bytes(gzip.compress(b"pagefind_dcd" + cbor))
    assert _decoded(chunk).splitlines() == ["geheimwort", "status", "Ein ziemlich langer interner Titel"]
    # gzip is recognised by its content, whatever the file is called.
    other = tmp_path / "daten.bin"
    other.write_bytes(gzip.compress(b"Klartext im Archiv"))
    assert _decoded(other) == "Klartext im Archiv"


def test_the_gate_finds_an_internal_title_hidden_in_the_index(tmp_path: Path) -> None:
    checked = checked_project(REPO)
    internal = next(p for p in proposals() if p.status == "submitted")
    site = tmp_path / "site"
    fragment = site / SEARCH / "fragment" / "de_0000000.pf_fragment"
    fragment.parent.mkdir(parents=True)
    fragment.write_bytes(gzip.compress(b"pagefind_dcd" + json.dumps(
        {"url": "/x/", "content": f"Neu: {internal.title}", "meta": {"title": "x"}}).encode()))
    found = scan_for_leaks(checked.content, site, "site", "de")
    leaks = [d for d in found if d.code == "privacy-leak"]
    assert leaks and all(d.path == f"content/proposals/{internal.id}.md" for d in leaks)
    assert f"site/{SEARCH}fragment/de_0000000.pf_fragment" in leaks[0].message


def test_without_pagefind_the_build_fails_and_keeps_the_previous_site(project, tmp_path, monkeypatch, capsys):
    from generator.cli import main

    root = project("minimal")
    out = tmp_path / "site"
    arguments = ["build", "--config", str(root / "site_config.yml"), "--out", str(out), "--quiet"]
    assert main(arguments) == 0 and (out / SEARCH / "pagefind-entry.json").is_file()
    before = sorted(path.relative_to(out) for path in out.rglob("*"))
    capsys.readouterr()
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-pagefind"))
    assert main(arguments) == 1
    assert "error[search-error]" in capsys.readouterr().out
    assert sorted(path.relative_to(out) for path in out.rglob("*")) == before
