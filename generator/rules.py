"""Rules that need more than one file: references, keys from site_config.yml, process dates, images, bodies.

Each rule takes validated content and returns diagnostics; the small `*_problem` functions are the same rules
for one value, so `showcase new` checks an answer exactly the way the validator checks a file.
"""

from __future__ import annotations

import datetime as dt
import difflib
import stat
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from . import model as m
from .bodies import MAX_LIST_DEPTH, body_problems
from .catalogue import catalogue, message, noun
from .content import Content, Entry, FieldPath, Positions, field_name
from .diagnostics import Diagnostic, Severity, field_diagnostic, file_diagnostic
from .files import Inside, image_file
from .kinds import ORGANIZATION, PROPOSAL, ContentKind
from .rules_content import validate_entries
from .rules_files import FolderNames, is_heic
from .urls import UrlScheme

LARGE_IMAGE_KB = 800
# Kinds of "need" that are money in disguise: the network's rule is that money is never a need.
MONEY_WORDS = ("geld", "money", "cash", "zuschuss", "sponsoring", "barspende", "finanzierung", "funding")
MONEY_KINDS = {"spende", "spenden", "donation", "euro", "euros"}

# --- one value -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """A rule broken by one value, before it is placed in a file: a diagnostic's code, context and severity."""

    code: str
    ctx: Mapping[str, Any] = field(default_factory=dict)
    severity: Severity = "error"

    def at(self, source: Positions, loc: FieldPath, language: str) -> Diagnostic:
        """The diagnostic for the field `loc` of a file."""
        return field_diagnostic(source, loc, self.code, language, self.severity, **self.ctx)

    def text(self, loc: FieldPath, language: str) -> str:
        """The diagnostic's message, as the validator words it for the field `loc`."""
        return message(self.code, language, field=field_name(loc), **self.ctx)


def _placed(problem: Problem | None, source: Positions, loc: FieldPath, language: str) -> list[Diagnostic]:
    return [] if problem is None else [problem.at(source, loc, language)]


# --- references and keys ---------------------------------------------------------------------------------------


def is_money(kind: str) -> bool:
    lowered = kind.lower()
    return lowered in MONEY_KINDS or any(word in lowered for word in MONEY_WORDS)


def key_problem(content: Content, value: str | None, section: str) -> Problem | None:
    """`value` must be a key of `section` (`themes`, `districts`, `need_kinds`) in site_config.yml."""
    defined: dict[str, str] = getattr(content.config, section)
    if value is None or value in defined:
        return None
    allowed = ", ".join(f"`{key}`" for key in defined) or "—"
    return Problem("unknown-key", {"value": value, "section": section, "allowed": allowed})


def need_kind_problem(content: Content, kind: str) -> Problem | None:
    """A kind of need or contribution: never money, and defined under `need_kinds`."""
    if is_money(kind):
        return Problem("money-not-a-need", {"value": kind})
    return key_problem(content, kind, "need_kinds")


def organization_problem(content: Content, org_id: str, kinds: tuple[str, ...]) -> Problem | None:
    """`org_id` must name an organisation of one of `kinds`."""
    organization = content.organizations.get(org_id)
    language = content.language
    if organization is None:
        return reference_problem(org_id, content.organizations, ORGANIZATION, language)
    if organization.data.kind not in kinds:
        expected = noun("nonprofit" if kinds == ("nonprofit",) else "company or public", language)
        return Problem("wrong-organization-kind", {"value": org_id, "actual": organization.data.kind,
                                                   "expected": expected})
    return None


def reference_problem(value: str, known: Mapping[str, Any], kind: ContentKind, language: str) -> Problem:
    """A reference to an entry of `kind` that does not exist, with the closest id as a suggestion."""
    close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.6)
    suggestion = message("suggestion", language, name=close[0]) if close else ""
    return Problem("unknown-reference", {"value": value, "target": noun(kind.name, language),
                                         "folder": kind.folder, "suffix": kind.suffix, "suggestion": suggestion})


def linked_proposal_problem(content: Content, proposal_id: str | None) -> Problem | None:
    """A cooperation's proposal must exist; a warning unless it is completed."""
    if proposal_id is None:
        return None
    proposal = content.proposals.get(proposal_id)
    if proposal is None:
        return reference_problem(proposal_id, content.proposals, PROPOSAL, content.language)
    status = proposal.data.status
    if status == "completed":
        return None
    code = "proposal-not-completed" if status in m.PUBLIC_STATUSES else "proposal-not-public"
    return Problem(code, {"value": proposal_id, "status": status}, "warning")


