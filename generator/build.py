"""Stage 6 — build: validated content → a complete static site, written atomically.

The story of a build, top to bottom: validate everything (nothing is written if anything is wrong), publish the
public view, render every page, stage a MkDocs project in a temporary folder beside the output, let MkDocs with
mkdocs-material build it there, scan the result with the privacy gate, and only then swap it in for the previous
site. A failure at any stage leaves the previous site exactly as it was.

MkDocs is used through the files we generate (Markdown pages with our HTML, mkdocs.yml, theme overrides), so the
engine stays replaceable.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import yaml

from .diagnostics import Diagnostic, has_errors
from .gate import scan_for_leaks
from .messages import message
from .publish import Site, publish
from .render import RenderedPage, load_strings, page_source, render_site, url_of
from .validate import Content, image_file, paused_garbage_collection

Progress = Callable[[str], None]


@dataclass
class BuildResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    pages: int = 0
    seconds: float = 0.0
    ok: bool = False


def build_site(content: Content, out_dir: Path, strict: bool = False,
               progress: Progress = lambda _: None) -> BuildResult:
    """Render, build with MkDocs, check and swap in. `content` must already be validated without errors."""
    started = time.perf_counter()
    result = BuildResult()
    language = content.language
    templates = content.root / "templates"
    out_dir = out_dir.resolve()
    progress(_progress("render", language))
    site = publish(content)
    try:
        with paused_garbage_collection():  # thousands of pages, few reference cycles
            pages = render_site(site, templates)
    except jinja2.TemplateError as error:
        result.diagnostics.append(_template_problem(error, content.root, language))
        return result
    result.pages = len(pages)
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.building-", dir=out_dir.parent))
    except OSError as error:
        result.diagnostics.append(_build_problem("write-error", str(out_dir), language, detail=error))
        return result
    try:
        built = staging / "site"
        with reproducible_time(content.root):
            write_mkdocs_project(site, pages, content.root, staging / "docs", built, templates)
            progress(_progress("mkdocs", language, pages=len(pages)))
            result.diagnostics += run_mkdocs(staging / "mkdocs.yml", language)
        if has_errors(result.diagnostics, strict):
            return result
        progress(_progress("gate", language))
        with paused_garbage_collection():
            result.diagnostics += scan_for_leaks(content, built, _shown(out_dir), language)
        if has_errors(result.diagnostics, strict):
            return result
        swap_in(built, out_dir)
        result.ok = True
    except OSError as error:
        result.diagnostics.append(_build_problem("write-error", str(out_dir), language, detail=error))
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        result.seconds = time.perf_counter() - started
    return result


def _shown(path: Path) -> str:
    try:
        return path.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _build_problem(code: str, path: str, language: str, severity: str = "error", **ctx: Any) -> Diagnostic:
    return Diagnostic(path, 1, 1, "", code, severity, message(code, language, **ctx))


def _template_problem(error: jinja2.TemplateError, root: Path, language: str) -> Diagnostic:
    name = getattr(error, "filename", None) or getattr(error, "name", None) or "templates"
    line = getattr(error, "lineno", None) or 1
    # Runtime errors (an undefined name) carry no position; the traceback has the template's frame.
    frame = error.__traceback__
    while frame is not None:
        if frame.tb_frame.f_code.co_filename.endswith(".html"):
            name, line = frame.tb_frame.f_code.co_filename, frame.tb_lineno
        frame = frame.tb_next
    try:
        shown = Path(name).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        shown = f"templates/pages/{name}"
    return Diagnostic(shown, line, 1, "", "template-error", "error",
                      message("template-error", language, detail=error.message or type(error).__name__))


def _progress(step: str, language: str, **ctx: Any) -> str:
    texts = {
        "render": {"de": "Erzeuge die Seiten …", "en": "Rendering pages …"},
        "mkdocs": {"de": "MkDocs baut {pages} Seiten …", "en": "MkDocs is building {pages} pages …"},
        "gate": {"de": "Prüfe die Ausgabe auf interne Daten …", "en": "Checking the output for internal data …"},
    }[step]
    return texts.get(language, texts["en"]).format(**ctx)


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


def write_mkdocs_project(site: Site, pages: list[RenderedPage], root: Path, docs: Path, site_dir: Path,
                         templates: Path) -> None:
    for page in pages:
        target = docs / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page_source(page), encoding="utf-8")
    strings = load_strings(templates, site.config.site.language)
    copy_images(site, root, docs / strings["sections"]["images"])
    shutil.copytree(templates / "assets", docs / "assets")
    config = mkdocs_config(site, strings, docs, site_dir, templates)
    (docs.parent / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False),
                                            encoding="utf-8")


def copy_images(site: Site, root: Path, target: Path) -> None:
    """Copy only the images public pages show: an internal proposal's photo stays unpublished."""
    for path in site.images:
        destination = target / path
        destination.parent.mkdir(parents=True, exist_ok=True)
        # copyfile reads through the path validated as inside content/images; it never copies a link itself.
        shutil.copyfile(image_file(root, path), destination)


