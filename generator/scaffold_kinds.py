"""The answers for each kind `showcase new` creates: proposal, cooperation, organisation.

Each builder returns the new file's fields (in the model's order), its Markdown body and the text its id is derived
from. Every answer is checked as it comes (`scaffold_checks`); the whole entry is checked again before it is written.
"""

from __future__ import annotations

import argparse
import re
from typing import Any

from pydantic import BaseModel

from . import model as m
from .kinds import COOPERATION, EVENT, OFFER, ORGANIZATION, PROPOSAL
from .scaffold_ask import Asker, UsageError
from .scaffold_checks import (
    Context,
    as_written,
    count_check,
    date_check,
    field_check,
    image_check,
    key_check,
    keys_check,
    max_length,
    organization_check,
    organization_kind_check,
    proposal_check,
    title_check,
    yes_no_check,
)

Draft = tuple[dict[str, Any], str, str]
"""(fields, body, the title or name the id is derived from)."""

ESSENTIALS = {
    "proposal": ("--title", "--organization", "--summary", "--need-kind", "--need"),
    "cooperation": ("--title", "--organization", "--partner", "--partner-kind", "--contribution"),
    "organization": ("--name", "--kind"),
    "offer": ("--title", "--organization", "--need-kind", "--summary"),
    "event": ("--title", "--event-kind", "--event-date"),
}
"""Per kind: the options a script gives (with `--no-input` or piped input that ends) when nothing can be asked."""
PREFILLED = ("--title", "--organization", "--partner-kind", "--contribution")
"""What `--from-proposal` fills in."""


def missing_essentials(args: argparse.Namespace) -> tuple[str, ...]:
    """The essential options of `args.new_kind` that were not given (and are not pre-filled)."""
    prefilled = PREFILLED if getattr(args, "from_proposal", None) else ()
    return tuple(option for option in ESSENTIALS[args.new_kind]
                 if getattr(args, option[2:].replace("-", "_")) is None and option not in prefilled)


def new_proposal(ctx: Context, args: argparse.Namespace, asker: Asker) -> Draft:
    say = ctx.say
    requires(ctx, args, ("contact_email", "contact_name"), ("contact_public", "contact_name"),
             ("beneficiaries_count", "beneficiaries"), ("image_alt", "image"))
    title = asker.value("--title", say("title", limit=max_length(m.Proposal, "title")), args.title,
                        title_check(ctx, PROPOSAL, ("title",), args.id))
    organization = asker.value("--organization", say("organization"), args.organization,
                               organization_check(ctx, ("organization",), m.RECIPIENT_KINDS))
    summary = asker.value("--summary", say("summary", limit=max_length(m.Proposal, "summary")), args.summary,
                          field_check(ctx, PROPOSAL, ("summary",)))
    needs = ask_needs(ctx, args, asker)
    themes = asker.value("--theme", say("themes", allowed=_labels(ctx.content.config.themes)), args.theme,
                         keys_check(ctx, ("themes",), "themes"), optional=True)
    district = asker.value("--district", say("district", allowed=_labels(ctx.content.config.districts)),
                           args.district, key_check(ctx, ("district",), "districts"), optional=True)
    contact = ask_contact(ctx, args, asker)
    data = {
        "title": title,
        "organization": organization,
        "summary": summary,
        "status": "submitted",
        "submitted": ctx.today,
        "themes": themes,
        "district": district,
        "needs": needs,
        "beneficiaries": ask_beneficiaries(ctx, args, asker),
        "contact": contact,
        **ask_image(ctx, args, asker),
    }
    listed = "\n".join(f"- {need['description']}" for need in needs)
    return data, say("body-proposal", needs=listed), title


def requires(ctx: Context, args: argparse.Namespace, *pairs: tuple[str, str]) -> None:
    """Refuse an option given without the one it belongs to (`--image-alt` without `--image`)."""
    for option, other in pairs:
        if getattr(args, option) is not None and getattr(args, other) is None:
            raise UsageError(ctx.say("needs-option", option=_option(option), other=_option(other)))


def _option(dest: str) -> str:
    return "--" + dest.replace("_", "-")


def _labels(defined: dict[str, str]) -> str:
    return ", ".join(defined.values()) or "—"


def ask_contact(ctx: Context, args: argparse.Namespace, asker: Asker) -> dict[str, Any] | None:
    """The contact person: name, e-mail and whether it is shown on the site (private unless the editor says so)."""
    say = ctx.say
    name = asker.value("--contact-name", say("contact-name"), args.contact_name,
                       field_check(ctx, PROPOSAL, ("contact", "name")), optional=True)
    if name is None:
        return None
    email = asker.value("--contact-email", say("contact-email"), args.contact_email,
                        field_check(ctx, PROPOSAL, ("contact", "email")), optional=True)
    public = asker.value("--contact-public", say("contact-public"), args.contact_public,
                         yes_no_check(ctx, PROPOSAL, ("contact", "public")), default=say("no"))
    return {"name": name, "email": email, "public": public}