def order_problem(earlier: str, first: dt.date | None, second: dt.date | None) -> Problem | None:
    """The later date (`second`) must not be before the date of the field `earlier` (`first`)."""
    if first is None or second is None or second >= first:
        return None
    return Problem("date-order", {"value": second.isoformat(), "other": earlier, "other_value": first.isoformat()})


def validate_references(content: Content) -> list[Diagnostic]:
    diagnostics: list[Diagnostic] = []
    for entry in content.organizations.values():
        diagnostics += _check_key(content, entry, ("district",), entry.data.district, "districts")
    for entry in content.proposals.values():
        diagnostics += _check_organization(content, entry, ("organization",), ("nonprofit",))
        diagnostics += _check_common_keys(content, entry)
        for index, need in enumerate(entry.data.needs):
            diagnostics += _check_need_kind(content, entry, ("needs", index, "kind"), need.kind)
    for entry in content.cooperations.values():
        diagnostics += _check_organization(content, entry, ("organization",), ("nonprofit",))
        diagnostics += _check_common_keys(content, entry)
        for index, partner in enumerate(entry.data.partners):
            diagnostics += _check_organization(content, entry, ("partners", index, "organization"),
                                               ("company", "public"), partner.organization)
            diagnostics += _check_need_kind(content, entry, ("partners", index, "kind"), partner.kind)
        diagnostics += _placed(linked_proposal_problem(content, entry.data.proposal), entry, ("proposal",),
                               content.language)
    return diagnostics


def _check_common_keys(content: Content, entry: Entry) -> list[Diagnostic]:
    diagnostics = _check_key(content, entry, ("district",), entry.data.district, "districts")
    for index, theme in enumerate(entry.data.themes):
        diagnostics += _check_key(content, entry, ("themes", index), theme, "themes")
    return diagnostics


def _check_key(content: Content, source: Entry, loc: FieldPath, value: str | None,
               section: str) -> list[Diagnostic]:
    return _placed(key_problem(content, value, section), source, loc, content.language)


def _check_need_kind(content: Content, source: Entry, loc: FieldPath, kind: str) -> list[Diagnostic]:
    return _placed(need_kind_problem(content, kind), source, loc, content.language)


def _check_organization(content: Content, entry: Entry, loc: FieldPath, kinds: tuple[str, ...],
                        value: str | None = None) -> list[Diagnostic]:
    org_id = value if value is not None else entry.data.organization
    return _placed(organization_problem(content, org_id, kinds), entry, loc, content.language)


# --- process rules ---------------------------------------------------------------------------------------------


def validate_process_rules(content: Content) -> list[Diagnostic]:
    diagnostics: list[Diagnostic] = []
    language = content.language
    for entry in content.proposals.values():
        proposal = entry.data
        if proposal.status in m.PUBLIC_STATUSES and proposal.reviewed is None:
            diagnostics.append(field_diagnostic(entry, ("reviewed",), "date-required", language,
                                           status=proposal.status))
        if proposal.status in ("matched", "completed") and proposal.matched is None:
            diagnostics.append(field_diagnostic(entry, ("matched",), "date-required", language,
                                           status=proposal.status))
        diagnostics += _check_order(entry, language, ("submitted", "reviewed"), ("reviewed", "matched"))
    for entry in content.cooperations.values():
        diagnostics += _check_order(entry, language, ("started", "completed"))
    return diagnostics


def _check_order(entry: Entry, language: str, *pairs: tuple[str, str]) -> list[Diagnostic]:
    diagnostics = []
    for earlier, later in pairs:
        problem = order_problem(earlier, getattr(entry.data, earlier), getattr(entry.data, later))
        diagnostics += _placed(problem, entry, (later,), language)
    return diagnostics


# --- files referenced from content -----------------------------------------------------------------------------


def validate_files(content: Content) -> list[Diagnostic]:
    diagnostics: list[Diagnostic] = []
    inside, names = Inside(content.root / "content"), FolderNames()
    for loc, value, source in _image_references(content):
        diagnostics += _check_image(content, source, loc, value, inside, names)
    return diagnostics


