"""Stage 6 — build: validated content → a complete static site, written atomically.

The story of a build, top to bottom: validate everything (nothing is written if anything is wrong), publish the
public view, render every page, stage a MkDocs project in a temporary folder beside the output, let MkDocs with
mkdocs-material build it there (on a large site in two processes, engine.py) while Pagefind indexes the pages, check
every internal link, scan the result with the privacy gate, and only then swap it in for the previous site. A
failure at any stage leaves the previous site exactly as it was.

MkDocs is used through the files we generate (Markdown pages with our HTML, mkdocs.yml, theme overrides), so the
engine stays replaceable.
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import gc
import html
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import jinja2
import yaml

from . import editor, images
from .catalogue import catalogue, message
from .diagnostics import Diagnostic, file_diagnostic, has_errors
from .engine import build_shards, shard_config, shard_count, shard_site
from .event_calendar import calendar_files
from .feeds import FEED_KINDS, feed_files
from .files import image_file, paused_garbage_collection
from .gate import scan_for_leaks
from .kinds import PAGE
from .links import check_links
from .listing_filter import filter_data
from .moment import build_moment
from .opendata import data_files
from .pipeline import Built, Checked, Progress
from .project import Project, SiteTheme
from .publish import publish
from .render import RenderedPage, page_source, render_site, tel_href
from .search import start_index
from .sitemap import sitemap_files
from .submission import proposal_template
from .urls import UrlScheme
from .views import PublicSite


def build_site(checked: Checked, out_dir: Path, progress: Progress) -> Built:
    """Render, build with MkDocs, check and swap in; `checked` must be free of errors."""
    started = time.perf_counter()
    content, theme, project = checked.content, checked.theme, checked.project
    result = Built(checked, out_dir)
    texts = catalogue(content.language)
    progress(texts.text("progress.render"))
    try:
        # Publishing already depends on the day (deadlines, upcoming events): the same pinned day as the output.
        with reproducible_time(content.root), paused_garbage_collection():  # few reference cycles
            site = publish(content, theme.urls, build_moment().date())
            pages = render_site(site, theme, project)
    except jinja2.TemplateError as error:
        result.diagnostics.append(_template_problem(error, project, content.language))
        return result
    result.pages = len(pages)
    rendered = Rendered(site, pages)
    del site, pages  # from here on `rendered` alone holds them, so that they can be let go once written
    try:
        _build_in_staging(checked, rendered, out_dir, progress, result)
    finally:
        result.seconds = time.perf_counter() - started
    return result


class Rendered:
    """The public view and its pages until they are written; then only the pages' outlines (path, template,
    source) for the link check, which reads a page's HTML from its file when it needs it. MkDocs (its half of the
    pages, on a large site) and Pagefind hold pages while they work: the memory of ours is theirs (at 4,000 +
    4,000 entries the rendered site is about a third of the build process)."""

    def __init__(self, site: PublicSite, pages: list[RenderedPage]):
        self.site: PublicSite | None = site
        self.pages = pages

    def written(self) -> None:
        self.site = None
        self.pages = [dataclasses.replace(page, html="", meta=None) for page in self.pages]
        gc.collect()
        _return_freed_memory()


def _return_freed_memory() -> None:
    """Give freed heap memory back to the system (glibc keeps it for the process otherwise); elsewhere a no-op."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _build_in_staging(checked: Checked, rendered: Rendered, out_dir: Path, progress: Progress,
                      result: Built) -> None:
    """MkDocs builds into a temporary folder beside the output; the gate checks it; then it is swapped in."""
    content, language = checked.content, checked.language
    texts = catalogue(language)
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_staging(out_dir)
        staging = Path(tempfile.mkdtemp(prefix=_staging_prefix(out_dir, "building"), dir=out_dir.parent))
    except OSError as error:
        result.diagnostics.append(file_diagnostic(str(out_dir), "write-error", language, detail=error))
        return
    removals = _Removals()
    try:
        built, shards = staging / shard_site(0), shard_count(result.pages)
        with reproducible_time(content.root):
            # Pagefind indexes our pages on the other core while we write them for MkDocs and MkDocs starts.
            indexing = start_index(checked, rendered.site, rendered.pages, staging / "search")
            try:
                write_mkdocs_project(checked, rendered.site, rendered.pages, staging, shards, progress)
                rendered.written()
                progress(texts.text("progress.mkdocs", pages=texts.number(result.pages)))
                result.diagnostics += build_shards(staging, shards, language)
                result.diagnostics += indexing.finish(built, checked.theme.urls.search())
            finally:
                indexing.stop()
            removals.remove(staging / "search", *(staging / shard_site(index) for index in range(1, shards)))
            drop_theme_scripts(built)
            vendored = add_editor(checked, built, result.diagnostics)
        if not has_errors(result.diagnostics):  # after a failed MkDocs run pages are missing: links would be, too
            result.diagnostics += check_links(built, rendered.pages, content, checked.project,
                                              checked.theme.urls, staging / "docs")
        if has_errors(result.diagnostics, checked.strict):
            return
        removals.remove(staging / "docs")
        progress(texts.text("progress.gate"))
        with paused_garbage_collection():
            result.diagnostics += scan_for_leaks(content, built, _shown(out_dir), language, vendored)
        if has_errors(result.diagnostics, checked.strict):
            return
        swap_in(built, out_dir)
        result.written = True
    except ImageProblems as problems:
        result.diagnostics += problems.diagnostics
    except OSError as error:
        result.diagnostics.append(file_diagnostic(str(out_dir), "write-error", language, detail=error))
    finally:
        removals.wait()
        shutil.rmtree(staging, ignore_errors=True)


