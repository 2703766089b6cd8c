"""How many bytes does the site's search cost a visitor: Pagefind (what the build does) against Material's search?

Writes a synthetic project with N open proposals and N cooperations (default 1,000 each, `_synthetic.py`, as
bench_build.py writes it) and builds it twice, in-process, with SOURCE_DATE_EPOCH=0:

  pagefind   `showcase build` as it is: Material's search plugin off, Pagefind's index in `search/`
             (generator/search.py), the header's button loads Pagefind's modular UI on first use
  material   the same build with Material's search plugin and its header search put back (plugin, the
             `search.highlight` feature, Material's own header and search partials); no Pagefind

Each site is served on 127.0.0.1 by a server that counts the bytes it sends (headers and bodies, no compression,
like a plain static server), and opened in Debian's chromium (Playwright, `executable_path=/usr/bin/chromium`;
never `playwright install`) in a fresh browser context, so the cache is cold:

  before search   open a proposal's page and wait until the network is idle
  first query     open the search, type a word from the titles, wait for the results and for the network
  second query    another word in the same page: what a further query costs once the script is loaded

It prints the bytes of each step (the search's own files separately), what a compressing web server would send
(each text file's size after gzip -6; Pagefind's index files are gzip already), the index's size on disk, and the
build times: the whole build and the indexing step alone (Pagefind: writing its documents, starting its binary,
which then runs beside MkDocs, and waiting for it after MkDocs; Material: its search plugin's hooks). "Material,
lazily loaded" is derived: the same files, moved from the page view to the first query. Targets (issue 10):
nothing of the index before a search; one query <= 300 KB.

    .venv/bin/python benchmarks/bench_search.py [--n 1000] [--query Hochbeete] [--second Schlafsäcke] [--keep DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._synthetic import (  # noqa: E402
    Project,
    announce_code_version,
    warn_if_code_changed,
    working_folder,
    write_project,
)
from generator import build as build_stage  # noqa: E402
from generator import commands, pipeline, search  # noqa: E402
from generator.urls import SEARCH_FOLDER  # noqa: E402

TARGET_QUERY_KB = 300
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
COMPRESSED_ALREADY = {".pf_index", ".pf_fragment", ".pf_meta", ".pf_filter", ".pagefind", ".gz", ".png", ".jpg",
                      ".jpeg", ".webp", ".avif", ".gif", ".woff", ".woff2"}
MATERIAL_SEARCH_FILES = ("/search/", "/workers/search", "/lunr/")


# --- the two builds -----------------------------------------------------------------------------------------------


@dataclass
class Build:
    variant: str
    site: Path
    seconds: float
    indexing: float
    """Pagefind: writing its documents and starting its binary (`search.start_index`) plus waiting for it after
    MkDocs (`Indexing.finish`), i.e. what it adds to the build beyond running beside MkDocs; Material: its search
    plugin's hooks."""
    binary: float
    """Pagefind: the wait for its binary after MkDocs alone (`Indexing.finish`)."""
    gate: float
    """The privacy gate over the whole output (it reads the index too)."""
    index_bytes: int
    index_files: int
    program_bytes: int
    """Of index_bytes: Pagefind's scripts, styles and WebAssembly (the same whatever the site)."""


@contextmanager
def patched(owner: object, name: str, wrap: Callable[[Callable], Callable]) -> Iterator[None]:
    original = getattr(owner, name)
    setattr(owner, name, wrap(original))
    try:
        yield
    finally:
        setattr(owner, name, original)


@contextmanager
def timed_calls(owner: object, names: list[str], total: list[float]) -> Iterator[None]:
    """Add the wall time of every call of owner.<name> to total[0]."""
    def wrap(function: Callable) -> Callable:
        @functools.wraps(function)
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                total[0] += time.perf_counter() - started
        return timed

    saved = {name: getattr(owner, name) for name in names}
    for name in names:
        setattr(owner, name, wrap(saved[name]))
    try:
        yield
    finally:
        for name, function in saved.items():
            setattr(owner, name, function)