def _image_references(content: Content):
    for entry in content.organizations.values():
        if entry.data.logo:
            yield ("logo",), entry.data.logo, entry
    for entry in content.proposals.values():
        if entry.data.image:
            yield ("image",), entry.data.image, entry
    for entry in content.cooperations.values():
        for index, image in enumerate(entry.data.images):
            if isinstance(image, m.ImageRef):
                yield ("images", index, "src"), image.src, entry
            else:
                yield ("images", index), image, entry


def _check_image(content: Content, source: Entry, loc: FieldPath, value: str, inside: Inside,
                 names: FolderNames) -> list[Diagnostic]:
    language = content.language
    parts = value.split("/")
    if value.startswith("/") or "\\" in value or ":" in value or any(p in ("", ".", "..") for p in parts):
        return [field_diagnostic(source, loc, "image-path", language, value=value)]
    if is_heic(value):
        return [field_diagnostic(source, loc, "image-heic", language, value=value)]
    if not value.lower().endswith(m.IMAGE_SUFFIXES):
        return [field_diagnostic(source, loc, "image-type", language, value=value,
                            allowed=", ".join(m.IMAGE_SUFFIXES))]
    spelt = names.exact(image_file(content.root, ""), parts)
    if spelt is not None:
        return [field_diagnostic(source, loc, "image-wrong-case", language, value=value, name=spelt)]
    path = image_file(content.root, value)
    try:
        status = path.stat()
    except OSError:
        status = None
    if status is None or not stat.S_ISREG(status.st_mode):
        return [field_diagnostic(source, loc, "image-not-found", language, value=value)]
    if not inside(path):
        return [field_diagnostic(source, loc, "image-outside", language, value=value)]
    size_kb = status.st_size // 1024
    if size_kb > LARGE_IMAGE_KB:
        return [field_diagnostic(source, loc, "image-too-large", language, "warning", size=size_kb,
                            limit=LARGE_IMAGE_KB)]
    return []


# --- Markdown bodies -------------------------------------------------------------------------------------------


def validate_bodies(content: Content) -> list[Diagnostic]:
    """Bodies the renderer would show other than meant: lists nested absurdly deep, invisible control characters."""
    diagnostics = []
    for entry in content.entries():
        for line, code in body_problems(entry.body):
            text = message(code, content.language, limit=MAX_LIST_DEPTH)
            diagnostics.append(Diagnostic(entry.path, entry.body_line + line, 1, "", code, "error", text))
    return diagnostics




# --- addresses: no entry takes a URL the generator or another entry already uses --------------------------------

SlugFile = Callable[[str], str]
"""The file that defines a slug (`proposals` → `templates/i18n/de.yml`), named in collision messages."""


def address_owners(content: Content, scheme: UrlScheme, slug_file: SlugFile) -> dict[str, str]:
    """Every URL the generator owns, each with a description of its owner in the site's language."""
    texts = catalogue(content.language)
    owners = {}
    for claim in scheme.claims():
        what = texts.text(claim.what)
        owners[claim.url] = (texts.message("url-taken-generated", what=what, slug_key=claim.slug_key,
                                           slug_file=slug_file(claim.slug_key))
                             if claim.slug_key else texts.message("url-taken-fixed", what=what))
    return owners


def validate_addresses(content: Content, scheme: UrlScheme, slug_file: SlugFile) -> list[Diagnostic]:
    """Each entry's page, and each of its former ids (`aliases`), needs an address of its own."""
    owners = address_owners(content, scheme, slug_file)
    diagnostics = []
    language = content.language
    for entry in content.entries():
        url = scheme.detail_url(entry.kind, entry.id)
        if url in owners:
            diagnostics.append(file_diagnostic(entry.path, "url-taken", language, url=url, owner=owners[url]))
        else:
            owners[url] = message("url-taken-entry", language, path=entry.path)
    for entry in content.entries():
        for index, alias in enumerate(getattr(entry.data, "aliases", ())):
            url = scheme.detail_url(entry.kind, alias)
            if url in owners:
                diagnostics.append(field_diagnostic(entry, ("aliases", index), "alias-taken", language, url=url,
                                                    owner=owners[url]))
            else:
                owners[url] = message("url-taken-entry", language, path=entry.path)
    return diagnostics


# --- all rules -------------------------------------------------------------------------------------------------


def validate_cross_file(content: Content, scheme: UrlScheme, slug_file: SlugFile) -> list[Diagnostic]:
    """Every rule that needs more than one file, in the validator's order."""
    return [*validate_references(content), *validate_process_rules(content), *validate_files(content),
            *validate_bodies(content), *validate_addresses(content, scheme, slug_file), *validate_entries(content)]
