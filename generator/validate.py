"""Stage 3 — validate: documents → typed content, plus every problem found across all files in one run.

Order of checks: the site configuration (without it nothing else can be judged), then each file on its own
(names, schema), then what needs several files (references, keys, process rules, images). Nothing is written here.
"""

from __future__ import annotations

import difflib
import gc
import os
import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar, get_args

from pydantic import BaseModel, ValidationError

from . import model as m
from .diagnostics import Diagnostic
from .load import Document, Path_, field_name, load_markdown_document, load_yaml_document
from .messages import message, noun

M = TypeVar("M", bound=BaseModel)

# Python-Markdown's link and inline-HTML parsing is quadratic in these characters.
BODY_CHARACTER_LIMITS = {"[": 2000, "<": 1000}
LARGE_IMAGE_KB = 800
# Kinds of "need" that are money in disguise: the network's rule is that money is never a need.
MONEY_WORDS = ("geld", "money", "cash", "zuschuss", "sponsoring", "barspende", "finanzierung", "funding")
MONEY_KINDS = {"spende", "spenden", "donation", "euro", "euros"}
# German field names editors are likely to type, mapped to the real ones.
GERMAN_FIELD_NAMES = {
    "titel": "title", "organisation": "organization", "zusammenfassung": "summary", "kurzfassung": "summary",
    "beschreibung": "description", "stadtteil": "district", "themen": "themes", "thema": "themes",
    "bedarf": "needs", "bedarfe": "needs", "bild": "image", "bilder": "images", "kontakt": "contact",
    "stunden": "hours", "wert": "value_eur", "zitat": "quote", "eingereicht": "submitted", "art": "kind",
    "beitrag": "contribution", "beginn": "started", "abschluss": "completed", "webseite": "website",
}


@dataclass(frozen=True)
class Entry(Generic[M]):
    """One validated file: its id (the file name), where it came from, and its typed data."""

    id: str
    path: str
    document: Document
    data: M


@dataclass
class Content:
    """Everything the site is built from, validated."""

    root: Path
    config: m.SiteConfig
    organizations: dict[str, Entry[m.Organization]] = field(default_factory=dict)
    proposals: dict[str, Entry[m.Proposal]] = field(default_factory=dict)
    cooperations: dict[str, Entry[m.Cooperation]] = field(default_factory=dict)
    pages: dict[str, Entry[m.Page]] = field(default_factory=dict)

    @property
    def language(self) -> str:
        return self.config.site.language


@dataclass(frozen=True)
class Kind:
    """A content folder: what it holds and how its files are read."""

    folder: str
    suffix: str
    model: type[BaseModel]
    attribute: str


KINDS = (
    Kind("content/organizations", ".yml", m.Organization, "organizations"),
    Kind("content/proposals", ".md", m.Proposal, "proposals"),
    Kind("content/cooperations", ".md", m.Cooperation, "cooperations"),
    Kind("content/pages", ".md", m.Page, "pages"),
)


class ConfigError(Exception):
    """site_config.yml is missing or invalid: a usage problem (exit code 2), not a content problem."""

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__("invalid configuration")
        self.diagnostics = diagnostics


# --- entry point -----------------------------------------------------------------------------------------------


def load_and_validate(config_path: Path) -> tuple[Content, list[Diagnostic]]:
    """Read the configuration and all content; raise ConfigError when the configuration itself is unusable."""
    root = config_path.absolute().parent
    config = load_config(config_path)
    content = Content(root=root, config=config)
    diagnostics: list[Diagnostic] = []
    with paused_garbage_collection():
        for kind in KINDS:
            diagnostics += load_kind(content, kind)
    diagnostics += validate_references(content)
    diagnostics += validate_process_rules(content)
    diagnostics += validate_files(content)
    diagnostics += validate_bodies(content)
    return content, diagnostics


