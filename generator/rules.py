"""Rules that need more than one file: references, keys from site_config.yml, process dates, images, bodies.

Each rule takes validated content and returns diagnostics; the small `*_problem` functions are the same rules
for one value, so `showcase new` checks an answer exactly the way the validator checks a file.
"""

from __future__ import annotations

import difflib
import stat
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import model as m
from .bodies import MAX_LIST_DEPTH, body_problems
from .catalogue import catalogue, message, noun
from .content import Content, Entry, FieldPath, Positions, field_name
from .diagnostics import Diagnostic, Severity, field_diagnostic, file_diagnostic, has_errors
from .files import Inside, image_file
from .kinds import EVENT, OFFER, ORGANIZATION, PROPOSAL, ContentKind
from .load import Document, load_yaml_document
from .moment import build_date
from .periods import Period
from .rules_content import validate_entries
from .rules_files import FolderNames, is_heic
from .urls import UrlScheme

LARGE_IMAGE_KB = 800

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


def key_problem(content: Content, value: str | None, section: str) -> Problem | None:
    """`value` must be a key of `section` (`themes`, `districts`, `need_kinds`) in site_config.yml."""
    defined: dict[str, Any] = getattr(content.config, section)
    if value is None or value in defined:
        return None
    allowed = ", ".join(f"`{key}`" for key in defined) or "—"
    return Problem("unknown-key", {"value": value, "section": section, "allowed": allowed})


def need_kind_problem(content: Content, kind: str) -> Problem | None:
    """A kind of need or contribution, defined under `need_kinds` (which kinds are money is configuration)."""
    return key_problem(content, kind, "need_kinds")


def organization_problem(content: Content, org_id: str, kinds: tuple[str, ...] = m.ORGANIZATION_KINDS
                         ) -> Problem | None:
    """`org_id` must name an organisation of one of `kinds`."""
    organization = content.organizations.get(org_id)
    if organization is None:
        if content.exists(ORGANIZATION, org_id):
            return None  # the file is there; its own errors are reported on it
        return reference_problem(org_id, content.organizations, ORGANIZATION, content.language)
    if organization.data.kind not in kinds:
        return Problem("wrong-organization-kind", {"value": org_id, "actual": organization.data.kind,
                                                   "expected": noun("recipient", content.language)})
    return None


def reference_problem(value: str, known: Mapping[str, Any], kind: ContentKind, language: str) -> Problem:
    """A reference to an entry of `kind` that does not exist, with the closest id as a suggestion."""
    close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.6)
    suggestion = message("suggestion", language, name=close[0]) if close else ""
    return Problem("unknown-reference", {"value": value, "target": noun(kind.name, language),
                                         "folder": kind.folder, "suffix": kind.suffix, "suggestion": suggestion})


def entry_problem(content: Content, kind: ContentKind, entry_id: str | None) -> Problem | None:
    """A reference to an entry of `kind` (an event, an offer) that must exist."""
    if entry_id is None or content.exists(kind, entry_id):
        return None
    return reference_problem(entry_id, content.of_kind(kind), kind, content.language)


def linked_proposal_problem(content: Content, proposal_id: str | None) -> Problem | None:
    """A cooperation's proposal must exist. A story whose proposal is still advertised as open, or was never
    published, is probably a forgotten status change: a warning."""
    if proposal_id is None:
        return None
    proposal = content.proposals.get(proposal_id)
    if proposal is None:
        return entry_problem(content, PROPOSAL, proposal_id)
    status = proposal.data.status
    if status == "open":
        return Problem("proposal-not-completed", {"value": proposal_id, "status": status}, "warning")
    if status not in m.PUBLIC_STATUSES:
        return Problem("proposal-not-public", {"value": proposal_id, "status": status}, "warning")
    return None


def order_problem(earlier: str, first: Period | None, second: Period | None) -> Problem | None:
    """The later date (`second`) must not end before the date of the field `earlier` (`first`) begins."""
    if first is None or second is None or not second.ends_before(first):
        return None
    return Problem("date-order", {"value": str(second), "other": earlier, "other_value": str(first)})


