"""The answers for each kind `showcase new` creates: proposal, cooperation, organisation.

Each builder returns the new file's fields (in the model's order), its Markdown body and the text its id is derived
from. Every answer is checked as it comes (`scaffold_checks`); the whole entry is checked again before it is written.
"""

from __future__ import annotations

import argparse
import re
from typing import Any

from . import model as m
from .kinds import COOPERATION, ORGANIZATION, PROPOSAL
from .scaffold_ask import Asker, UsageError
from .scaffold_checks import (
    Context,
    date_check,
    field_check,
    key_check,
    keys_check,
    max_length,
    organization_check,
    organization_kind_check,
    proposal_check,
)

Draft = tuple[dict[str, Any], str, str]
"""(fields, body, the title or name the id is derived from)."""


def new_proposal(ctx: Context, args: argparse.Namespace, asker: Asker) -> Draft:
    say = ctx.say
    title = asker.value("--title", say("title", limit=max_length(m.Proposal, "title")), args.title,
                        field_check(ctx, PROPOSAL, ("title",)))
    organization = asker.value("--organization", say("organization"), args.organization,
                               organization_check(ctx, ("organization",), ("nonprofit",)))
    summary = asker.value("--summary", say("summary", limit=max_length(m.Proposal, "summary")), args.summary,
                          field_check(ctx, PROPOSAL, ("summary",)))
    needs = ask_needs(ctx, args, asker)
    data = {
        "title": title,
        "organization": organization,
        "summary": summary,
        "status": "submitted",
        "submitted": ctx.today,
        "themes": asker.option("--theme", args.theme, keys_check(ctx, ("themes",), "themes")),
        "district": asker.option("--district", args.district, key_check(ctx, ("district",), "districts")),
        "needs": needs,
    }
    if args.contact_name:
        data["contact"] = {
            "name": asker.option("--contact-name", args.contact_name, field_check(ctx, PROPOSAL, ("contact", "name"))),
            "email": asker.option("--contact-email", args.contact_email,
                                  field_check(ctx, PROPOSAL, ("contact", "email"))),
            "public": False,
        }
    elif args.contact_email:
        raise UsageError(say("needs-option", option="--contact-email", other="--contact-name"))
    listed = "\n".join(f"- {need['description']}" for need in needs)
    return data, say("body-proposal", needs=listed), title


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
                        field_check(ctx, COOPERATION, ("title",)), default=p.title if p else None)
    organization = asker.value("--organization", say("organization"), args.organization,
                               organization_check(ctx, ("organization",), ("nonprofit",)),
                               default=p.organization if p else None)
    partners = ask_partners(ctx, args, asker, p)
    started = asker.value("--started", say("started"), args.started, date_check(ctx, ("started",)),
                          default=(p.matched or p.reviewed or ctx.today) if p else ctx.today)
    completed = asker.value("--completed", say("completed"), args.completed,
                            date_check(ctx, ("completed",), earlier=("started", started)),
                            default=max(ctx.today, started))
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
                                   organization_check(ctx, ("partners", index, "organization"), ("company", "public")),
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
    name = asker.value("--name", say("name"), args.name, field_check(ctx, ORGANIZATION, ("name",)))
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