def ask_beneficiaries(ctx: Context, args: argparse.Namespace, asker: Asker) -> dict[str, Any] | None:
    """Who benefits, in one sentence, and roughly how many people."""
    description = asker.value("--beneficiaries", say_limit(ctx, "beneficiaries", m.Beneficiaries, "description"),
                              args.beneficiaries, field_check(ctx, PROPOSAL, ("beneficiaries", "description")),
                              optional=True)
    if description is None:
        return None
    count = asker.value("--beneficiaries-count", ctx.say("beneficiaries-count"), args.beneficiaries_count,
                        count_check(ctx, PROPOSAL, ("beneficiaries", "count")), optional=True)
    return {"description": description, "count": count}


def ask_image(ctx: Context, args: argparse.Namespace, asker: Asker) -> dict[str, Any]:
    """An image inside content/images/ and its alt text (required with an image)."""
    image = asker.value("--image", ctx.say("image"), args.image, image_check(ctx), optional=True)
    if image is None:
        return {}
    alt = asker.value("--image-alt", say_limit(ctx, "image-alt", m.Proposal, "image_alt"), args.image_alt,
                      field_check(ctx, PROPOSAL, ("image_alt",)))
    return {"image": image, "image_alt": alt}


def say_limit(ctx: Context, key: str, model: type[BaseModel], name: str) -> str:
    return ctx.say(key, limit=max_length(model, name))


def ask_needs(ctx: Context, args: argparse.Namespace, asker: Asker) -> list[dict[str, Any]]:
    kinds, descriptions = args.need_kind or [], args.need or []
    if len(kinds) != len(descriptions):
        raise UsageError(ctx.say("count-mismatch", first="--need-kind", second="--need"))

    def checks(index: int) -> tuple[Any, Any]:
        return (key_check(ctx, ("needs", index, "kind"), "need_kinds"),
                field_check(ctx, PROPOSAL, ("needs", index, "description")))

    if kinds:
        return [{"kind": asker.option("--need-kind", kind, checks(index)[0]),
                 "description": asker.option("--need", description, checks(index)[1])}
                for index, (kind, description) in enumerate(zip(kinds, descriptions, strict=True))]
    allowed = ", ".join(ctx.content.config.need_kinds)
    limit = max_length(m.Need, "description")
    needs: list[dict[str, Any]] = []
    while True:
        kind_check, description_check = checks(len(needs))
        label = ctx.say("need-kind" if not needs else "need-more", allowed=allowed)
        kind = asker.value("--need-kind", label, None, kind_check, optional=bool(needs))
        if kind is None:
            return needs
        description = asker.value("--need", ctx.say("need", limit=limit), None, description_check)
        needs.append({"kind": kind, "description": description})


def new_cooperation(ctx: Context, args: argparse.Namespace, asker: Asker) -> Draft:
    say = ctx.say
    proposal = asker.option("--from-proposal", args.from_proposal, proposal_check(ctx))
    p = proposal.data if proposal else None
    title = asker.value("--title", say("title", limit=max_length(m.Cooperation, "title")), args.title,
                        title_check(ctx, COOPERATION, ("title",), args.id), default=p.title if p else None)
    organization = asker.value("--organization", say("organization"), args.organization,
                               organization_check(ctx, ("organization",), m.RECIPIENT_KINDS),
                               default=p.organization if p else None)
    partners = ask_partners(ctx, args, asker, p)
    started = asker.value("--started", say("started"), args.started, date_check(ctx, ("started",)),
                          default=as_written(p.matched or p.reviewed) or ctx.today if p else ctx.today)
    completed = asker.value("--completed", say("completed"), args.completed,
                            date_check(ctx, ("completed",), earlier=("started", started)), default=ctx.today)
    district = args.district if args.district is not None else (p.district if p else None)
    data = {
        "title": title,
        "organization": organization,
        "summary": asker.option("--summary", args.summary, field_check(ctx, COOPERATION, ("summary",))),
        "proposal": proposal.id if proposal else None,
        "partners": partners,
        "started": started,
        "completed": completed,
        "themes": asker.option("--theme", args.theme, keys_check(ctx, ("themes",), "themes"))
        or (list(p.themes) if p else []),
        "district": asker.option("--district", district, key_check(ctx, ("district",), "districts")),
    }
    story = demote_headings(proposal.body.strip()) if proposal else ""
    return data, say("body-cooperation", story=story or say("story-empty")), title