class _Removals:
    """Staging folders the build no longer reads (Pagefind's documents, a second shard's leftovers, MkDocs'
    sources), removed on threads while it goes on: removing tens of thousands of small files is mostly waiting for
    the file system, seconds on a large site. Daemon threads: Ctrl+C in the middle of `wait` must not leave the
    interpreter waiting for them at exit (the staging folder is removed whole after them anyway)."""

    def __init__(self) -> None:
        self.threads: list[threading.Thread] = []

    def remove(self, *folders: Path) -> None:
        for folder in folders:
            thread = threading.Thread(target=shutil.rmtree, args=(folder,), kwargs={"ignore_errors": True},
                                      daemon=True)
            thread.start()
            self.threads.append(thread)

    def wait(self) -> None:
        for thread in self.threads:
            thread.join()


def drop_theme_scripts(built: Path) -> None:
    """Material's scripts (its bundle, source map, search workers) are copied by MkDocs but loaded by no page
    (`overrides/main.html`): they are not published."""
    shutil.rmtree(built / "assets" / "javascripts", ignore_errors=True)


def add_editor(checked: Checked, built: Path, diagnostics: list[Diagnostic]) -> list[Path]:
    """The web editor at /admin/, beside the site MkDocs built (so it is in no sitemap, nav or search index); the
    editor's scripts, copied unchanged from the integrity-checked package, for the privacy gate to pass over."""
    config = checked.content.config
    if config.editor is None:
        return []
    bundle = editor.installed()
    if bundle is None:
        diagnostics.append(file_diagnostic("site_config.yml", "editor-missing", checked.language, "warning",
                                           version=f"{editor.DECAP.package} {editor.DECAP.version}"))
        return []
    return editor.write_admin(config, checked.theme.catalogue, bundle, built / checked.theme.urls.editor())


