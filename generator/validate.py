"""Stage 3 — validate: documents → typed content, plus every problem found across all files in one run.

Order of checks: the site configuration (without it nothing else can be judged), then each file on its own
(names, schema), then what needs several files (references, keys, process rules, images, addresses). Nothing is
written here.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from . import model as m
from . import rules, rules_content, rules_files
from .catalogue import DEFAULT_LANGUAGE, LANGUAGES
from .content import Content, Entry
from .diagnostics import Diagnostic, field_diagnostic, file_diagnostic
from .files import Inside, paused_garbage_collection
from .kinds import KINDS, ContentKind
from .load import Document, load_markdown_document, load_yaml_document, undecodable_name
from .schema_check import validate_schema
from .urls import UrlScheme


class ConfigError(Exception):
    """site_config.yml is missing or invalid: a usage problem (exit code 2), not a content problem."""

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__("invalid configuration")
        self.diagnostics = diagnostics


def validate_content(root: Path, config: m.SiteConfig, scheme: UrlScheme,
                     slug_file: rules.SlugFile) -> tuple[Content, list[Diagnostic]]:
    """Read and check all content of the project at `root`; the configuration is already valid."""
    content = Content(root=root, config=config)
    diagnostics: list[Diagnostic] = rules_files.validate_tree(root, config.site.language)
    with paused_garbage_collection():
        for kind in KINDS:
            diagnostics += load_kind(content, kind)
    reported = {(d.path, d.field) for d in diagnostics}
    # A field the schema check already explained (`Bildung` is no key) is not explained a second time.
    cross_file = rules.validate_cross_file(content, scheme, slug_file)
    diagnostics += [d for d in cross_file if (d.path, d.field) not in reported]
    diagnostics += rules_content.validate_placeholders(content)
    return content, diagnostics


# --- site_config.yml -------------------------------------------------------------------------------------------


def load_config(config_path: Path) -> m.SiteConfig:
    """The network's configuration; ConfigError (with every problem in it) when it is missing or invalid."""
    language = DEFAULT_LANGUAGE
    rel = config_path.name
    if not config_path.is_file():
        raise ConfigError([file_diagnostic(rel, "config-missing", language, path=str(config_path))])
    document, diagnostics = load_yaml_document(config_path, rel, language)
    config = None
    if document.data is not None:
        language = declared_language(document.data)
        config, schema_diagnostics = validate_schema(document, m.SiteConfig, language)
        diagnostics += schema_diagnostics
        if config is not None:
            diagnostics += _money_need_kinds(document, config)
    if config is None or any(d.severity == "error" for d in diagnostics):
        raise ConfigError(diagnostics)
    return config


def declared_language(data: dict[str, Any]) -> str:
    site = data.get("site")
    language = site.get("language") if isinstance(site, dict) else None
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def _money_need_kinds(document: Document, config: m.SiteConfig) -> list[Diagnostic]:
    """Money as a kind of help only where the network says it brokers money."""
    if config.network.monetary:
        return []
    return [
        field_diagnostic(document, ("need_kinds", key, "monetary"), "money-not-a-need", config.site.language,
                         value=key)
        for key in sorted(config.monetary_kinds)
    ]


# --- one kind of content ---------------------------------------------------------------------------------------


def valid_id(name: str) -> bool:
    """An id is a file name: a–z, 0–9 and single hyphens, at most 80 characters (which URLs are free is checked
    against the URL scheme)."""
    return len(name) <= m.MAX_ID_LENGTH and re.fullmatch(m.ID_PATTERN, name) is not None


def load_kind(content: Content, kind: ContentKind) -> list[Diagnostic]:
    """Read every file of one kind into `content`; report every problem of every file."""
    folder = content.root / kind.folder
    if not folder.is_dir() or folder.is_symlink():
        return []  # a symlinked folder is refused by rules_files.validate_tree
    diagnostics: list[Diagnostic] = []
    inside = Inside(content.root / "content")
    with os.scandir(folder) as scan:
        found = sorted(scan, key=lambda entry: entry.name)
    for item in found:
        if item.name.startswith(".") or item.name.lower().startswith("readme"):
            continue
        undecodable = undecodable_name(kind.folder, item.name, content.language)
        if undecodable is not None:
            diagnostics.append(undecodable)
            continue
        diagnostics += _load_file(content, kind, item, inside)
    return diagnostics


def _load_file(content: Content, kind: ContentKind, item: os.DirEntry, inside: Inside) -> list[Diagnostic]:
    file, language = Path(item.path), content.language
    rel = f"{kind.folder}/{item.name}"
    if item.is_symlink() or item.is_dir():
        return []  # refused, or its files reported, by rules_files.validate_tree
    if file.suffix != kind.suffix or not item.is_file():
        return [rules_files.misnamed_file(kind, rel, item.name, language)]
    if not inside(file, False):
        return [file_diagnostic(rel, "file-outside", language)]
    diagnostics = []
    if not valid_id(file.stem):
        diagnostics.append(file_diagnostic(rel, "invalid-id", language, name=file.name, suffix=kind.suffix))
    loader = load_markdown_document if kind.front_matter else load_yaml_document
    document, file_diagnostics = loader(file, rel, language)
    diagnostics += file_diagnostics
    if document.data is None:
        return diagnostics
    data, schema_diagnostics = validate_schema(document, kind.model, language)
    diagnostics += schema_diagnostics
    # An entry with errors still exists: references to it are not reported as missing, so one broken file
    # does not cascade into "unknown reference" errors elsewhere (the build stops on any error anyway).
    if data is not None:
        content.of_kind(kind)[file.stem] = entry_of(kind, file.stem, document, data)
    else:
        content.invalid.setdefault(kind.name, {})[file.stem] = document
    return diagnostics


def entry_of(kind: ContentKind, entry_id: str, document: Document, data: Any) -> Entry:
    return Entry(entry_id, kind, document.path, data, document.data or {}, document.body, document.body_line,
                 document)