@contextmanager
def paused_garbage_collection() -> Iterator[None]:
    """Loading thousands of files creates millions of long-lived objects, and the cyclic garbage collector would
    rescan them again and again (5 of 13 s for 10,000 proposals). Reference counting still frees everything
    that is dropped; the collector resumes afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_config(config_path: Path) -> m.SiteConfig:
    language = "de"
    rel = config_path.name
    if not config_path.is_file():
        text = message("config-missing", language, path=str(config_path))
        raise ConfigError([Diagnostic(rel, 1, 1, "", "config-missing", "error", text)])
    document, diagnostics = load_yaml_document(config_path, rel, language)
    if document.data is not None:
        language = _declared_language(document.data)
        config, schema_diagnostics = validate_schema(document, m.SiteConfig, language)
        diagnostics += schema_diagnostics
        if config is not None:
            diagnostics += validate_config_keys(document, config)
    if any(d.severity == "error" for d in diagnostics):
        raise ConfigError(diagnostics)
    return config


def _declared_language(data: dict[str, Any]) -> str:
    site = data.get("site")
    language = site.get("language") if isinstance(site, dict) else None
    return language if language in ("de", "en") else "de"


def validate_config_keys(document: Document, config: m.SiteConfig) -> list[Diagnostic]:
    return [
        _diagnostic(document, ("need_kinds", key), "money-not-a-need", config.site.language, value=key)
        for key in config.need_kinds
        if is_money(key)
    ]


# --- one kind of content ---------------------------------------------------------------------------------------


def load_kind(content: Content, kind: Kind) -> list[Diagnostic]:
    folder = content.root / kind.folder
    if not folder.is_dir():
        return []
    diagnostics: list[Diagnostic] = []
    entries = getattr(content, kind.attribute)
    inside = _Inside(content.root / "content")
    with os.scandir(folder) as scan:
        found = sorted(scan, key=lambda entry: entry.name)
    for entry in found:
        file = Path(entry.path)
        rel = f"{kind.folder}/{entry.name}"
        if entry.name.startswith(".") or entry.name.lower().startswith("readme"):
            continue
        if file.suffix != kind.suffix or not entry.is_file():
            diagnostics.append(_file_problem(rel, "unexpected-file", content.language, "warning",
                                             folder=kind.folder, suffix=kind.suffix))
            continue
        if not inside(file, entry.is_symlink()):
            diagnostics.append(_file_problem(rel, "file-outside", content.language))
            continue
        if not valid_id(file.stem, kind.attribute):
            diagnostics.append(_file_problem(rel, "invalid-id", content.language, name=file.name,
                                             suffix=kind.suffix))
        loader = load_markdown_document if kind.suffix == ".md" else load_yaml_document
        document, file_diagnostics = loader(file, rel, content.language)
        diagnostics += file_diagnostics
        if document.data is None:
            continue
        data, schema_diagnostics = validate_schema(document, kind.model, content.language)
        diagnostics += schema_diagnostics
        # Entries with other errors still count as existing, so one broken file does not cascade into
        # "unknown reference" errors everywhere; the build stops on any error anyway.
        if data is not None:
            entries[file.stem] = Entry(file.stem, rel, document, data)
    return diagnostics


# Ids that would collide with a generated page: a section's own listing, or the site's folders.
RESERVED_IDS = {"index"}
RESERVED_PAGE_IDS = RESERVED_IDS | {
    "herausforderungen", "erfolgsgeschichten", "organisationen", "wirkung", "bilder", "challenges",
    "success-stories", "organisations", "impact", "images", "assets", "search", "404", "sitemap",
}


def valid_id(name: str, kind: str = "") -> bool:
    reserved = RESERVED_PAGE_IDS if kind == "pages" else RESERVED_IDS
    return len(name) <= m.MAX_ID_LENGTH and re.fullmatch(m.ID_PATTERN, name) is not None and name not in reserved


def _inside(path: Path, folder: Path) -> bool:
    """True when `path`, with every symlink followed, stays inside `folder`."""
    try:
        path.resolve(strict=True).relative_to(folder.resolve())
    except (OSError, ValueError):
        return False
    return True


class _Inside:
    """`_inside` for many files: each directory is resolved once, a file only when it is a symlink itself."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.directories: dict[Path, bool] = {}

    def __call__(self, path: Path, is_symlink: bool | None = None) -> bool:
        directory = path.parent
        if directory not in self.directories:
            self.directories[directory] = _inside(directory, self.folder)
        if not self.directories[directory]:
            return False
        if is_symlink is None:
            is_symlink = path.is_symlink()
        return not is_symlink or _inside(path, self.folder)


