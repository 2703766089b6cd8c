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


def build(config_path: Path, out_dir: Path | None, fmt: str, strict: bool, quiet: bool = False) -> int:
    """Validate, then build the site into `out_dir` (default: site/ beside the configuration)."""
    from .build import build_site  # MkDocs, Jinja and nh3 are not needed by `validate`; keep its start-up short
    code, content = validate_content(config_path, fmt, strict)
    if content is None:
        return code
    target = out_dir if out_dir is not None else content.root / "site"
    if not _safe_output(target, content.root):
        print(f"--out {target}: darf weder das Projekt noch content/ oder templates/ sein oder enthalten.",
              file=sys.stderr)
        return EXIT_USAGE

    def progress(text: str) -> None:
        if not quiet:
            print(text, file=sys.stderr, flush=True)

    result = build_site(content, target, strict=strict, progress=progress)
    report(result.diagnostics, content.root, fmt, content.language, sys.stdout)
    if not result.ok:
        return EXIT_CONTENT
    progress(_done(content.language, target, result.pages, result.seconds))
    return EXIT_OK


def _safe_output(target: Path, root: Path) -> bool:
    """The output folder is replaced wholesale: it must not be (or contain, or lie in) the project's sources."""
    target, root = target.resolve(), root.resolve()
    protected = [root / "content", root / "templates", root / "generator"]
    if target == root or root.is_relative_to(target):
        return False
    return not any(target == folder or target.is_relative_to(folder) for folder in protected)


def _done(language: str, target: Path, pages: int, seconds: float) -> str:
    if language == "de":
        return f"Fertig: {pages} Seiten in {target} ({seconds:.1f} s).".replace(".", ",", 1)
    return f"Done: {pages} pages in {target} ({seconds:.1f} s)."


def serve(config_path: Path, host: str, port: int) -> int:
    from .serve import serve as run_preview

    if not config_path.is_file():
        return validate_content(config_path, "human", False)[0]
    print(f"Vorschau: http://{host}:{port}/  (Strg+C beendet)", file=sys.stderr, flush=True)
    return run_preview(config_path, host, port)
