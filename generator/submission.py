"""How a non-profit submits a proposal: the template to download, and the facts of the submit page.

The template is a plain-text form generated from `model.Proposal`: its fields in the model's order, the nested
groups (needs, beneficiaries, contact, helpers, window) as indented blocks, the labels from the catalogue
(`submit.fields`, then the web editor's `editor.fields`), the hints from the catalogue (`submit.hints`) or the
model's own descriptions, and the network's lists from site_config.yml (need kinds, themes, districts) wherever
the validator expects one of their keys (`rules.RAW_FIELDS`). A field added to the model appears in the form
without a change here; only what a non-profit never fills in is named here (`INTERNAL_FIELDS`). Staff fill the
form in and e-mail it to the coordination office, which turns it into a proposal file.
"""

from __future__ import annotations

import datetime as dt
import textwrap
import types
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Protocol, TypeVar, Union, get_args, get_origin
from urllib.parse import quote

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from . import model as m
from .catalogue import Catalogue
from .kinds import PROPOSAL
from .periods import Period
from .rules import RAW_FIELDS
from .urls import UrlScheme
from .views import PublicSite

INTERNAL_FIELDS = frozenset({
    "status", "submitted", "reviewed", "matched",  # the coordination office and the matching group set these
    "event", "sources", "aliases", "language",     # where a proposal came from, and how the file is kept
    "image", "image_alt",                          # photos come as attachments to the e-mail
})
"""Fields of `model.Proposal` that a non-profit never fills in: left out of the template."""
MODEL_LANGUAGE = "de"
"""The language of the model's field descriptions; other languages show only the catalogue's hints."""
EXAMPLES = 3
"""Open challenges shown on the submit page as models of a good proposal."""
WIDTH = 88
"""Line width of the template's running text (labels and choices are never broken)."""


# --- the form ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FormField:
    """One question of the template; a group (`children`) is a nested model, `repeated` a list of them."""

    name: str
    label: str
    required: bool
    hint: str = ""
    choices: tuple[str, ...] = ()
    multiple: bool = False
    yes_no: bool = False
    children: tuple[FormField, ...] = ()
    repeated: bool = False
    item_label: str = ""


def _unwrap(annotation: Any) -> tuple[list[Any], str | None]:
    """The types a field may hold (Annotated, unions and Optional unwrapped, None left out) and the first
    description met on the way: amounts (`Hours`, `Euros`, `People`) carry theirs inside their own type."""
    found: list[Any] = []
    descriptions: list[str] = []

    def walk(node: Any) -> None:
        origin = get_origin(node)
        if origin is Annotated:
            base, *metadata = get_args(node)
            descriptions.extend(meta.description for meta in metadata
                                if isinstance(meta, FieldInfo) and meta.description)
            walk(base)
        elif origin in (Union, types.UnionType):
            for argument in get_args(node):
                walk(argument)
        elif node is not type(None):
            found.append(node)

    walk(annotation)
    return found, descriptions[0] if descriptions else None


def _group(found: list[Any]) -> type[BaseModel] | None:
    return next((t for t in found if isinstance(t, type) and issubclass(t, BaseModel) and t is not m.Estimate), None)


def _key_lists(config: m.SiteConfig) -> dict[str, dict[str, str]]:
    """The site_config.yml lists a field's keys come from, with the network's labels."""
    return {"themes": dict(config.themes), "districts": dict(config.districts), "need_kinds": config.need_labels}


class _Form:
    """Builds the questions of one network's template from the model."""

    def __init__(self, catalogue: Catalogue, config: m.SiteConfig):
        self.strings = catalogue.strings
        self.words = self.strings["submit"]
        self.descriptions = catalogue.language == MODEL_LANGUAGE
        lists = _key_lists(config)
        # `needs.*.kind` → ("needs", "kind"): the form has no list indices.
        self.choices = {tuple(part for part in path if part != "*"): lists[target]
                        for path, target in RAW_FIELDS[PROPOSAL.name] if isinstance(target, str)}

    def label(self, name: str) -> str:
        return self.words["fields"].get(name) or self.strings["editor"]["fields"].get(name) or name

    def fields(self, model: type[BaseModel], path: tuple[str, ...] = (), required: bool = True) -> list[FormField]:
        return [self.field(name, info, (*path, name), required) for name, info in model.model_fields.items()
                if path or name not in INTERNAL_FIELDS]

    def field(self, name: str, info: FieldInfo, path: tuple[str, ...], parent_required: bool) -> FormField:
        # Inside an optional group nothing is a must: a contact's name is needed only once there is a contact.
        required = parent_required and info.is_required()
        found, inner_description = _unwrap(info.annotation)
        description = info.description or inner_description
        label = self.label(name)
        listed = next((t for t in found if get_origin(t) is list), None)
        if listed is not None:
            found = _unwrap(get_args(listed)[0])[0]
        group = _group(found)
        if group is not None:
            children = tuple(self.fields(group, path, required))
            item = self.strings["editor"]["singular"].get(name, label) if listed is not None else ""
            item = item[:1].upper() + item[1:]  # `need` (en) heads its block as `Need 1`
            return FormField(name, label, required, self.hint(name, label, description), children=children,
                             repeated=listed is not None, item_label=item)
        choices = self.choices.get(path)
        if choices is not None:
            return FormField(name, label, required, self.hint(name, label, None), tuple(choices.values()),
                             multiple=listed is not None)
        if bool in found:
            return FormField(name, label, required, self.hint(name, label, None), yes_no=True)
        if m.Estimate in found:
            # "Stunden. Genau (`600`), ungefähr …": the first sentence says what; how to write it is the form's.
            first = description.split(". ")[0].rstrip(".") + "." if description else None
            return FormField(name, label, required, self.hint(name, label, first, self.words["amount_hint"]))
        if Period in found:
            return FormField(name, label, required, self.hint(name, label, None, self.words["date_hint"]))
        return FormField(name, label, required, self.hint(name, label, description))

    def hint(self, name: str, label: str, description: str | None, how: str = "") -> str:
        """The catalogue's hint for the form, else the model's description (in its language only, without code
        marks, left out when it only repeats the label); then how to write the value."""
        own = self.words["hints"].get(name)
        text = own or (description.replace("`", "") if description and self.descriptions else "")
        if not own and text.rstrip(".").casefold() == label.casefold():
            text = ""
        return " ".join(part for part in (text, how) if part)