def _shown(path: Path) -> str:
    try:
        return path.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _template_problem(error: jinja2.TemplateError, project: Project, language: str) -> Diagnostic:
    name = getattr(error, "filename", None) or getattr(error, "name", None) or "templates"
    line = getattr(error, "lineno", None) or 1
    # Runtime errors (an undefined name) carry no position; the traceback has the template's frame.
    frame = error.__traceback__
    while frame is not None:
        if frame.tb_frame.f_code.co_filename.endswith(".html"):
            name, line = frame.tb_frame.f_code.co_filename, frame.tb_lineno
        frame = frame.tb_next
    try:
        shown = Path(name).resolve().relative_to(project.root.resolve()).as_posix()
    except ValueError:
        shown = f"templates/pages/{Path(name).name}"
    return Diagnostic(shown, line, 1, "", "template-error", "error",
                      message("template-error", language, detail=error.message or type(error).__name__))


# --- reproducibility ---------------------------------------------------------------------------------------------


@contextmanager
def reproducible_time(root: Path) -> Iterator[None]:
    """Pin MkDocs' build date (sitemap, gzip headers) to SOURCE_DATE_EPOCH, by default the last commit's time."""
    saved = {name: os.environ.get(name) for name in ("SOURCE_DATE_EPOCH", "NO_MKDOCS_2_WARNING")}
    os.environ["SOURCE_DATE_EPOCH"] = saved["SOURCE_DATE_EPOCH"] or source_date_epoch(root)
    os.environ["NO_MKDOCS_2_WARNING"] = "1"  # Material's notice about MkDocs 2.0 is not the editors' concern
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def source_date_epoch(root: Path) -> str:
    """The time of the last commit in a git checkout; otherwise a fixed date, so builds stay identical."""
    try:
        completed = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True,
                                   text=True, timeout=10, check=False)
        if completed.returncode == 0 and completed.stdout.strip().isdigit():
            return completed.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    return "0"


# --- the MkDocs project ------------------------------------------------------------------------------------------


def write_mkdocs_project(checked: Checked, site: PublicSite, pages: list[RenderedPage], staging: Path,
                         shards: int = 1, progress: Progress | None = None) -> None:
    """Everything MkDocs reads: our pages, images, the theme's assets and overrides, redirects, the sitemap, and
    a mkdocs.yml for each process that builds a shard of the pages (engine.py)."""
    project, urls, docs = checked.project, checked.theme.urls, staging / "docs"
    for page in pages:
        _write(docs / page.path, page_source(page))
    copy_images(site, project.root, docs, urls, progress)
    project.copy_theme("assets", docs / "assets")
    project.copy_theme("overrides", docs.parent / "overrides")
    # Files in docs/ that are not Markdown are copied as they are: the redirects need no engine support.
    for redirect in site.redirects:
        depth = redirect.source.count("/")
        _write(docs / redirect.source, REDIRECT_PAGE.format(target=html.escape("../" * depth + redirect.target)))
    files = data_and_feeds(site, checked.theme)
    files |= sitemap_files([page.path for page in pages], site.config.site.url, build_moment(), urls)
    for path, data in files.items():
        (docs / path).parent.mkdir(parents=True, exist_ok=True)
        (docs / path).write_bytes(data)
    for index in range(shards):
        config = mkdocs_config(site, checked.theme, docs, staging / shard_site(index), (index, shards))
        _write(staging / shard_config(index), yaml.safe_dump(config, allow_unicode=True, sort_keys=False))


def data_and_feeds(site: PublicSite, theme: SiteTheme) -> dict[str, bytes]:
    """Open data (JSON, CSV, schemas), the Atom feeds and the events' calendar files (.ics), by their path in the
    site; dated by SOURCE_DATE_EPOCH."""
    urls, base = theme.urls, site.config.site.url
    built = build_moment()
    files = {urls.data_file(name): data for name, data in data_files(site, base + urls.data_file("")).items()}
    feeds = {kind: urls.feed(kind) for kind in FEED_KINDS}
    files |= {feeds[kind]: data for kind, data in
              feed_files(site, theme.catalogue, built, {kind: base + path for kind, path in feeds.items()}).items()}
    files |= calendar_files(site, theme.catalogue, built, base)
    files[urls.submit_template()] = proposal_template(theme.catalogue, site.config).encode("utf-8")
    files[urls.filter_data()] = filter_data(site, theme.catalogue, theme.catalogue.strings, urls)
    return files


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