def mkdocs_config(site: Site, strings: dict[str, Any], docs: Path, site_dir: Path,
                  templates: Path) -> dict[str, Any]:
    config = site.config
    sections = strings["sections"]
    nav: list[dict[str, str]] = [
        {strings["nav"]["home"]: "index.md"},
        {strings["nav"]["proposals"]: f"{sections['proposals']}/index.md"},
        {strings["nav"]["stories"]: f"{sections['stories']}/index.md"},
        {strings["nav"]["organizations"]: f"{sections['organizations']}/index.md"},
        {strings["nav"]["impact"]: f"{sections['impact']}/index.md"},
    ]
    # No title here: MkDocs would print it unescaped; without one it uses the page's (escaped) meta title.
    nav += [f"{page.id}.md" for page in site.pages if page.nav]
    contact = config.network.contact
    return {
        "site_name": config.network.name,
        "site_url": config.site.url,
        "site_description": config.network.tagline,
        "docs_dir": str(docs),
        "site_dir": str(site_dir),
        "use_directory_urls": True,
        "theme": {
            "name": "material",
            "language": config.site.language,
            "custom_dir": str(templates / "overrides"),
            # System fonts: mkdocs-material would otherwise load Google Fonts, a third-party request.
            "font": False,
            "features": ["search.highlight"],
            "palette": {"scheme": "default", "primary": "teal", "accent": "teal"},
        },
        "nav": nav,
        # Detail and listing pages stay out of the navigation, which MkDocs renders into every page.
        "not_in_nav": "*\n",
        "plugins": [{"search": {"lang": config.site.language}}],
        "hooks": [str(Path(__file__).with_name("mkdocs_hooks.py"))],
        "extra_css": ["assets/showcase.css"],
        "extra": {
            "generator": False,
            "showcase": {
                "notice": config.site.notice,
                "contact": {"name": contact.name, "email": contact.email, "phone": contact.phone},
                "links": [{"title": page.title, "url": url_of(f"{page.id}.md")} for page in site.pages],
                "repo_url": config.site.repo_url,
                "source_label": strings["footer"]["source"],
                "not_found": strings["not_found"],
            },
        },
        "validation": {"nav": {"omitted_files": "ignore"}, "links": {"unrecognized_links": "ignore"}},
    }


class _WarningCollector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def run_mkdocs(config_file: Path, language: str) -> list[Diagnostic]:
    """Build with MkDocs in-process; its warnings are counted here, since its own exit code hides them."""
    from mkdocs import config as mkdocs_config_module
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.exceptions import MkDocsException

    logger = logging.getLogger("mkdocs")
    collector = _WarningCollector()
    saved = (logger.level, logger.propagate, list(logger.handlers))
    logger.handlers, logger.propagate = [collector], False
    logger.setLevel(logging.WARNING)
    try:
        cfg = mkdocs_config_module.load_config(config_file=str(config_file))
        cfg.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build.build(cfg)
        finally:
            cfg.plugins.on_shutdown()
    except (MkDocsException, SystemExit, jinja2.TemplateError, OSError) as error:
        return [_build_problem("mkdocs-error", "mkdocs.yml", language, detail=error)] + _warnings(collector, language)
    except Exception as error:  # a theme or plugin bug: report it, never a traceback, keep the old site
        detail = f"{type(error).__name__}: {error}"
        return [_build_problem("mkdocs-error", "mkdocs.yml", language, detail=detail)] + _warnings(collector, language)
    finally:
        logger.setLevel(saved[0])
        logger.propagate = saved[1]
        logger.handlers = saved[2]
    return _warnings(collector, language)


def _warnings(collector: _WarningCollector, language: str) -> list[Diagnostic]:
    return [_build_problem("mkdocs-warning", "mkdocs.yml", language, "warning", detail=text)
            for text in collector.messages]


# --- swapping the new site in ------------------------------------------------------------------------------------


def swap_in(built: Path, out_dir: Path) -> None:
    """Replace out_dir by the freshly built folder; the old site is removed only once the new one is in place."""
    if out_dir.exists():
        retired = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
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
