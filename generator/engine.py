"""Stage 6a — engine: MkDocs with mkdocs-material builds the staged project, on large sites in two processes.

MkDocs renders one page after another on one core, and Material's frame around each page is most of a large
build. A page's output depends only on the page itself and on the navigation, which is small and the same for all.
So from `PARALLEL_FROM` pages on, the pages outside the navigation are dealt into two shards
(`mkdocs_hooks.on_files`): this process builds shard 0 with the navigation's pages, the theme's and the static
files, while a second process (`python -m generator.engine`, see helper.py) builds shard 1 into a folder of its
own, whose pages are then moved into the site. The site is the same, file for file, as one process would build
(tests/test_build.py compares them). The sitemap, which MkDocs would write from its own shard's pages only, is
ours (sitemap.py).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import jinja2
from markupsafe import Markup

from .diagnostics import Diagnostic, file_diagnostic
from .helper import Helper, worth_a_helper

PARALLEL_FROM = 1000
"""From this many pages on, a second process builds half of them (a site of 1,000 + 1,000 entries has 3,000). A
process costs about a second to start: below this, one builds faster."""


def shard_count(pages: int) -> int:
    """How many MkDocs processes build a site of this many pages."""
    return 2 if worth_a_helper(pages, PARALLEL_FROM) else 1


def shard_config(index: int) -> str:
    """The staged configuration file of one shard (`mkdocs.yml` when there is one)."""
    return "mkdocs.yml" if index == 0 else f"mkdocs-{index}.yml"


def shard_site(index: int) -> str:
    """The folder a shard builds into: `site` for the first, whose folder becomes the site."""
    return "site" if index == 0 else f"site-{index}"


def build_shards(staging: Path, count: int, language: str) -> list[Diagnostic]:
    """Build every shard of the staged project, then move the other shards' pages into the first one's site."""
    helpers = [Helper("generator.engine", run_mkdocs, (staging / shard_config(index), language))
               for index in range(1, count)]
    diagnostics = run_mkdocs(staging / shard_config(0), language)
    for index, helper in enumerate(helpers, start=1):
        diagnostics += [found for found in helper.result() if found not in diagnostics]
        _move_pages(staging / shard_site(index), staging / shard_site(0))
    return diagnostics


def _move_pages(shard: Path, site: Path) -> None:
    """The files a shard built that the site lacks: its own pages. The rest (the navigation's pages, the 404 page)
    the first shard built too."""
    if not shard.is_dir():  # the shard failed; its diagnostics say why
        return
    for folder, _, names in os.walk(shard):
        target = site / Path(folder).relative_to(shard)
        for name in names:
            if not (target / name).exists():
                target.mkdir(parents=True, exist_ok=True)
                os.replace(Path(folder) / name, target / name)


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
        for key in ("site_name", "site_description"):  # escaped by mkdocs_config: safe HTML from here on
            cfg[key] = Markup(cfg[key] or "")
        cfg.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build.build(cfg)
        finally:
            cfg.plugins.on_shutdown()
    except (MkDocsException, SystemExit, jinja2.TemplateError, OSError) as error:
        return [file_diagnostic("mkdocs.yml", "mkdocs-error", language, detail=error)] + _warnings(collector, language)
    except Exception as error:  # a theme or plugin bug: report it, never a traceback, keep the old site
        detail = f"{type(error).__name__}: {error}"
        return [file_diagnostic("mkdocs.yml", "mkdocs-error", language, detail=detail)] + _warnings(collector, language)
    finally:
        logger.setLevel(saved[0])
        logger.propagate = saved[1]
        logger.handlers = saved[2]
    return _warnings(collector, language)


def _warnings(collector: _WarningCollector, language: str) -> list[Diagnostic]:
    return [file_diagnostic("mkdocs.yml", "mkdocs-warning", language, "warning", detail=text)
            for text in collector.messages]


if __name__ == "__main__":
    # Run as `python -m generator.engine` (a shard's process); imported by name, so that its diagnostics unpickle
    # as generator.diagnostics' own class.
    from generator.engine import run_mkdocs
    from generator.helper import serve

    serve(run_mkdocs)