REDIRECT_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><meta name="robots" content="noindex">
<link rel="canonical" href="{target}"><meta http-equiv="refresh" content="0; url={target}">
<title>→</title></head><body><p><a href="{target}">{target}</a></p></body></html>
"""


class ImageProblems(Exception):
    """Images that cannot be published (damaged, not an image): diagnostics, raised once all were tried."""

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__(diagnostics)
        self.diagnostics = diagnostics


def copy_images(site: PublicSite, root: Path, docs: Path, urls: UrlScheme, progress: Progress | None = None
                ) -> images.Tally:
    """Publish only the images public pages show (an internal proposal's photo stays unpublished), each one
    re-encoded without metadata (EXIF, GPS, XMP, text chunks, comments), plus its resized copies (AVIF, WebP
    and a JPEG or PNG fallback, `site.image_sources`): see `images.py`. Files made by an earlier build come from the
    cache (`$SHOWCASE_CACHE/images`); the progress line says how many were made, how many reused, and the time."""
    problems: list[Diagnostic] = []
    cache = editor.cache_dir() / "images"
    tally = images.Tally()
    for path in site.images:
        copies = [(docs / source.url, images.Copy(source.width, source.height, source.format))
                  for source in site.image_sources.get(path, [])]
        # Reads through the path validated as inside content/images; a link itself is never copied.
        try:
            images.publish_image(image_file(root, path), docs / urls.image(path), copies, cache, tally)
        except images.ImageUnreadable as error:
            problems.append(file_diagnostic(f"content/images/{path}", "image-unreadable",
                                            site.config.site.language, detail=error))
    if problems:
        raise ImageProblems(problems)
    if progress is not None and site.images:
        texts = catalogue(site.config.site.language)
        progress(texts.text("progress.images", new=texts.number(tally.written), cached=texts.number(tally.reused),
                            seconds=texts.number(round(tally.seconds, 1))))
    return tally


def mkdocs_config(site: PublicSite, theme: SiteTheme, docs: Path, site_dir: Path,
                  shard: tuple[int, int] = (0, 1)) -> dict[str, Any]:
    """The configuration of MkDocs; `shard`: (index, count) of the pages this configuration builds."""
    config, strings, urls = site.config, theme.catalogue.strings, theme.urls
    nav: list[Any] = [
        {strings["nav"]["home"]: urls.home()},
        {strings["nav"]["proposals"]: urls.listing()},
        {strings["nav"]["stories"]: urls.cooperations()},
        {strings["nav"]["organizations"]: urls.organizations()},
        {strings["nav"]["impact"]: urls.impact()},
        {strings["submit"]["nav"]: urls.submit()},
    ]
    # Offers and events join the menu once a network has any; their (empty) pages exist either way.
    nav += [{strings["nav"][key]: source} for key, items, source in
            (("offers", site.offers, urls.offers()), ("events", site.events, urls.events())) if items]
    # No title here: MkDocs would print it unescaped; without one it uses the page's (escaped) meta title.
    nav += [urls.detail(PAGE, page.id) for page in site.pages if page.nav]
    contact = config.network.contact
    return {
        # MkDocs' and Material's templates print these unescaped (title, header, meta description of the 404
        # page); run_mkdocs marks the escaped text as Markup so that the templates' `| e` does not escape twice.
        "site_name": html.escape(config.network.name, quote=True),
        "site_url": config.site.url,
        "site_description": html.escape(config.network.tagline, quote=True),
        "docs_dir": str(docs),
        "site_dir": str(site_dir),
        "use_directory_urls": True,
        "theme": {
            "name": "material",
            "language": config.site.language,
            "custom_dir": str(docs.parent / "overrides"),
            # System fonts: mkdocs-material would otherwise load Google Fonts, a third-party request.
            "font": False,
            "features": ["navigation.tabs", "navigation.tabs.sticky"],
            "palette": {"scheme": "default", "primary": "teal", "accent": "teal"},
            # The network's logo in the header and its icon in the browser tab (published with the images).
            **({"logo": urls.image(config.site.logo)} if config.site.logo else {}),
            **({"favicon": urls.image(config.site.favicon)} if config.site.favicon else {}),
        },
        "nav": nav,
        # Detail and listing pages stay out of the navigation, which MkDocs renders into every page.
        "not_in_nav": "*\n",
        # No plugin, not even MkDocs' default `search`: Pagefind indexes the built pages (search.py), and a
        # visitor's browser loads only the chunks a query needs instead of one index of the whole site.
        "plugins": [],
        "hooks": [str(Path(__file__).with_name("mkdocs_hooks.py"))],
        "extra_css": [urls.asset("showcase.css")],
        "extra": {
            "generator": False,
            "showcase": {
                "notice": config.site.notice,
                "contact": {"name": contact.name, "email": contact.email, "phone": contact.phone,
                            "tel": tel_href(contact.phone)},
                # The header logo's size, so its <img> keeps its place while it loads (overrides/partials/logo.html).
                "logo": {"width": site.logo_size[0], "height": site.logo_size[1]} if site.logo_size else None,
                "links": [{"title": page.title, "url": page.url} for page in site.pages],
                # The repository is named only in the imprint (and only when it is public): see page.html.
                "source_label": strings["footer"]["source"],
                "not_found": strings["not_found"],
                # Feeds announced in every page's head, so readers find them; relative to the site root.
                "feeds": [{"title": f"{config.network.name}: {strings['data'][f'feed_{kind}']}",
                           "href": urls.feed(kind)} for kind in FEED_KINDS],
                # Which pages this process builds when several do (mkdocs_hooks.on_files).
                **({"shard": list(shard)} if shard[1] > 1 else {}),
            },
        },
        "validation": {"nav": {"omitted_files": "ignore"}, "links": {"unrecognized_links": "ignore"}},
    }


# --- swapping the new site in ------------------------------------------------------------------------------------


def swap_in(built: Path, out_dir: Path) -> None:
    """Replace out_dir by the freshly built folder; the old site is removed only once the new one is in place."""
    if out_dir.exists():
        retired = Path(tempfile.mkdtemp(prefix=_staging_prefix(out_dir, "old"), dir=out_dir.parent))
        os.replace(out_dir, retired / "site")
        try:
            os.replace(built, out_dir)
        except OSError:
            os.replace(retired / "site", out_dir)  # put the previous site back
            raise
        finally:
            shutil.rmtree(retired, ignore_errors=True)
    else:
        os.replace(built, out_dir)


# --- folders of killed builds ------------------------------------------------------------------------------------


def _staging_prefix(out_dir: Path, kind: str) -> str:
    """`.site.building-<pid>-` (MkDocs' output before the gate) or `.site.old-<pid>-` (the site being replaced)."""
    return f".{out_dir.name}.{kind}-{os.getpid()}-"


def remove_stale_staging(out_dir: Path) -> None:
    """Remove the folders a killed build (SIGKILL, SIGTERM, power loss) left beside the output: only ours (by
    prefix) and only when the build that made them is gone, so a build running at the same time keeps its own."""
    pattern = re.compile(rf"\.{re.escape(out_dir.name)}\.(?:building|old)-(?:(\d+)-)?[a-z0-9_]+")
    try:
        entries = list(out_dir.parent.iterdir())
    except OSError:
        return
    for entry in entries:
        match = pattern.fullmatch(entry.name)
        if match is None or entry.is_symlink() or not entry.is_dir():
            continue
        if match.group(1) is None or not _running(int(match.group(1))):  # no pid: left by an older version
            shutil.rmtree(entry, ignore_errors=True)


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True
