"""Stage 6a — search: a Pagefind index of the built pages, which a visitor's browser loads in chunks per query.

Material's search put the text of every page into one file (7.4 MB at 1,000 open proposals + 1,000 cooperations)
that the first search, and in fact every page view, downloaded. Pagefind (`pagefind` on PyPI, its binary from
`pagefind-bin`) splits the index by words: a query fetches Pagefind's script and the site language's stemmer
(German, English, Dutch …) once, then only the index chunks of the words typed and the excerpts of the results on
screen (`benchmarks/bench_search.py`). The header's search button (`theme/overrides/partials/search.html`) loads
Pagefind's script only when a visitor opens the search; a page by itself requests nothing of it.

What is indexed: our content pages, each as a small document of its main content (`#sc-main`, as
`render.page_source` writes it around every page) marked with `data-pagefind-body`; Pagefind runs on those
documents while MkDocs builds the site (`start_index`, `Indexing.finish`), so the built pages carry no Pagefind
markup. Indexed are every detail page, the first page of each listing and the impact and submit pages; not the
home page (teasers of other pages), further pages of a listing, the open-data page, redirects, the 404 page or the
web editor (`admin/`). On listings and organisation pages the cards, which repeat other pages, are left out, and
so are filter links, pagination and the call to action that every proposal page repeats (`EXCLUDED`). Each page
carries its kind and status as Pagefind metadata, in the catalogue's words, so a result says "Herausforderung ·
Offen".

The index lies in `search/` (`urls.SEARCH_FOLDER`, reserved: no content may take it) and is scanned by the privacy
gate like every built file (it opens Pagefind's gzip-compressed files, `gate._decoded`).
"""

from __future__ import annotations

import html
import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from .diagnostics import Diagnostic, file_diagnostic
from .render import RenderedPage, main_content
from .urls import url_of
from .views import PublicSite

if TYPE_CHECKING:
    from .pipeline import Checked

LISTINGS = frozenset({"proposals.html", "cooperations.html", "organizations.html", "offers.html", "events.html"})
"""Templates of listings: only the first page of each is indexed (its heading and introduction)."""
NOT_INDEXED = frozenset({"home.html", "data.html"})
EXCLUDED = (".sc-card", ".sc-filters", ".sc-status-line", ".sc-pagination", ".sc-cta")
"""Parts of a page that are not its own text: cards of other entries, navigation, the repeated call to action."""
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css",
          "pagefind-highlight.js")
"""Pagefind's other ready-made interfaces: the header uses its modular UI (`pagefind-modular-ui.js`/`.css`)."""
TIMEOUT = 600


@dataclass(frozen=True)
class Label:
    """What a search result says it is: `kind` ("Herausforderung") and, if it has one, `status` ("Offen")."""

    kind: str
    status: str = ""