def validate_references(content: Content) -> list[Diagnostic]:
    diagnostics: list[Diagnostic] = []
    for entry in content.organizations.values():
        diagnostics += _check_key(content, entry, ("district",), entry.data.district, "districts")
    for entry in content.proposals.values():
        diagnostics += _check_organization(content, entry, ("organization",), m.RECIPIENT_KINDS)
        diagnostics += _check_common_keys(content, entry)
        for index, need in enumerate(entry.data.needs):
            diagnostics += _check_need_kind(content, entry, ("needs", index, "kind"), need.kind)
        diagnostics += _placed(entry_problem(content, EVENT, entry.data.event), entry, ("event",), content.language)
    for entry in content.cooperations.values():
        diagnostics += _cooperation_references(content, entry)
    for entry in content.offers.values():
        diagnostics += _check_common_keys(content, entry)
        diagnostics += _check_need_kind(content, entry, ("kind",), entry.data.kind)
        diagnostics += _contributor(content, entry, ())
    for entry in content.events.values():
        diagnostics += _check_key(content, entry, ("district",), entry.data.district, "districts")
        for index, organizer in enumerate(entry.data.organizers):
            diagnostics += _check_organization(content, entry, ("organizers", index), value=organizer)
        for index, included in enumerate(entry.data.results.includes if entry.data.results else ()):
            problem = entry_problem(content, EVENT, included)
            diagnostics += _placed(problem, entry, ("results", "includes", index), content.language)
    return diagnostics


def _cooperation_references(content: Content, entry: Entry[m.Cooperation]) -> list[Diagnostic]:
    data, language = entry.data, content.language
    diagnostics = _check_common_keys(content, entry)
    if not data.recipient_ids:
        diagnostics.append(field_diagnostic(entry, ("organization",), "recipient-missing", language))
    if data.organization:
        diagnostics += _check_organization(content, entry, ("organization",), m.RECIPIENT_KINDS)
    for index, recipient in enumerate(data.recipients):
        diagnostics += _check_organization(content, entry, ("recipients", index), m.RECIPIENT_KINDS, recipient)
    for index, partner in enumerate(data.partners):
        diagnostics += _contributor(content, entry, ("partners", index), partner)
        diagnostics += _check_need_kind(content, entry, ("partners", index, "kind"), partner.kind)
    diagnostics += _placed(linked_proposal_problem(content, data.proposal), entry, ("proposal",), language)
    diagnostics += _placed(entry_problem(content, OFFER, data.offer), entry, ("offer",), language)
    diagnostics += _placed(entry_problem(content, EVENT, data.event), entry, ("event",), language)
    implied = [name for name, field_ in (("request", "proposal"), ("offer", "offer"), ("marketplace", "event"))
               if getattr(data, field_) is not None]
    if data.origin and implied and data.origin not in implied:
        diagnostics.append(field_diagnostic(entry, ("origin",), "origin-conflict", language, value=data.origin,
                                            implied=implied[0]))
    return diagnostics


def _contributor(content: Content, entry: Entry, loc: FieldPath, item: Any = None) -> list[Diagnostic]:
    """A named partner or offerer must exist (an unnamed one is described in `unnamed`; the model asks for one
    of the two)."""
    item = item if item is not None else entry.data
    if item.organization is None:
        return []
    return _check_organization(content, entry, (*loc, "organization"), value=item.organization)


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


def _check_organization(content: Content, entry: Entry, loc: FieldPath,
                        kinds: tuple[str, ...] = m.ORGANIZATION_KINDS, value: str | None = None) -> list[Diagnostic]:
    org_id = value if value is not None else entry.data.organization
    return _placed(organization_problem(content, org_id, kinds), entry, loc, content.language)


# --- files that failed their schema: their references and keys are still checked ------------------------------

_ORG = ("organization",)
_KEYS = ((("themes", "*"), "themes"), (("district",), "districts"))
RAW_FIELDS: dict[str, tuple[tuple[FieldPath, ContentKind | str], ...]] = {
    "organization": ((("district",), "districts"),),
    "proposal": ((_ORG, ORGANIZATION), *_KEYS, (("needs", "*", "kind"), "need_kinds"), (("event",), EVENT)),
    "cooperation": ((_ORG, ORGANIZATION), (("recipients", "*"), ORGANIZATION), *_KEYS,
                    (("partners", "*", "organization"), ORGANIZATION), (("partners", "*", "kind"), "need_kinds"),
                    (("proposal",), PROPOSAL), (("offer",), OFFER), (("event",), EVENT)),
    "offer": ((_ORG, ORGANIZATION), *_KEYS, (("kind",), "need_kinds")),
    "event": ((("organizers", "*"), ORGANIZATION), (("district",), "districts"),
              (("results", "includes", "*"), EVENT)),
}
"""Where each kind names other entries or site_config.yml keys, as field patterns (`*`: every list item)."""


