"""`showcase new` checks each answer with the validator's rules, so a refusal reads as `showcase validate` would.

Field values go through the loader and the schema check (`scaffold_file.field_problems`); references, keys and
dates through the single-value rules in `rules`. Only the editor-friendly reading of an answer is done here: a
label in any case names its key (`Logistik` → `logistik`), German words name an organisation's kind.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from . import rules
from .catalogue import message
from .content import Content, Entry, FieldPath
from .diagnostics import Diagnostic
from .kinds import ORGANIZATION, PROPOSAL, ContentKind
from .project import SiteTheme
from .scaffold_ask import Check, Refused
from .scaffold_file import field_problems
from .validate import valid_id

# Words an editor may type for an organisation's kind.
ORGANIZATION_KIND_WORDS = {
    "gemeinnuetzig": "nonprofit", "gemeinnützig": "nonprofit", "verein": "nonprofit", "unternehmen": "company",
    "firma": "company", "oeffentlich": "public", "öffentlich": "public",
}


@dataclass
class Context:
    """What answers are checked against: the loaded content, what the validator says about it, the site's texts."""

    content: Content
    theme: SiteTheme
    before: list[Diagnostic]
    """Every diagnostic of the project as it is: `new` reports only what its entry adds."""
    today: dt.date

    @property
    def language(self) -> str:
        return self.content.language

    def say(self, key: str, **ctx: Any) -> str:
        """A text of the catalogue's `new` section in the site's language."""
        return self.theme.catalogue.text(f"new.{key}", **ctx)


def max_length(model: type[BaseModel], name: str) -> int:
    """The longest text the model allows in a field (shown in prompts)."""
    return next(rule.max_length for rule in model.model_fields[name].metadata if hasattr(rule, "max_length"))


def _refuse(problem: rules.Problem | None, loc: FieldPath, language: str) -> None:
    if problem is not None and problem.severity == "error":
        raise Refused(problem.text(loc, language))


def field_check(ctx: Context, kind: ContentKind, loc: FieldPath) -> Check:
    """A value for one field of `kind`, checked as the loader and the schema check would check it."""

    def convert(value: Any) -> Any:
        value = value.strip() if isinstance(value, str) else value
        problems = field_problems(kind, loc, value, ctx.language)
        if problems:
            raise Refused(problems[0].message)
        return value

    return Check(loc, convert)


def organization_check(ctx: Context, loc: FieldPath, kinds: tuple[str, ...]) -> Check:
    """The id of an existing organisation of one of `kinds`."""

    def convert(value: str) -> str:
        value = value.strip()
        _refuse(rules.organization_problem(ctx.content, value, kinds), loc, ctx.language)
        return value

    return Check(loc, convert)


def _key(defined: dict[str, str], value: str) -> str:
    """The key an answer means: the key itself, or a key or label in any case."""
    if value in defined:
        return value
    folded = {key.casefold(): key for key in defined} | {label.casefold(): key for key, label in defined.items()}
    return folded.get(value.casefold(), value)


def key_check(ctx: Context, loc: FieldPath, section: str) -> Check:
    """A key from site_config.yml (`themes`, `districts`, `need_kinds`: never money)."""

    def convert(value: str) -> str:
        key = _key(getattr(ctx.content.config, section), value.strip())
        if section == "need_kinds":
            _refuse(rules.need_kind_problem(ctx.content, key), loc, ctx.language)
        else:
            _refuse(rules.key_problem(ctx.content, key, section), loc, ctx.language)
        return key

    return Check(loc, convert)


def keys_check(ctx: Context, loc: FieldPath, section: str) -> Check:
    """Several keys, from repeated or comma-separated options; each once."""

    def convert(values: list[str]) -> list[str]:
        keys: list[str] = []
        for part in (part for value in values for part in value.split(",")):
            if part.strip():
                key = key_check(ctx, (*loc, len(keys)), section)(part)
                if key not in keys:
                    keys.append(key)
        return keys

    return Check(loc, convert)


def organization_kind_check(ctx: Context) -> Check:
    """`nonprofit`, `company` or `public` (or a German word for one)."""
    schema = field_check(ctx, ORGANIZATION, ("kind",))

    def convert(value: str) -> str:
        lowered = value.strip().lower()
        return schema(ORGANIZATION_KIND_WORDS.get(lowered, lowered))

    return Check(schema.loc, convert)


def date_check(ctx: Context, loc: FieldPath, earlier: tuple[str, dt.date] | None = None) -> Check:
    """A date (YYYY-MM-DD), not before the date of the field `earlier` when one is given."""

    def convert(value: str | dt.date) -> dt.date:
        if isinstance(value, dt.date):
            day = value
        else:
            try:
                day = dt.date.fromisoformat(value.strip())
            except ValueError:
                raise Refused(message("invalid-date", ctx.language, value=value)) from None
        if earlier is not None:
            _refuse(rules.order_problem(earlier[0], earlier[1], day), loc, ctx.language)
        return day

    return Check(loc, convert)


def id_check(ctx: Context, kind: ContentKind) -> Check:
    """An id chosen with `--id`: a valid file name (whether its address is free is checked with the entry)."""

    def convert(value: str) -> str:
        value = value.strip()
        if not valid_id(value):
            raise Refused(message("invalid-id", ctx.language, name=f"{value}{kind.suffix}", suffix=kind.suffix))
        return value

    return Check((), convert)


def proposal_check(ctx: Context) -> Check:
    """The proposal a cooperation grew from: one the validator accepted."""

    def convert(value: str) -> Entry:
        value = value.strip()
        entry = ctx.content.proposals.get(value)
        if entry is None:
            problem = rules.reference_problem(value, ctx.content.proposals, PROPOSAL, ctx.language)
            raise Refused(problem.text(("proposal",), ctx.language))
        return entry

    return Check(("proposal",), convert)
