"""`showcase new` checks each answer with the validator's rules, so a refusal reads as `showcase validate` would.

Field values go through the loader and the schema check (`scaffold_file.field_problems`); references, keys and
dates through the single-value rules in `rules`, an image through the validator's file rules. Only the
editor-friendly reading of an answer is done here: a label in any case names its key (`Logistik` → `logistik`),
German words name an organisation's kind or a yes/no choice. A title whose id is taken, or an organisation's name
that is already registered (ignoring case and legal forms), is refused with the file that has it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from pydantic_core import PydanticCustomError

from . import model as m
from . import rules
from .catalogue import message
from .content import Content, Entry, FieldPath, field_name
from .diagnostics import Diagnostic, display_path
from .kinds import ORGANIZATION, PROPOSAL, ContentKind
from .periods import Period, parse_period
from .project import SiteTheme
from .scaffold_ask import Check, Refused
from .scaffold_file import field_problems
from .slugs import organization_key, organization_slug, slugify
from .validate import valid_id

# Words an editor may type for an organisation's kind.
ORGANIZATION_KIND_WORDS = {
    "gemeinnuetzig": "nonprofit", "gemeinnützig": "nonprofit", "unternehmen": "company", "firma": "company",
    "oeffentlich": "public", "öffentlich": "public", "verein": "association", "verband": "association",
    "club": "association", "stiftung": "foundation", "schule": "school", "hochschule": "school",
    "einzelperson": "individual", "person": "individual",
    # Dutch
    "maatschappelijk": "nonprofit", "bedrijf": "company", "gemeente": "public", "vereniging": "association",
    "stichting": "foundation", "particulier": "individual",
}
# Words for a yes/no choice (pydantic's own words for a boolean, and German ones).
YES_NO = {word: True for word in ("ja", "j", "yes", "y", "true", "t", "on", "1")} | {
    word: False for word in ("nein", "nee", "n", "no", "false", "f", "off", "0")}


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
    """A key from site_config.yml (`themes`, `districts`, `need_kinds`), or its label."""

    def convert(value: str) -> str:
        config = ctx.content.config
        key = _key(config.need_labels if section == "need_kinds" else getattr(config, section), value.strip())
        _refuse(rules.key_problem(ctx.content, key, section), loc, ctx.language)
        return key

    return Check(loc, convert)


def keys_check(ctx: Context, loc: FieldPath, section: str) -> Check:
    """Several keys, from repeated or comma-separated options; each once."""

    def convert(values: list[str] | str) -> list[str]:
        keys: list[str] = []
        values = [values] if isinstance(values, str) else values
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


def date_check(ctx: Context, loc: FieldPath, earlier: tuple[str, Any] | None = None) -> Check:
    """A date (YYYY-MM-DD), month (YYYY-MM) or year, not before the date of the field `earlier` when one is given;
    the answer as the file will hold it (a date, or `2017-10` as text, or the year as a number)."""

    def convert(value: Any) -> Any:
        try:
            period = parse_period(value.strip() if isinstance(value, str) else value)
        except PydanticCustomError:
            raise Refused(message("invalid-date", ctx.language, value=value)) from None
        if earlier is not None and earlier[1] is not None:
            _refuse(rules.order_problem(earlier[0], parse_period(earlier[1]), period), loc, ctx.language)
        return as_written(period)

    return Check(loc, convert)


def as_written(period: Period | None) -> Any:
    """A period as an editor writes it in YAML: `2017-10-03` (a date), `"2017-10"` or `2017`."""
    if period is None:
        return None
    if period.precision == "day":
        return period.start
    return str(period) if period.precision == "month" else period.year


def id_check(ctx: Context, kind: ContentKind) -> Check:
    """An id chosen with `--id`: a valid file name that is free (its address is checked with the entry)."""

    def convert(value: str) -> str:
        value = value.strip()
        if not valid_id(value):
            raise Refused(message("invalid-id", ctx.language, name=f"{value}{kind.suffix}", suffix=kind.suffix))
        if taken(ctx, kind, value):
            raise Refused(exists_message(ctx, kind, value, fixed=True))
        return value

    return Check((), convert)


def derived_id(ctx: Context, kind: ContentKind, title: str) -> str:
    """The id a title (or an organisation's name) gives; a word such as `vorschlag` when it has no letters."""
    derive = organization_slug if kind is ORGANIZATION else slugify
    return derive(title) or ctx.say(f"fallback-id-{kind.name}")


def taken(ctx: Context, kind: ContentKind, entry_id: str) -> bool:
    path = ctx.content.root / kind.rel(entry_id)
    return path.exists() or path.is_symlink()


def exists_message(ctx: Context, kind: ContentKind, entry_id: str, fixed: bool) -> str:
    """The file is there: with `--id` it is not overwritten; from a title, another title or an `--id` is needed."""
    key = "exists" if fixed else "name-exists" if kind is ORGANIZATION else "title-exists"
    return ctx.say(key, path=display_path(ctx.content.root, kind.rel(entry_id)))


def title_check(ctx: Context, kind: ContentKind, loc: FieldPath, fixed_id: str | None) -> Check:
    """A title or name; unless the id is given (`--id`), the id it gives must be free: never a silent `-2`."""
    schema = field_check(ctx, kind, loc)

    def convert(value: str) -> str:
        value = schema(value)
        if kind is ORGANIZATION:
            same_organization(ctx, value)
        entry_id = derived_id(ctx, kind, value)
        if fixed_id is None and taken(ctx, kind, entry_id):
            raise Refused(exists_message(ctx, kind, entry_id, fixed=False))
        return value

    return Check(loc, convert)


def same_organization(ctx: Context, name: str) -> None:
    """Refuse a second organisation with the same name (ignoring case, punctuation and legal forms)."""
    wanted = organization_key(name)
    for entry in ctx.content.organizations.values():
        if organization_key(entry.data.name) == wanted:
            raise Refused(ctx.say("organization-exists", name=entry.data.name, id=entry.id,
                                  path=display_path(ctx.content.root, entry.path)))


def yes_no_check(ctx: Context, kind: ContentKind, loc: FieldPath) -> Check:
    """`ja`/`nein` (or yes/no, true/false) for a true/false field."""
    schema = field_check(ctx, kind, loc)

    def convert(value: str | bool) -> bool:
        if isinstance(value, bool):
            return value
        word = value.strip().casefold()
        if word not in YES_NO:
            schema(word)  # the validator's message for a value that is not true/false
            raise Refused(message("empty", ctx.language, field=field_name(loc)))
        return YES_NO[word]

    return Check(loc, convert)


def count_check(ctx: Context, kind: ContentKind, loc: FieldPath) -> Check:
    """A whole number (digits only: `1.200` is refused as the validator refuses it)."""
    schema = field_check(ctx, kind, loc)

    def convert(value: str | int) -> int:
        value = value.strip() if isinstance(value, str) else value
        if isinstance(value, str) and value.isascii() and value.isdigit():
            value = int(value)
        return schema(value)

    return Check(loc, convert)


class _Nowhere:
    """The position of a field in a file that does not exist yet."""

    def position(self, loc: FieldPath) -> tuple[int, int]:
        return 1, 1


def image_check(ctx: Context, loc: FieldPath = ("image",)) -> Check:
    """A proposal's image: a path inside content/images/ to a file that exists, checked by the validator's rules."""
    schema = field_check(ctx, PROPOSAL, loc)

    def convert(value: str) -> str:
        value = schema(value.strip().removeprefix("content/images/"))
        probe = Content(ctx.content.root, ctx.content.config)
        data = m.Proposal.model_construct(image=value)
        probe.proposals["new"] = Entry("new", PROPOSAL, PROPOSAL.rel("new"), data, {"image": value}, "", 1,
                                       _Nowhere())
        for diagnostic in rules.validate_files(probe):
            if diagnostic.severity == "error":
                raise Refused(diagnostic.message)
        return value

    return Check(loc, convert)


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
