"""What each `showcase` command does, composed from the pipeline stages; the CLI only parses arguments."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from .diagnostics import FORMATS, Diagnostic, has_errors, sort_diagnostics, summary_line
from .validate import ConfigError, Content, load_and_validate

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def report(diagnostics: list[Diagnostic], root: Path, fmt: str, language: str, out: TextIO) -> None:
    diagnostics = sort_diagnostics(diagnostics)
    out.write(FORMATS[fmt](diagnostics, root))
    if fmt == "human" and diagnostics:
        out.write(summary_line(diagnostics, language) + "\n")


def validate_content(config_path: Path, fmt: str, strict: bool, out: TextIO | None = None
                     ) -> tuple[int, Content | None]:
    """Validate everything; report all problems; return the exit code and, when usable, the content."""
    out = out or sys.stdout
    try:
        content, diagnostics = load_and_validate(config_path)
    except ConfigError as error:
        report(error.diagnostics, config_path.parent, fmt, "de", out)
        return EXIT_USAGE, None
    report(diagnostics, content.root, fmt, content.language, out)
    if has_errors(diagnostics, strict):
        return EXIT_CONTENT, None
    return EXIT_OK, content