@contextmanager
def material_search() -> Iterator[None]:
    """The build as it was before Pagefind: Material's search plugin and header search, no Pagefind."""
    def config(original: Callable) -> Callable:
        def with_plugin(site, *args, **kwargs):  # mkdocs_config(site, theme, docs, site_dir)
            result = original(site, *args, **kwargs)
            result["plugins"] = [{"search": {"lang": site.config.site.language}}]
            result["theme"]["features"] = ["search.highlight", *result["theme"]["features"]]
            return result
        return with_plugin

    def project(original: Callable) -> Callable:
        def with_material_header(checked, site, pages, staging, *args, **kwargs):
            original(checked, site, pages, staging, *args, **kwargs)
            for name in ("search.html", "header.html"):  # our header and search partials: Material's instead
                (staging / "overrides" / "partials" / name).unlink(missing_ok=True)
            # Material's search runs in its JavaScript bundle, which our pages no longer load: load it again.
            main = staging / "overrides" / "main.html"
            text = main.read_text(encoding="utf-8")
            main.write_text(text[: text.index("{% block config %}")], encoding="utf-8")
        return with_material_header

    with (patched(build_stage, "mkdocs_config", config), patched(build_stage, "write_mkdocs_project", project),
          patched(build_stage, "start_index", lambda original: lambda checked, site, pages, work:
                  search.Indexing(None, work, None, checked.language)),
          patched(build_stage, "drop_theme_scripts", lambda original: lambda built: None),
          # Material's search plugin indexes the pages of its own process: one process builds them all.
          patched(build_stage, "shard_count", lambda original: lambda pages: 1)):
        yield


def build(project: Project, out: Path, variant: str) -> Build:
    from material.plugins.search.plugin import SearchPlugin

    indexing, binary, gate = [0.0], [0.0], [0.0]
    if variant == "material":
        context = material_search()
        timer = timed_calls(SearchPlugin, ["on_config", "on_page_context", "on_post_build"], indexing)
    else:
        context = contextlib.nullcontext()  # the build as it is
        timer = contextlib.ExitStack()
        timer.enter_context(timed_calls(build_stage, ["start_index"], indexing))
        timer.enter_context(timed_calls(search.Indexing, ["finish"], indexing))
    started = time.perf_counter()
    with context, timer, timed_calls(search.Indexing, ["finish"], binary), \
            timed_calls(build_stage, ["scan_for_leaks"], gate):
        code = commands.build(project.config, out, "human", False, quiet=True)
    seconds = time.perf_counter() - started
    if code != 0:
        raise SystemExit(f"the {variant} build failed with exit code {code}")
    folder = out / SEARCH_FOLDER
    files = [file for file in folder.rglob("*") if file.is_file()] if folder.is_dir() else []
    program = [file for file in files if file.suffix in (".js", ".css", ".pagefind")]
    return Build(variant, out, seconds, indexing[0], binary[0], gate[0], sum(file.stat().st_size for file in files),
                 len(files), sum(file.stat().st_size for file in program))


# --- serving and counting -----------------------------------------------------------------------------------------


@dataclass
class Sent:
    path: str
    bytes: int
    """Headers and body, as sent (the server does not compress)."""
    compressed: int
    """What a server that gzips text would send (body after gzip -6; headers as they are)."""


class CountingServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a dropped connection is no error here
            super().handle_error(request, client_address)


class CountingHandler(http.server.SimpleHTTPRequestHandler):
    sent: list[Sent]

    def log_message(self, *args: object) -> None:
        pass

    def flush_headers(self) -> None:
        self._header_bytes = sum(len(chunk) for chunk in getattr(self, "_headers_buffer", []))
        super().flush_headers()

    def copyfile(self, source, outputfile) -> None:
        body = source.read()
        outputfile.write(body)
        path = self.path.split("?")[0]
        headers = getattr(self, "_header_bytes", 0)
        suffix = Path(path).suffix.lower()
        packed = len(body) if suffix in COMPRESSED_ALREADY else min(len(body), len(gzip.compress(body, 6)))
        self.sent.append(Sent(path, headers + len(body), headers + packed))


@contextmanager
def serve(site: Path) -> Iterator[tuple[str, list[Sent]]]:
    sent: list[Sent] = []
    handler = type("Handler", (CountingHandler,), {"sent": sent})
    server = CountingServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", sent
    finally:
        server.shutdown()
        server.server_close()


