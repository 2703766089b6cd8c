"""The one place where the stages are chained: `check` (load → model → validate) and `build` (publish → render →
MkDocs → privacy gate → swap). The commands `validate`, `build`, `serve` and `new` all go through here.

Results are values whose success is computed from what they hold, never set by hand.
"""

from __future__ import annotations

import enum
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from .content import Content
from .diagnostics import FORMATS, Diagnostic, file_diagnostic, has_errors, sort_diagnostics, summary_line
from .project import Project, SiteTheme
from .validate import ConfigError, load_config, validate_content

Progress = Callable[[str], None]


class ExitCode(enum.IntEnum):
    OK = 0
    CONTENT = 1
    """The content (or the built site) has errors."""
    USAGE = 2
    """Wrong options, or a configuration that cannot be used."""


@dataclass
class Checked:
    """The outcome of reading and validating a project."""

    project: Project
    diagnostics: list[Diagnostic]
    content: Content | None = None
    """None when the configuration (site_config.yml or the catalogue override) is unusable."""
    theme: SiteTheme | None = None
    strict: bool = False

    @property
    def language(self) -> str:
        return self.content.language if self.content is not None else "de"

    @property
    def ok(self) -> bool:
        return self.content is not None and not has_errors(self.diagnostics, self.strict)

    @property
    def exit_code(self) -> ExitCode:
        if self.content is None:
            return ExitCode.USAGE
        return ExitCode.OK if self.ok else ExitCode.CONTENT


def check(config_path: Path, strict: bool = False) -> Checked:
    """Read the configuration, the theme's texts and all content; every problem in one list."""
    project = Project(config_path)
    try:
        config = load_config(config_path)
    except ConfigError as error:
        return Checked(project, error.diagnostics, strict=strict)
    theme, diagnostics = project.load_theme(config.site.language)
    if has_errors(diagnostics):
        return Checked(project, diagnostics, strict=strict)
    content, found = validate_content(project.root, config, theme.urls, theme.slug_file)
    return Checked(project, diagnostics + found, content, theme, strict)


@dataclass
class Built:
    """The outcome of a build: the site is in place only when `written`."""

    checked: Checked
    out_dir: Path | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    pages: int = 0
    seconds: float = 0.0
    written: bool = False
    usage_error: bool = False

    @property
    def ok(self) -> bool:
        return self.checked.ok and self.written and not has_errors(self.diagnostics, self.checked.strict)

    @property
    def exit_code(self) -> ExitCode:
        if not self.checked.ok:
            return self.checked.exit_code
        if self.usage_error:
            return ExitCode.USAGE
        return ExitCode.OK if self.ok else ExitCode.CONTENT


def default_site(root: Path) -> Path:
    """Where `showcase build` writes the site unless told otherwise."""
    return root / "site"


def build(checked: Checked, out_dir: Path | None = None, progress: Progress = lambda _: None) -> Built:
    """Build the checked project's site into `out_dir` (default: site/ beside the configuration)."""
    if not checked.ok:
        return Built(checked)
    root = checked.project.root
    target = (out_dir if out_dir is not None else default_site(root)).absolute()
    if not safe_output(target, root):
        problem = file_diagnostic(str(target), "unsafe-output", checked.language, path=str(target))
        return Built(checked, target, [problem], usage_error=True)
    from .build import build_site  # MkDocs, Jinja and nh3 are not needed by `validate`; keep its start-up short

    return build_site(checked, target, progress)


def safe_output(target: Path, root: Path) -> bool:
    """The output folder is replaced wholesale: it must not be (or contain, or lie in) the project's sources."""
    target, root = target.resolve(), root.resolve()
    protected = [root / "content", root / "templates", root / "generator"]
    if target == root or root.is_relative_to(target):
        return False
    return not any(target == folder or target.is_relative_to(folder) for folder in protected)


def report(diagnostics: list[Diagnostic], root: Path, fmt: str, language: str, out: TextIO | None = None) -> None:
    """Write diagnostics in the chosen format; the human format ends with a count."""
    out = out or sys.stdout
    diagnostics = sort_diagnostics(diagnostics)
    out.write(FORMATS[fmt](diagnostics, root))
    if fmt == "human" and diagnostics:
        out.write(summary_line(diagnostics, language) + "\n")