class Indexing:
    """Pagefind's indexer at work: started on our rendered pages before MkDocs builds, so the two run side by
    side (MkDocs in this process, Pagefind's binary on the other core); `finish` waits for it and moves the index
    into the built site. Pagefind reads only each page's main content and metadata, which we rendered ourselves,
    so it needs nothing of MkDocs' output: it indexes one small document per page (`index_document`)."""

    def __init__(self, process: subprocess.Popen | None, output: Path, log: IO[str] | None, language: str):
        self.process, self.output, self.log, self.language = process, output, log, language

    def finish(self, built: Path, folder: str) -> list[Diagnostic]:
        """Wait for Pagefind and put its index into `built/folder`; an error when it could not index."""
        if self.process is None:
            return []
        try:
            code = self.process.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self.stop()
            return [file_diagnostic("site_config.yml", "search-error", self.language, detail=f"timeout {TIMEOUT} s")]
        if code != 0:
            self.log.seek(0)
            output = " ".join(self.log.read().split())
            return [file_diagnostic("site_config.yml", "search-error", self.language,
                                    detail=output[-500:] or f"exit code {code}")]
        if not (built / "index.html").is_file():  # MkDocs failed; its error is reported already
            return []
        for name in UNUSED:
            (self.output / name).unlink(missing_ok=True)
        os.replace(self.output, built / folder.strip("/"))
        return []

    def stop(self) -> None:
        """End Pagefind if it is still running (a failed build) and close its log."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        if self.log is not None:
            self.log.close()


def start_index(checked: Checked, site: PublicSite, pages: list[RenderedPage], work: Path) -> Indexing:
    """Write the documents Pagefind indexes into `work/pages` and start its binary on them (output: `work/index`).
    Failing to start is reported by `finish`, like any other failure of Pagefind."""
    strings, language = checked.theme.catalogue.strings, checked.language
    labels = page_labels(site, strings)
    words = strings["search"]
    documents = work / "pages"
    written = 0
    for page in pages:
        if not indexed(page):
            continue
        url = url_of(page.path)
        label = labels.get(url) or Label(words["kind_listing" if page.template in LISTINGS else "kind_page"])
        target = documents / url / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(index_document(page, label, site.config.site.language), encoding="utf-8")
        written += 1
    output = work / "index"
    if not written:
        return Indexing(None, output, None, language)
    # Pagefind's output goes to a file, not a pipe: a full pipe would stall it while MkDocs builds; closed by `stop`.
    log = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115
    try:
        command = pagefind_command(documents, output, site.config.site.language)
        process = subprocess.Popen(command, cwd=work, env=_environment(), stdout=log, stderr=subprocess.STDOUT,
                                   text=True)
    except OSError as error:
        log.write(str(error))
        return Indexing(_Failed(), output, log, language)
    return Indexing(process, output, log, language)


class _Failed:
    """Stands for a Pagefind that could not start (its error is in the log)."""

    def wait(self, timeout: float | None = None) -> int:
        return 1

    def poll(self) -> int:
        return 1


def index_document(page: RenderedPage, label: Label, language: str) -> str:
    """What Pagefind reads of a page: its main content as `render.page_source` writes it (so the same text as the
    built page's), marked with `data-pagefind-body`, its kind and status on empty hidden elements at its start
    (Pagefind reads one key per attribute), and its `image` set to none: Pagefind would take the first picture,
    often a card's of another entry, and index its alt text."""
    marks = "".join(f"<span hidden{_attributes(key, value)}></span>"
                    for key, value in (("kind", label.kind), ("status", label.status)) if value)
    return (f'<!doctype html>\n<html lang="{html.escape(language, quote=True)}"><head><meta charset="utf-8">'
            f"<title>{html.escape(page.title)}</title></head><body>\n"
            f"{main_content(page, ' data-pagefind-body' + _attributes('image', ''), marks)}</body></html>\n")


def indexed(page: RenderedPage) -> bool:
    """Detail pages, the first page of each listing, the impact and submit pages."""
    if page.template in NOT_INDEXED:
        return False
    return page.template not in LISTINGS or page.path.endswith("index.md")


def page_labels(site: PublicSite, strings: dict[str, Any]) -> dict[str, Label]:
    """Kind and status of every detail page, by its URL; the statuses in the words the pages show."""
    words = strings["search"]

    def said(section: str, key: str) -> str:
        return strings[section].get(key, "")

    labels: dict[str, Label] = {}
    for proposal in site.proposals:
        labels[proposal.url] = Label(words["kind_proposal"], said("proposal", f"status_{proposal.shown_status}"))
    for story in site.cooperations:
        labels[story.url] = Label(words["kind_story"], said("story", f"status_{story.status}"))
    for cooperation in site.ongoing:
        labels[cooperation.url] = Label(words["kind_cooperation"], said("story", f"status_{cooperation.status}"))
    for organization in site.organizations:
        labels[organization.url] = Label(words["kind_organization"],
                                         said("organizations", f"kind_{organization.kind}"))
    for offer in site.offers:
        labels[offer.url] = Label(words["kind_offer"], said("offers", f"status_{offer.status}"))
    for event in site.events:
        labels[event.url] = Label(words["kind_event"], said("events", f"kind_{event.kind}"))
    for page in site.pages:
        labels[page.url] = Label(words["kind_page"])
    return labels


def _attributes(key: str, value: str) -> str:
    """Pagefind metadata, not filters: Pagefind 1.5 writes filter values in a random order, so a site with
    filters is not the same twice (our builds are byte-identical); and a query would load every filter file."""
    return f' data-pagefind-meta="{html.escape(f"{key}:{value}", quote=True)}"'


def pagefind_command(documents: Path, output: Path, language: str) -> list[str]:
    """Pagefind's indexer over `documents`, its files into `output`; the language forced to the site's (one index,
    that language's stemming)."""
    from pagefind.service import get_executable

    binary = get_executable()
    if binary is None:
        raise FileNotFoundError("the Pagefind binary is missing: pip install 'pagefind[bin]'")
    command = [str(binary), "--site", str(documents), "--output-path", str(output),
               "--force-language", language, "--quiet"]
    for selector in EXCLUDED:
        command += ["--exclude-selectors", selector]
    return command


def _environment() -> dict[str, str]:
    """Configuration files and `PAGEFIND_*` variables are kept out, so the index depends on the pages alone."""
    return {name: value for name, value in os.environ.items() if not name.startswith("PAGEFIND_")}