def ask_partners(ctx: Context, args: argparse.Namespace, asker: Asker, proposal: m.Proposal | None
                 ) -> list[dict[str, Any]]:
    ids, kinds, contributions = args.partner or [], args.partner_kind or [], args.contribution or []
    for option, values in (("--partner-kind", kinds), ("--contribution", contributions)):
        if len(values) > max(len(ids), 1):
            raise UsageError(ctx.say("too-many", option=option, base="--partner"))
    allowed = ", ".join(ctx.content.config.need_kinds)
    first_need = proposal.needs[0] if proposal else None
    partners: list[dict[str, Any]] = []
    while len(partners) < len(ids) or not ids:
        index = len(partners)
        label = ctx.say("partner" if not partners else "partner-more")
        organization = asker.value("--partner", label, _nth(ids, index),
                                   organization_check(ctx, ("partners", index, "organization"),
                                                      m.ORGANIZATION_KINDS),
                                   optional=bool(partners))
        if organization is None:
            break
        prefill = first_need if index == 0 else None
        partners.append({
            "organization": organization,
            "kind": asker.value("--partner-kind", ctx.say("partner-kind", allowed=allowed), _nth(kinds, index),
                                key_check(ctx, ("partners", index, "kind"), "need_kinds"),
                                default=prefill.kind if prefill else None),
            "contribution": asker.value("--contribution", ctx.say("contribution"), _nth(contributions, index),
                                        field_check(ctx, COOPERATION, ("partners", index, "contribution")),
                                        default=prefill.description if prefill else None),
        })
    return partners


def _nth(values: list[str], index: int) -> str | None:
    return values[index] if index < len(values) else None


def demote_headings(markdown: str) -> str:
    """Move every heading one level down (outside code fences), so a proposal's story fits under a section."""
    out, fenced = [], False
    for line in markdown.split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced and re.match(r"#{1,5} ", line):
            line = "#" + line
        out.append(line)
    return "\n".join(out)


def new_organization(ctx: Context, args: argparse.Namespace, asker: Asker) -> Draft:
    say = ctx.say
    name = asker.value("--name", say("name"), args.name, title_check(ctx, ORGANIZATION, ("name",), args.id))
    kind = asker.value("--kind", say("org-kind"), args.kind, organization_kind_check(ctx))
    data = {
        "name": name,
        "kind": kind,
        "website": asker.option("--website", args.website, field_check(ctx, ORGANIZATION, ("website",))),
        "district": asker.option("--district", args.district, key_check(ctx, ("district",), "districts")),
        "description": asker.option("--description", args.description,
                                    field_check(ctx, ORGANIZATION, ("description",))),
    }
    return data, "", name


def new_offer(ctx: Context, args: argparse.Namespace, asker: Asker) -> Draft:
    """A company's offer, waiting for the coordination office to publish it (status `submitted`)."""
    say = ctx.say
    title = asker.value("--title", say("offer-title", limit=max_length(m.Offer, "title")), args.title,
                        title_check(ctx, OFFER, ("title",), args.id))
    organization = asker.value("--organization", say("offer-organization"), args.organization,
                               organization_check(ctx, ("organization",), m.ORGANIZATION_KINDS))
    kind = asker.value("--need-kind", say("offer-kind", allowed=", ".join(ctx.content.config.need_kinds)),
                       args.need_kind, key_check(ctx, ("kind",), "need_kinds"))
    summary = asker.value("--summary", say("summary", limit=max_length(m.Offer, "summary")), args.summary,
                          field_check(ctx, OFFER, ("summary",)))
    data = {
        "title": title,
        "organization": organization,
        "kind": kind,
        "summary": summary,
        "amount": asker.value("--amount", say("amount"), args.amount, field_check(ctx, OFFER, ("amount",)),
                              optional=True),
        "status": "submitted",
        "offered": ctx.today,
        "until": asker.value("--until", say("until"), args.until,
                             date_check(ctx, ("until",), earlier=("offered", ctx.today)), optional=True),
        "themes": asker.option("--theme", args.theme, keys_check(ctx, ("themes",), "themes")) or [],
        "district": asker.option("--district", args.district, key_check(ctx, ("district",), "districts")),
    }
    return data, say("body-offer"), title


def new_event(ctx: Context, args: argparse.Namespace, asker: Asker) -> Draft:
    """A marketplace, campaign, meeting or a report with the totals the network published."""
    say = ctx.say
    title = asker.value("--title", say("title", limit=max_length(m.Event, "title")), args.title,
                        title_check(ctx, EVENT, ("title",), args.id))
    kind = asker.value("--event-kind", say("event-kind"), args.event_kind, field_check(ctx, EVENT, ("kind",)))
    date = asker.value("--event-date", say("event-date"), args.event_date, date_check(ctx, ("date",)))
    data = {
        "title": title,
        "kind": kind,
        "date": date,
        "summary": asker.option("--summary", args.summary, field_check(ctx, EVENT, ("summary",))),
        "place": asker.value("--place", say("place"), args.place, field_check(ctx, EVENT, ("place",)),
                             optional=True),
        "district": asker.option("--district", args.district, key_check(ctx, ("district",), "districts")),
    }
    return data, say("body-event"), title