def _file_problem(rel: str, code: str, language: str, severity: str = "error", **ctx: Any) -> Diagnostic:
    return Diagnostic(rel, 1, 1, "", code, severity, message(code, language, **ctx))


def _diagnostic(document: Document, loc: Path_, code: str, language: str, severity: str = "error",
                **ctx: Any) -> Diagnostic:
    line, column = document.position(loc)
    name = field_name(loc)
    return Diagnostic(document.path, line, column, name, code, severity, message(code, language, field=name, **ctx))


# --- schema: pydantic errors become diagnostics ----------------------------------------------------------------

_EXPECTED = {
    "string": "text", "int": "whole number", "float": "number", "bool": "true/false", "date": "date",
    "list": "list", "dict": "mapping", "model": "mapping", "model_attributes": "mapping",
}
_PATTERN_CODES = {
    m.EMAIL_PATTERN: "invalid-email", m.URL_PATTERN: "invalid-url", m.KEY_PATTERN: "invalid-key",
    m.PHONE_PATTERN: "invalid-phone",
}
_UNION_TAGS = {"path", "object"}


def validate_schema(document: Document, model: type[M], language: str) -> tuple[M | None, list[Diagnostic]]:
    try:
        return model.model_validate(document.data), []
    except ValidationError as error:
        return None, [
            _schema_diagnostic(document, model, item, language)
            for item in error.errors()
            if _location(item) not in document.flagged
        ]


def _location(error: dict) -> Path_:
    return tuple(part for part in error["loc"] if part not in _UNION_TAGS)


def _schema_diagnostic(document: Document, model: type[BaseModel], error: dict, language: str) -> Diagnostic:
    loc = _location(error)
    kind, ctx, value = error["type"], error.get("ctx", {}), error.get("input")
    if kind == "missing":
        line, column = document.position(loc[:-1])
        name = field_name(loc)
        return Diagnostic(document.path, line, column, name, "missing-field", "error",
                          message("missing-field", language, field=name))
    if kind == "extra_forbidden":
        return _diagnostic(document, loc, "unknown-field", language,
                           suggestion=_suggest_field(model, loc, language))
    if kind == "literal_error":
        return _diagnostic(document, loc, "invalid-value", language, value=_show(value),
                           allowed=", ".join(f"`{v}`" for v in re.findall(r"'([^']*)'", ctx.get("expected", ""))))
    if kind == "string_too_long":
        return _diagnostic(document, loc, "too-long", language, length=len(value), limit=ctx["max_length"])
    if kind in ("string_too_short", "too_short"):
        return _diagnostic(document, loc, "empty", language)
    if kind in ("greater_than_equal", "greater_than"):
        return _diagnostic(document, loc, "out-of-range", language, limit=_number(ctx.get("ge", ctx.get("gt"))))
    if kind == "less_than_equal":
        return _diagnostic(document, loc, "too-large", language, limit=_number(ctx.get("le")))
    if kind == "string_pattern_mismatch":
        code = _PATTERN_CODES.get(ctx.get("pattern"), "invalid-format")
        return _diagnostic(document, loc, code, language, value=_show(value))
    expected = next((name for prefix, name in _EXPECTED.items() if kind.startswith(prefix + "_")), None)
    if expected is None:
        return _diagnostic(document, loc, "invalid", language, detail=error["msg"])
    hint = ""
    guessed = document.guessed_text(loc) if expected == "text" else None
    if guessed is not None:
        hint = message("quote-hint", language, value=guessed)
    return _diagnostic(document, loc, "wrong-type", language, expected=noun(expected, language), hint=hint)


