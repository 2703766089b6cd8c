"""What each `showcase` command does: a few lines each on top of the pipeline; the CLI only parses arguments."""

from __future__ import annotations

import sys
from pathlib import Path

from . import pipeline
from .catalogue import catalogue
from .pipeline import ExitCode


def validate(config_path: Path, fmt: str, strict: bool) -> ExitCode:
    """Check everything and report all problems."""
    checked = pipeline.check(config_path, strict)
    pipeline.report(checked.diagnostics, checked.project.root, fmt, checked.language)
    return checked.exit_code


def build(config_path: Path, out_dir: Path | None, fmt: str, strict: bool, quiet: bool = False) -> ExitCode:
    """Check, then build the site into `out_dir` (default: site/ beside the configuration)."""
    checked = pipeline.check(config_path, strict)
    pipeline.report(checked.diagnostics, checked.project.root, fmt, checked.language)
    if not checked.ok:
        return checked.exit_code

    def progress(text: str) -> None:
        if not quiet:
            print(text, file=sys.stderr, flush=True)

    built = pipeline.build(checked, out_dir, progress)
    pipeline.report(built.diagnostics, checked.project.root, fmt, checked.language)
    if built.ok:
        texts = catalogue(checked.language)
        progress(texts.text("progress.done", pages=texts.number(built.pages), target=built.out_dir,
                            seconds=texts.number(round(built.seconds, 1))))
    return built.exit_code


def serve(config_path: Path, host: str, port: int) -> ExitCode:
    from .serve import serve as run_preview

    if not config_path.is_file():
        return validate(config_path, "human", False)
    return run_preview(config_path, host, port)
