"""Problems found in content, as data.

Every stage reports what it finds as `Diagnostic` values; it never prints and never raises for bad content.
Formatting is the reporters' job (human, GitHub Actions annotations, JSON), so the same list serves an
editor's terminal, a pull-request annotation and a test's exact expectation.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .catalogue import catalogue, message

if TYPE_CHECKING:
    from .content import FieldPath, Positions

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    """Path relative to the project root (the folder of site_config.yml), with forward slashes."""
    line: int
    """1-based; 1 when the problem concerns the whole file."""
    column: int
    field: str
    """Dotted field path such as `needs[0].kind`; empty when the problem concerns the whole file."""
    code: str
    severity: Severity
    message: str


def field_diagnostic(source: Positions, loc: FieldPath, code: str, language: str, severity: Severity = "error",
                     **ctx: Any) -> Diagnostic:
    """A diagnostic about one field of a file (`source` is an entry or a loaded document: it knows positions)."""
    from .content import field_name

    line, column = source.position(loc)
    name = field_name(loc)
    return Diagnostic(source.path, line, column, name, code, severity, message(code, language, field=name, **ctx))


def file_diagnostic(rel: str, code: str, language: str, severity: Severity = "error", **ctx: Any) -> Diagnostic:
    """A diagnostic about a whole file (`rel`: its path relative to the project)."""
    return Diagnostic(rel, 1, 1, "", code, severity, message(code, language, **ctx))


def shorten(value: Any, limit: int = 60) -> str:
    """A value quoted in a message: at most `limit` characters, cut with `…`."""
    shown = str(value)
    return shown if len(shown) <= limit else shown[: limit - 3] + "…"


def has_errors(diagnostics: list[Diagnostic], strict: bool = False) -> bool:
    return any(d.severity == "error" or strict for d in diagnostics)


def sort_diagnostics(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return sorted(set(diagnostics), key=lambda d: (d.path, d.line, d.column, d.code, d.field, d.message))


def display_path(root: Path, path: str) -> str:
    """Show paths as the person running the command would type them: relative to the working directory."""
    # abspath, not resolve: a symlinked file must be named by its own path, not by where it points.
    full = os.path.abspath(root / path)
    relative = os.path.relpath(full, Path.cwd())
    return Path(full).as_posix() if relative.startswith("..") else Path(relative).as_posix()


# Control characters (C0, DEL, C1), bidi controls, Unicode line breaks and lone surrogates from content must never
# reach a terminal or a CI log raw: an ESC sequence could rewrite the screen, a line break forge a diagnostic.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]")


def visible(text: str) -> str:
    """`text` with every control character shown as an escape (`\\x1b`, `\\u202e`)."""
    return _UNSAFE.sub(lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100 else f"\\u{ord(m[0]):04x}", text)


def format_human(diagnostics: list[Diagnostic], root: Path) -> str:
    return "".join(
        f"{visible(display_path(root, d.path))}:{d.line}:{d.column}: {d.severity}[{d.code}]: {visible(d.message)}\n"
        for d in diagnostics
    )


def _escape_annotation(text: str, is_property: bool = False) -> str:
    # GitHub's workflow-command escaping; properties also escape ':' and ','.
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if is_property:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def format_github(diagnostics: list[Diagnostic], root: Path) -> str:
    lines = []
    for d in diagnostics:
        props = ",".join(
            f"{key}={_escape_annotation(str(value), is_property=True)}"
            for key, value in (
                ("file", visible(display_path(root, d.path))),
                ("line", d.line),
                ("col", d.column),
                ("title", f"{d.code}" + (f" ({visible(d.field)})" if d.field else "")),
            )
        )
        lines.append(f"::{d.severity} {props}::{_escape_annotation(visible(d.message))}\n")
    return "".join(lines)


def format_json(diagnostics: list[Diagnostic], root: Path) -> str:
    return json.dumps(
        [asdict(d) | {"path": display_path(root, d.path)} for d in diagnostics], ensure_ascii=False, indent=2
    ) + "\n"


FORMATS = {"human": format_human, "github": format_github, "json": format_json}


def default_format() -> str:
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "human"


def summary_line(diagnostics: list[Diagnostic], language: str) -> str:
    errors = sum(d.severity == "error" for d in diagnostics)
    texts = catalogue(language)
    return f"{texts.plural('cli.errors', errors)}, {texts.plural('cli.warnings', len(diagnostics) - errors)}"