def settle(sent: list[Sent], quiet: float = 1.0, limit: float = 60.0) -> None:
    """Wait until the server has sent nothing for `quiet` seconds (workers' requests included)."""
    started, count, since = time.perf_counter(), len(sent), time.perf_counter()
    while time.perf_counter() - since < quiet and time.perf_counter() - started < limit:
        time.sleep(0.1)
        if len(sent) != count:
            count, since = len(sent), time.perf_counter()


@dataclass
class Step:
    sent: list[Sent] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)

    def total(self, only: Callable[[str], bool] = lambda path: True, compressed: bool = False) -> int:
        return sum(s.compressed if compressed else s.bytes for s in self.sent if only(s.path))


def visit(browser, base: str, sent: list[Sent], page_path: str, variant: str, queries: list[str]) -> list[Step]:
    """Open a page, then search for each query in turn; the bytes sent during each step."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    steps = []

    def step(action: Callable[[], None]) -> None:
        mark, asked = len(sent), len(requests)
        action()
        settle(sent)
        foreign = [url for url in requests[asked:] if not url.startswith((base, "data:", "blob:"))]
        steps.append(Step(sent[mark:], foreign))

    step(lambda: page.goto(base + page_path, wait_until="networkidle"))
    for number, query in enumerate(queries):
        def search(query: str = query, first: bool = number == 0) -> None:
            if variant == "pagefind":
                if first:
                    page.locator(".sc-search__toggle").click()
                page.locator(".sc-search__input").fill(query)
                page.locator(".sc-search__results .sc-search__label").first.wait_for(timeout=60_000)
            else:
                page.locator(".md-search__input").fill(query)
                page.locator(".md-search__input").press("End")  # Material searches on keyup
                page.locator(".md-search-result__item").first.wait_for(timeout=120_000)
        step(search)
    context.close()
    return steps


# --- the report ---------------------------------------------------------------------------------------------------


def kb(value: int) -> str:
    return f"{value / 1024:,.1f} KB"


def is_search(variant: str) -> Callable[[str], bool]:
    if variant == "pagefind":
        return lambda path: path.startswith(f"/{SEARCH_FOLDER}/")
    return lambda path: any(part in path for part in MATERIAL_SEARCH_FILES)


def report(result: Build, steps: list[Step], queries: list[str]) -> dict[str, int]:
    search = is_search(result.variant)
    before, first, second = steps
    print(f"\n--- {result.variant}: build {result.seconds:.1f} s wall (best run), of which indexing "
          f"{result.indexing:.1f} s" + (f" (Pagefind's binary {result.binary:.1f} s)" if result.binary else "")
          + f", privacy gate {result.gate:.1f} s; index {kb(result.index_bytes)} in {result.index_files:,} files "
          f"(of which program files {kb(result.program_bytes)})")
    for name, step in (("open a proposal's page", before), (f"first query {queries[0]!r}", first),
                       (f"second query {queries[1]!r}", second)):
        print(f"  {name:<34} {len(step.sent):3d} requests {kb(step.total()):>12}   of which search "
              f"{kb(step.total(search)):>12}   gzip host: {kb(step.total(compressed=True)):>11}, search "
              f"{kb(step.total(search, compressed=True)):>11}")
        shown = [s for s in step.sent if search(s.path)] if step is before else step.sent
        for sent in sorted(shown, key=lambda s: -s.bytes)[:8]:
            print(f"      {sent.bytes / 1024:9.1f} KB  {sent.path}")
        if step.foreign:
            print(f"      requests beyond 127.0.0.1: {step.foreign}")
    return {
        "before": before.total(search), "before_gz": before.total(search, compressed=True),
        "first": first.total(), "first_gz": first.total(compressed=True),
        "second": second.total(), "second_gz": second.total(compressed=True),
        "foreign": sum(len(step.foreign) for step in steps),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="open proposals and cooperations (default 1,000 each)")
    parser.add_argument("--query", default="Hochbeete", help="the first query (a word of many titles)")
    parser.add_argument("--second", default="Schlafsäcke", help="the second query")
    parser.add_argument("--repeat", type=int, default=2, help="builds per variant, alternating; the fastest counts")
    parser.add_argument("--keep", type=Path, default=None, help="write the project and sites here and keep them")
    args = parser.parse_args(argv)
    os.environ.update(SOURCE_DATE_EPOCH="0", NO_MKDOCS_2_WARNING="1")
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is missing: apt-get install chromium (never `playwright install`)")
    from playwright.sync_api import sync_playwright

    commit, version = announce_code_version()
    with working_folder("bench-search-", args.keep) as workdir:
        n = args.n
        project = write_project(workdir / "project", proposals=n, cooperations=n, nonprofits=max(1, n // 5),
                                companies=max(1, n // 5), statuses="open", templates=True)
        proposals_slug = pipeline.check(project.config).theme.catalogue.strings["sections"]["proposals"]
        page_path = f"{proposals_slug}/{project.proposals[0]}/"
        print(f"{n:,} open proposals + {n:,} cooperations + {len(project.nonprofits):,} non-profits + "
              f"{len(project.companies):,} companies; the visitor opens /{page_path} and searches "
              f"{args.query!r}, then {args.second!r}", flush=True)
        figures = {}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                builds: dict[str, list[Build]] = {"pagefind": [], "material": []}
                for _ in range(max(1, args.repeat)):  # alternating; the first build also fills the image cache
                    for variant, runs in builds.items():
                        runs.append(build(project, workdir / f"site-{variant}", variant))
                for variant, runs in builds.items():
                    result = min(runs, key=lambda run: run.seconds)
                    print(f"\n{variant} builds: " + ", ".join(f"{run.seconds:.1f} s" for run in runs), flush=True)
                    with serve(result.site) as (base, sent):
                        steps = visit(browser, base, sent, page_path, variant, [args.query, args.second])
                    figures[variant] = report(result, steps, [args.query, args.second]) | {
                        "build": result.seconds, "indexing": result.indexing, "index": result.index_bytes,
                        "gate": result.gate,
                        "program": result.program_bytes, "files": result.index_files}
            finally:
                browser.close()
    pagefind, material = figures["pagefind"], figures["material"]
    print("\nsummary (bytes as sent by a plain static server; in brackets: by a server that gzips text)")
    print(f"  {'':<28} {'Pagefind':>26} {'Material (as before)':>26} {'Material, lazily loaded':>26}")
    rows = [
        ("index bytes before a search", pagefind["before"], pagefind["before_gz"], material["before"],
         material["before_gz"], 0, 0),
        ("first query", pagefind["first"], pagefind["first_gz"], material["first"], material["first_gz"],
         material["first"] + material["before"], material["first_gz"] + material["before_gz"]),
        ("second query", pagefind["second"], pagefind["second_gz"], material["second"], material["second_gz"],
         material["second"], material["second_gz"]),
    ]
    for name, *values in rows:
        cells = [f"{kb(values[i])} ({kb(values[i + 1])})" for i in (0, 2, 4)]
        print(f"  {name:<28} {cells[0]:>26} {cells[1]:>26} {cells[2]:>26}")
    print(f"  {'index on disk':<28} {kb(pagefind['index']):>26} {kb(material['index']):>26}")
    print(f"  {'  files; program files':<28} {pagefind['files']:>14,}; {kb(pagefind['program']):>9} "
          f"{material['files']:>14,}; {kb(material['program']):>9}")
    print(f"  {'build (indexing; gate)':<28} {pagefind['build']:>12.1f} s ({pagefind['indexing']:.1f}; "
          f"{pagefind['gate']:.1f} s) {material['build']:>12.1f} s ({material['indexing']:.1f}; "
          f"{material['gate']:.1f} s)")
    verdict = "OK" if pagefind["before"] == 0 else "MISSED"
    print(f"Pagefind: nothing of the index before a search: {verdict}; first query {kb(pagefind['first'])}, "
          f"target <= {TARGET_QUERY_KB} KB: {'OK' if pagefind['first'] <= TARGET_QUERY_KB * 1024 else 'MISSED'}; "
          f"requests beyond 127.0.0.1: {pagefind['foreign']}")
    warn_if_code_changed(commit, version, "the figures mix versions; run again.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