def validate_invalid_entries(content: Content) -> list[Diagnostic]:
    """References and keys of files that failed their schema, read from the plain data, so that fixing a schema
    error does not reveal a second round of errors."""
    diagnostics = []
    for kind_name, documents in content.invalid.items():
        for document in documents.values():
            for pattern, target in RAW_FIELDS.get(kind_name, ()):
                for loc, value in _raw_values(document.data, pattern, ()):
                    problem = (key_problem(content, value, target) if isinstance(target, str)
                               else entry_problem(content, target, value))
                    diagnostics += _placed(problem, document, loc, content.language)
    return diagnostics


def _raw_values(data: Any, pattern: FieldPath, loc: FieldPath):
    if not pattern:
        if isinstance(data, str):
            yield loc, data
        return
    head, rest = pattern[0], pattern[1:]
    if head == "*":
        for index, item in enumerate(data if isinstance(data, list) else []):
            yield from _raw_values(item, rest, (*loc, index))
    elif isinstance(data, dict) and head in data:
        yield from _raw_values(data[head], rest, (*loc, head))


# --- process rules ---------------------------------------------------------------------------------------------


def review_required(content: Content, proposal: m.Proposal) -> bool:
    """Whether a published proposal needs its review date: the network's process says so, and it did not come
    from a marketplace (where requests are matched on the spot, with no matching group)."""
    return content.config.process.review_required and proposal.event is None


def validate_process_rules(content: Content) -> list[Diagnostic]:
    diagnostics: list[Diagnostic] = []
    language = content.language
    today, texts = build_date(), catalogue(language)
    for entry in content.proposals.values():
        proposal = entry.data
        if proposal.status in m.PUBLIC_STATUSES and proposal.reviewed is None and review_required(content, proposal):
            diagnostics.append(field_diagnostic(entry, ("reviewed",), "date-required", language,
                                                status=proposal.status))
        if proposal.status in ("submitted", "under_review") and proposal.submitted is None:
            # The matching round's agenda orders waiting proposals by this date.
            diagnostics.append(field_diagnostic(entry, ("submitted",), "date-required", language,
                                                status=proposal.status))
        if proposal.status in ("matched", "completed") and proposal.matched is None:
            diagnostics.append(field_diagnostic(entry, ("matched",), "date-required", language,
                                                status=proposal.status))
        diagnostics += _check_order(entry, language, ("submitted", "reviewed"), ("reviewed", "matched"))
        if proposal.expired(today):
            diagnostics.append(field_diagnostic(entry, ("deadline",), "deadline-passed", language, "warning",
                                                date=texts.period(proposal.deadline)))
    for entry in content.cooperations.values():
        diagnostics += _check_order(entry, language, ("started", "completed"))
    for entry in content.offers.values():
        diagnostics += _check_order(entry, language, ("offered", "until"))
    for entry in content.events.values():
        diagnostics += _check_order(entry, language, ("date", "end"))
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
    diagnostics += _config_images(content, inside, names)
    return diagnostics


CONFIG_FILE = "site_config.yml"


class _ConfigFile:
    """site_config.yml as the place of a diagnostic: read again for its positions only when one is needed."""

    path = CONFIG_FILE

    def __init__(self, root: Path):
        self.root = root
        self.document: Document | None = None

    def position(self, loc: FieldPath) -> tuple[int, int]:
        if self.document is None:
            self.document, _ = load_yaml_document(self.root / CONFIG_FILE, CONFIG_FILE, "de")
        return self.document.position(loc) if self.document.data is not None else (1, 1)


def _config_images(content: Content, inside: Inside, names: FolderNames) -> list[Diagnostic]:
    """The network's logo and favicon (`site.logo`, `site.favicon`): checked like content images, and opened,
    since every page shows them: at their line in site_config.yml."""
    from .images import ImageUnreadable, reencode  # Pillow only when a network has a logo

    diagnostics: list[Diagnostic] = []
    source = _ConfigFile(content.root)
    for key in ("logo", "favicon"):
        value = getattr(content.config.site, key)
        if not value:
            continue
        loc = ("site", key)
        found = _check_image(content, source, loc, value, inside, names)
        if not has_errors(found):
            try:
                reencode(image_file(content.root, value))
            except (ImageUnreadable, OSError) as error:
                found.append(field_diagnostic(source, loc, "image-broken", content.language, value=value,
                                              detail=error))
        diagnostics += found
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
    return [*validate_references(content), *validate_invalid_entries(content), *validate_process_rules(content),
            *validate_files(content),
            *validate_bodies(content), *validate_addresses(content, scheme, slug_file), *validate_entries(content)]
