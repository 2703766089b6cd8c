"""A network's project folder: site_config.yml, content/, and optional theme overrides in templates/.

The default theme ships inside this package (`generator/theme/`). A project's own `templates/` overrides it file
by file (`pages/`, `overrides/`, `assets/`), except the catalogue files in `templates/i18n/`, which are merged key
by key. A project with only `content/` and `site_config.yml` builds with the installed package alone.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from .catalogue import THEME, Catalogue, merge, package_strings
from .diagnostics import Diagnostic, field_diagnostic
from .load import load_yaml_document
from .urls import UrlScheme, slug_problems

OVERRIDES = "templates"


@dataclass(frozen=True)
class Project:
    config_path: Path

    @property
    def root(self) -> Path:
        return self.config_path.absolute().parent

    @property
    def templates(self) -> Path:
        return self.root / OVERRIDES

    def theme_dirs(self, part: str) -> list[Path]:
        """Where to look for a theme file, the project's override first."""
        own = self.templates / part
        return [own, THEME / part] if own.is_dir() else [THEME / part]

    def copy_theme(self, part: str, target: Path) -> None:
        """The package's files of `part`, then the project's own on top (file by file)."""
        for source in reversed(self.theme_dirs(part)):
            shutil.copytree(source, target, dirs_exist_ok=True)

    def i18n_override(self, language: str) -> Path:
        return self.templates / "i18n" / f"{language}.yml"

    def load_theme(self, language: str) -> tuple[SiteTheme, list[Diagnostic]]:
        """The site's texts (package catalogue + the project's override) and its URL scheme, checked."""
        strings = package_strings(language)
        rel = f"{OVERRIDES}/i18n/{language}.yml"
        document, diagnostics = None, []
        if self.i18n_override(language).is_file():
            document, diagnostics = load_yaml_document(self.i18n_override(language), rel, language)
            if document.data is not None:
                strings = merge(strings, document.data)
        own = (document.data or {}).get("sections") if document is not None else None
        own_slugs = frozenset(own) if isinstance(own, dict) else frozenset()
        theme = SiteTheme(Catalogue(language, strings), UrlScheme(strings["sections"]), own_slugs, language)
        for key, code in slug_problems(strings["sections"]):
            ctx = {"key": key, "value": strings["sections"].get(key)}
            if key in own_slugs:
                diagnostics.append(field_diagnostic(document, ("sections", key), code, language, **ctx))
            else:
                diagnostics.append(Diagnostic(theme.slug_file(key), 1, 1, f"sections.{key}", code, "error",
                                              theme.catalogue.message(code, **ctx)))
        return theme, diagnostics


@dataclass(frozen=True)
class SiteTheme:
    """What the site says and where its pages go: the merged catalogue and the URL scheme from its slugs."""

    catalogue: Catalogue
    urls: UrlScheme
    own_slugs: frozenset[str]
    """Slugs the project's override sets."""
    language: str

    def slug_file(self, key: str) -> str:
        """The file that defines a slug, named in collision messages."""
        if key in self.own_slugs:
            return f"{OVERRIDES}/i18n/{self.language}.yml"
        return f"generator/theme/i18n/{self.language}.yml"