def _number(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _show(value: Any) -> str:
    shown = str(value)
    return shown if len(shown) <= 60 else shown[:57] + "…"


def _suggest_field(model: type[BaseModel], loc: Path_, language: str) -> str:
    parent = _model_at(model, loc[:-1])
    if parent is None or not isinstance(loc[-1], str):
        return ""
    names = list(parent.model_fields)
    typed = loc[-1]
    guess = GERMAN_FIELD_NAMES.get(typed.lower())
    if guess not in names:
        close = difflib.get_close_matches(typed.lower(), names, n=1, cutoff=0.6)
        guess = close[0] if close else None
    return message("suggestion", language, name=guess) if guess else ""


def _model_at(model: type[BaseModel], loc: Path_) -> type[BaseModel] | None:
    """The model class that describes the mapping at `loc` (following lists and optionals)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)) or part not in current.model_fields:
            return None
        current = _inner_model(current.model_fields[part].annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


# --- references and keys ---------------------------------------------------------------------------------------


def is_money(kind: str) -> bool:
    lowered = kind.lower()
    return lowered in MONEY_KINDS or any(word in lowered for word in MONEY_WORDS)


def validate_references(content: Content) -> list[Diagnostic]:
    diagnostics: list[Diagnostic] = []
    for entry in content.organizations.values():
        diagnostics += _check_key(content, entry.document, ("district",), entry.data.district, "districts")
    for entry in content.proposals.values():
        diagnostics += _check_organization(content, entry, ("organization",), ("nonprofit",))
        diagnostics += _check_common_keys(content, entry)
        for index, need in enumerate(entry.data.needs):
            diagnostics += _check_need_kind(content, entry.document, ("needs", index, "kind"), need.kind)
    for entry in content.cooperations.values():
        diagnostics += _check_organization(content, entry, ("organization",), ("nonprofit",))
        diagnostics += _check_common_keys(content, entry)
        for index, partner in enumerate(entry.data.partners):
            diagnostics += _check_organization(content, entry, ("partners", index, "organization"),
                                               ("company", "public"), partner.organization)
            diagnostics += _check_need_kind(content, entry.document, ("partners", index, "kind"), partner.kind)
        diagnostics += _check_linked_proposal(content, entry)
    return diagnostics


def _check_common_keys(content: Content, entry: Entry) -> list[Diagnostic]:
    diagnostics = _check_key(content, entry.document, ("district",), entry.data.district, "districts")
    for index, theme in enumerate(entry.data.themes):
        diagnostics += _check_key(content, entry.document, ("themes", index), theme, "themes")
    return diagnostics


def _check_key(content: Content, document: Document, loc: Path_, value: str | None,
               section: str) -> list[Diagnostic]:
    defined: dict[str, str] = getattr(content.config, section)
    if value is None or value in defined:
        return []
    allowed = ", ".join(f"`{key}`" for key in defined) or "—"
    return [_diagnostic(document, loc, "unknown-key", content.language, value=value, section=section,
                        allowed=allowed)]


def _check_need_kind(content: Content, document: Document, loc: Path_, kind: str) -> list[Diagnostic]:
    if is_money(kind):
        return [_diagnostic(document, loc, "money-not-a-need", content.language, value=kind)]
    return _check_key(content, document, loc, kind, "need_kinds")


def _check_organization(content: Content, entry: Entry, loc: Path_, kinds: tuple[str, ...],
                        value: str | None = None) -> list[Diagnostic]:
    org_id = value if value is not None else entry.data.organization
    organization = content.organizations.get(org_id)
    language = content.language
    if organization is None:
        return [_unknown_reference(entry.document, loc, org_id, content.organizations, "organization",
                                   "content/organizations", ".yml", language)]
    if organization.data.kind not in kinds:
        expected = noun("nonprofit" if kinds == ("nonprofit",) else "company or public", language)
        return [_diagnostic(entry.document, loc, "wrong-organization-kind", language, value=org_id,
                            actual=organization.data.kind, expected=expected)]
    return []


def _unknown_reference(document: Document, loc: Path_, value: str, known: dict, target: str, folder: str,
                       suffix: str, language: str) -> Diagnostic:
    close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.6)
    suggestion = message("suggestion", language, name=close[0]) if close else ""
    return _diagnostic(document, loc, "unknown-reference", language, value=value, target=noun(target, language),
                       folder=folder, suffix=suffix, suggestion=suggestion)


def _check_linked_proposal(content: Content, entry: Entry[m.Cooperation]) -> list[Diagnostic]:
    proposal_id = entry.data.proposal
    if proposal_id is None:
        return []
    proposal = content.proposals.get(proposal_id)
    if proposal is None:
        return [_unknown_reference(entry.document, ("proposal",), proposal_id, content.proposals, "proposal",
                                   "content/proposals", ".md", content.language)]
    status = proposal.data.status
    if status == "completed":
        return []
    code = "proposal-not-completed" if status in m.PUBLIC_STATUSES else "proposal-not-public"
    return [_diagnostic(entry.document, ("proposal",), code, content.language, "warning", value=proposal_id,
                        status=status)]


# --- process rules ---------------------------------------------------------------------------------------------


def validate_process_rules(content: Content) -> list[Diagnostic]:
    diagnostics: list[Diagnostic] = []
    language = content.language
    for entry in content.proposals.values():
        proposal = entry.data
        if proposal.status in m.PUBLIC_STATUSES and proposal.reviewed is None:
            diagnostics.append(_diagnostic(entry.document, ("reviewed",), "date-required", language,
                                           status=proposal.status))
        if proposal.status in ("matched", "completed") and proposal.matched is None:
            diagnostics.append(_diagnostic(entry.document, ("matched",), "date-required", language,
                                           status=proposal.status))
        diagnostics += _check_order(entry, language, ("submitted", "reviewed"), ("reviewed", "matched"))
    for entry in content.cooperations.values():
        diagnostics += _check_order(entry, language, ("started", "completed"))
    return diagnostics


def _check_order(entry: Entry, language: str, *pairs: tuple[str, str]) -> list[Diagnostic]:
    diagnostics = []
    for earlier, later in pairs:
        first, second = getattr(entry.data, earlier), getattr(entry.data, later)
        if first is not None and second is not None and second < first:
            diagnostics.append(_diagnostic(entry.document, (later,), "date-order", language,
                                           value=second.isoformat(), other=earlier,
                                           other_value=first.isoformat()))
    return diagnostics


# --- files referenced from content -----------------------------------------------------------------------------


def validate_files(content: Content) -> list[Diagnostic]:
    diagnostics: list[Diagnostic] = []
    inside = _Inside(content.root / "content")
    for loc, value, document in _image_references(content):
        diagnostics += _check_image(content, document, loc, value, inside)
    return diagnostics


def _image_references(content: Content):
    for entry in content.organizations.values():
        if entry.data.logo:
            yield ("logo",), entry.data.logo, entry.document
    for entry in content.proposals.values():
        if entry.data.image:
            yield ("image",), entry.data.image, entry.document
    for entry in content.cooperations.values():
        for index, image in enumerate(entry.data.images):
            if isinstance(image, m.ImageRef):
                yield ("images", index, "src"), image.src, entry.document
            else:
                yield ("images", index), image, entry.document


def image_file(root: Path, value: str) -> Path:
    return root / "content" / "images" / value


def _check_image(content: Content, document: Document, loc: Path_, value: str,
                 inside: _Inside) -> list[Diagnostic]:
    language = content.language
    parts = value.split("/")
    if value.startswith("/") or "\\" in value or ":" in value or any(p in ("", ".", "..") for p in parts):
        return [_diagnostic(document, loc, "image-path", language, value=value)]
    if not value.lower().endswith(m.IMAGE_SUFFIXES):
        return [_diagnostic(document, loc, "image-type", language, value=value,
                            allowed=", ".join(m.IMAGE_SUFFIXES))]
    path = image_file(content.root, value)
    try:
        status = path.stat()
    except OSError:
        status = None
    if status is None or not stat.S_ISREG(status.st_mode):
        return [_diagnostic(document, loc, "image-not-found", language, value=value)]
    if not inside(path):
        return [_diagnostic(document, loc, "image-outside", language, value=value)]
    size_kb = status.st_size // 1024
    if size_kb > LARGE_IMAGE_KB:
        return [_diagnostic(document, loc, "image-too-large", language, "warning", size=size_kb,
                            limit=LARGE_IMAGE_KB)]
    return []


# --- Markdown bodies -------------------------------------------------------------------------------------------


def validate_bodies(content: Content) -> list[Diagnostic]:
    """Refuse bodies that would make Python-Markdown's quadratic parsing hang the build."""
    diagnostics = []
    for entries in (content.proposals, content.cooperations, content.pages):
        for entry in entries.values():
            for char, limit in BODY_CHARACTER_LIMITS.items():
                count = entry.document.body.count(char)
                if count > limit:
                    text = message("body-too-complex", content.language, count=count, char=char, limit=limit)
                    diagnostics.append(Diagnostic(entry.path, entry.document.body_line, 1, "",
                                                  "body-too-complex", "error", text))
    return diagnostics