def form_fields(catalogue: Catalogue, config: m.SiteConfig) -> list[FormField]:
    """The questions of the template, in the model's order."""
    return _Form(catalogue, config).fields(m.Proposal)


def _wrapped(text: str, indent: str) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=indent, break_long_words=False,
                         break_on_hyphens=False) or [indent.rstrip()]


def _lines(field: FormField, depth: int, words: Mapping[str, str]) -> list[str]:
    pad, inner = "  " * depth, "  " * (depth + 1)
    lines = [pad + field.label + (" *" if field.required else "")]
    if field.hint:
        lines += _wrapped(field.hint, inner)
    if field.children:
        if field.repeated:
            lines += _wrapped(words["form_repeat"], inner)
            lines += ["", f"{inner}{field.item_label} 1"]
            depth += 1
        lines.append("")
        for child in field.children:
            lines += _lines(child, depth + 1, words)
        return lines
    if field.choices:
        lines.append(inner + words["form_any_of" if field.multiple else "form_one_of"])
        lines += [f"{inner}[ ] {choice}" for choice in field.choices]
    elif field.yes_no:
        lines.append(f"{inner}[ ] {words['form_yes']}    [ ] {words['form_no']}")
    else:
        lines.append(inner + words["form_answer"])
    return [*lines, ""]


def proposal_template(catalogue: Catalogue, config: m.SiteConfig) -> str:
    """The proposal form as plain text in the site's language, for non-profits to fill in and e-mail."""
    words = catalogue.strings["submit"]
    network = config.network
    title = words["form_title"].format(network=network.name)
    lines = [title, "=" * len(title), ""]
    paragraphs = [words["form_intro"].format(email=network.contact.email, name=network.contact.name),
                  words["form_photos"], "" if network.monetary else words["form_money"], words["form_required"]]
    for paragraph in filter(None, paragraphs):
        lines += [*_wrapped(paragraph, ""), ""]
    lines.append("")
    for field in form_fields(catalogue, config):
        lines += _lines(field, 0, words)
    lines += [words["form_body_title"], *_wrapped(words["form_body"], "  "), "", "", ""]
    return "\n".join(line.rstrip() for line in lines).rstrip() + "\n"


# --- the submit page ---------------------------------------------------------------------------------------------


class Round(Protocol):
    kind: str
    date: Period | None
    deadline: Period | None


R = TypeVar("R", bound=Round)


def next_round(events: Iterable[R], today: dt.date) -> R | None:
    """The next matching-group meeting (`kind: round`) a proposal can still be sent in for: the first one whose
    deadline – or, without one, whose date – is not before `today` (a month or a year lasts to its last day)."""
    def cutoff(event: R) -> Period | None:
        return event.deadline or event.date

    upcoming = [event for event in events
                if event.kind == "round" and (last := cutoff(event)) is not None and last.end >= today]
    return min(upcoming, key=lambda event: ((event.date or cutoff(event)).start, cutoff(event).start),
               default=None)


def mailto(address: str, subject: str, body: str = "") -> str:
    """A mailto link with subject and body, percent-encoded; line breaks in the body as CRLF (RFC 6068)."""
    link = f"mailto:{address}?subject={quote(subject, safe='')}"
    return link + ("&body=" + quote(body.replace("\n", "\r\n"), safe="") if body else "")


def _contact(site: PublicSite) -> dict[str, str]:
    contact = site.config.network.contact
    phone = contact.phone or ""
    return {"name": contact.name, "person": contact.person or "", "email": contact.email, "phone": phone,
            "response_time": contact.response_time or ""}


def submit_page(site: PublicSite, strings: Mapping[str, Any], urls: UrlScheme) -> dict[str, Any]:
    """What the submit page shows beyond its texts: the next round (as of the build date), the template, the
    e-mail to the coordination office and a few open challenges as models."""
    words, network = strings["submit"], site.config.network
    return {
        "next_round": next_round(site.events, site.today),
        "review": site.config.process.review_label or strings["home"]["review_default"],
        "template_file": urls.submit_template(),
        "contact": _contact(site),
        "mailto": mailto(network.contact.email, words["subject"].format(network=network.name),
                         words["body"].format(network=network.name)),
        "examples": site.open_proposals[:EXAMPLES],
    }


def offer_invitation(site: PublicSite, strings: Mapping[str, Any]) -> str:
    """The e-mail in which a company offers something, to the coordination office (offers page)."""
    words, network = strings["submit"], site.config.network
    return mailto(network.contact.email, words["offer_subject"].format(network=network.name),
                  words["offer_body"].format(network=network.name))
