"""`showcase new proposal|cooperation|organization`: a new content file that validates, from a few answers.

The essentials are asked for interactively (in the site's language) or taken from options, so scripts can use it
too (`--no-input` never asks). The file name (the id) is derived from the title: German umlauts transliterated
(ä → ae, ß → ss), everything else reduced to a–z, 0–9 and hyphens, at most 80 characters, made unique with -2, -3 …
An existing file is never overwritten. Every answer is checked the way the validator would check it — including
that a referenced organisation exists and is of the right kind — and the written text is parsed back and checked
against the model before it is written.
"""

from __future__ import annotations

import argparse
import builtins
import datetime as dt
import difflib
import json
import re
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from pydantic import BaseModel, ValidationError

from . import model as m
from .content import Content
from .diagnostics import display_path
from .kinds import KINDS
from .load import parse_yaml, split_front_matter
from .pipeline import report
from .rules import is_money
from .validate import ConfigError, load_config, load_kind

EXIT_OK, EXIT_USAGE = 0, 2

# Legal forms left out of organisation ids ("Malerei Koch GmbH" → malerei-koch), as they appear in a slug.
LEGAL_FORMS = (
    "e-v", "ev", "ggmbh", "gmbh", "mbh", "ag", "gag", "kg", "kgaa", "se", "gmbh-und-co-kg", "gmbh-co-kg", "ug",
    "ug-haftungsbeschraenkt", "eg", "gbr", "ohg", "e-k", "ek", "partg", "partg-mbb",
)
# Line breaks (YAML also breaks at \x85, U+2028, U+2029), control and text-direction characters.
_UNSAFE_TEXT = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}

# --- texts in the site's language ------------------------------------------------------------------------------

TEXTS: dict[str, dict[str, str]] = {
    "title": {"de": "Titel (höchstens {limit} Zeichen)", "en": "Title (at most {limit} characters)"},
    "name": {"de": "Name der Organisation", "en": "Name of the organisation"},
    "summary": {"de": "Kurzfassung in ein, zwei Sätzen (höchstens {limit} Zeichen)",
                "en": "Summary in one or two sentences (at most {limit} characters)"},
    "organization": {"de": "Kennung der gemeinnützigen Organisation", "en": "Id of the non-profit organisation"},
    "org-kind": {"de": "Art: nonprofit (gemeinnützig), company (Unternehmen) oder public (öffentlich)",
                 "en": "Kind: nonprofit, company or public"},
    "need-kind": {"de": "Art des Bedarfs ({allowed})", "en": "Kind of need ({allowed})"},
    "need-more": {"de": "Weiterer Bedarf – Art ({allowed}; leer lassen, um fertig zu sein)",
                  "en": "Another need – kind ({allowed}; leave empty to finish)"},
    "need": {"de": "Was genau gebraucht wird (höchstens {limit} Zeichen)",
             "en": "What exactly is needed (at most {limit} characters)"},
    "partner": {"de": "Kennung des Unternehmens oder der öffentlichen Stelle",
                "en": "Id of the company or public body"},
    "partner-more": {"de": "Weiterer Partner – Kennung (leer lassen, um fertig zu sein)",
                     "en": "Another partner – id (leave empty to finish)"},
    "partner-kind": {"de": "Art des Beitrags ({allowed})", "en": "Kind of contribution ({allowed})"},
    "contribution": {"de": "Was der Partner beigetragen hat", "en": "What the partner contributed"},
    "started": {"de": "Beginn (JJJJ-MM-TT)", "en": "Start (YYYY-MM-DD)"},
    "completed": {"de": "Abschluss (JJJJ-MM-TT)", "en": "Completion (YYYY-MM-DD)"},
    # problems
    "required": {"de": "Bitte eine Angabe machen.", "en": "Please enter a value."},
    "missing-option": {"de": "Es fehlt die Angabe {option} ({label}).", "en": "{option} is missing ({label})."},
    "too-long": {"de": "Der Text ist {length} Zeichen lang; erlaubt sind höchstens {limit}.",
                 "en": "The text is {length} characters long; at most {limit} are allowed."},
    "control": {"de": "Der Text enthält Zeilenumbrüche oder unsichtbare Steuerzeichen; bitte entfernen.",
                "en": "The text contains line breaks or invisible control characters; please remove them."},
    "unknown-org": {
        "de": "Es gibt keine Organisation mit der Kennung `{value}` (Datei "
        "`content/organizations/{value}.yml`).{suggestion} Neue Organisationen legt "
        "`showcase new organization` an.",
        "en": "There is no organisation with the id `{value}` (file `content/organizations/{value}.yml`)."
        "{suggestion} `showcase new organization` creates new ones.",
    },
    "wrong-org-kind": {
        "de": "`{value}` ist als `{actual}` eingetragen; hier ist eine Organisation der Art {expected} nötig.",
        "en": "`{value}` is registered as `{actual}`; an organisation of kind {expected} is needed here.",
    },
    "nonprofit": {"de": "`nonprofit` (gemeinnützig)", "en": "`nonprofit`"},
    "company-public": {"de": "`company` (Unternehmen) oder `public` (öffentlich)", "en": "`company` or `public`"},
    "unknown-proposal": {
        "de": "Es gibt keinen gültigen Vorschlag mit der Kennung `{value}` (Datei "
        "`content/proposals/{value}.md`).{suggestion} `showcase validate` zeigt, ob die Datei Fehler enthält.",
        "en": "There is no valid proposal with the id `{value}` (file `content/proposals/{value}.md`)."
        "{suggestion} `showcase validate` shows whether the file has errors.",
    },
    "suggestion": {"de": " Meinten Sie `{name}`?", "en": " Did you mean `{name}`?"},
    "possible": {"de": " Möglich: {names}.", "en": " Possible: {names}."},
    "unknown-key": {"de": "`{value}` ist in site_config.yml unter `{section}` nicht definiert. Möglich: {allowed}.",
                    "en": "`{value}` is not defined under `{section}` in site_config.yml. Possible: {allowed}."},
    "money": {"de": "`{value}` ist Geld. Das Netzwerk vermittelt nie Geld, sondern Sachspenden, Zeit, "
              "Dienstleistungen und Fachwissen.",
              "en": "`{value}` is money. The network never brokers money, only in-kind donations, time, services "
              "and expertise."},
    "invalid-kind": {"de": "`{value}` ist keine Art; erlaubt sind `nonprofit`, `company` und `public`.",
                     "en": "`{value}` is not a kind; allowed are `nonprofit`, `company` and `public`."},
    "invalid-date": {"de": "`{value}` ist kein gültiges Datum; bitte als JJJJ-MM-TT angeben (z. B. 2026-03-01).",
                     "en": "`{value}` is not a valid date; please write YYYY-MM-DD (e.g. 2026-03-01)."},
    "date-order": {"de": "Der Abschluss ({value}) liegt vor dem Beginn ({other}).",
                   "en": "The completion ({value}) is before the start ({other})."},
    "invalid-email": {"de": "`{value}` ist keine gültige E-Mail-Adresse.",
                      "en": "`{value}` is not a valid e-mail address."},
    "invalid-url": {"de": "`{value}` ist keine gültige Webadresse; sie muss mit https:// oder http:// beginnen.",
                    "en": "`{value}` is not a valid web address; it must start with https:// or http://."},
    "invalid-id": {"de": "`{value}` ist keine gültige Kennung: nur Kleinbuchstaben a–z, Ziffern und Bindestriche, "
                   "höchstens 80 Zeichen.",
                   "en": "`{value}` is not a valid id: only lowercase a–z, digits and hyphens, at most 80 "
                   "characters."},
    "exists": {"de": "Die Datei {path} gibt es schon; sie wird nicht überschrieben.",
               "en": "The file {path} already exists; it is not overwritten."},
    "count-mismatch": {"de": "{first} und {second} müssen gleich oft angegeben werden.",
                       "en": "{first} and {second} must be given the same number of times."},
    "needs-option": {"de": "{option} geht nur zusammen mit {other}.", "en": "{option} needs {other}."},
    "too-many": {"de": "{option} ist öfter angegeben als {base}.", "en": "{option} is given more often than {base}."},
    "unwritable": {"de": "Die Datei {path} kann nicht geschrieben werden ({reason}).",
                   "en": "The file {path} cannot be written ({reason})."},
    "internal": {"de": "Die neue Datei wäre ungültig ({detail}); sie wurde nicht geschrieben.",
                 "en": "The new file would be invalid ({detail}); it was not written."},
    "error": {"de": "Fehler: {text}", "en": "Error: {text}"},
    "created": {"de": "Angelegt. Bitte die Datei ergänzen und mit `showcase validate` prüfen "
                "(Vorschau: `showcase serve`).",
                "en": "Created. Please complete the file and check it with `showcase validate` "
                "(preview: `showcase serve`)."},
    "proposal-status": {
        "de": "Hinweis: Der Vorschlag `{value}` hat den Status `{status}`. Wenn die Kooperation abgeschlossen ist, "
        "bitte dort `status: completed` setzen.",
        "en": "Note: the proposal `{value}` has the status `{status}`. When the cooperation is finished, please "
        "set `status: completed` there.",
    },
    # bodies
    "body-proposal": {
        "de": "## Hintergrund\n\n_Bitte ausfüllen: Wer sind wir, was machen wir?_\n\n"
        "## Was genau gebraucht wird\n\n{needs}\n\n"
        "## Warum es wichtig ist\n\n_Bitte ausfüllen: Was ändert sich, wenn der Bedarf gedeckt ist – und für wen?_\n",
        "en": "## Background\n\n_Please fill in: who we are and what we do._\n\n"
        "## What exactly is needed\n\n{needs}\n\n"
        "## Why it matters\n\n_Please fill in: what changes when the need is met, and for whom?_\n",
    },
    "body-cooperation": {
        "de": "## Ausgangslage\n\n{story}\n\n"
        "## Was passiert ist\n\n_Bitte ausfüllen: Wer hat was beigetragen, wie lief die Umsetzung?_\n\n"
        "## Was es gebracht hat\n\n_Bitte ausfüllen: Was hat sich verändert, für wie viele Menschen?_\n",
        "en": "## Where we started\n\n{story}\n\n"
        "## What happened\n\n_Please fill in: who contributed what, and how did it go?_\n\n"
        "## What it achieved\n\n_Please fill in: what has changed, and for how many people?_\n",
    },
    "story-empty": {"de": "_Bitte ausfüllen: Worum ging es, was fehlte?_",
                    "en": "_Please fill in: what was it about, what was missing?_"},
    "fallback-id-proposal": {"de": "vorschlag", "en": "proposal"},
    "fallback-id-cooperation": {"de": "kooperation", "en": "cooperation"},
    "fallback-id-organization": {"de": "organisation", "en": "organisation"},
}


class UsageError(Exception):
    """Bad input: reported as one plain sentence, exit code 2."""


def text(key: str, language: str, **ctx: Any) -> str:
    entry = TEXTS[key]
    return entry.get(language, entry["en"]).format(**ctx)


# --- ids -------------------------------------------------------------------------------------------------------

_TRANSLITERATION = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def slugify(title: str, max_length: int = m.MAX_ID_LENGTH) -> str:
    """`"Schlafsäcke für die Wärmestube!"` → `"schlafsaecke-fuer-die-waermestube"` (may be empty)."""
    lowered = title.lower().translate(_TRANSLITERATION)  # "ẞ".lower() is "ß"
    lowered = re.sub(r"\s*&\s*", " und ", lowered)
    ascii_text = unicodedata.normalize("NFKD", lowered).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    return shorten(slug, max_length)


def shorten(slug: str, max_length: int) -> str:
    """Cut an id to `max_length`, preferably at a hyphen, never leaving one at the end."""
    if len(slug) <= max_length:
        return slug
    cut = slug[:max_length]
    if slug[max_length] != "-" and "-" in cut and cut.rindex("-") >= max_length // 2:
        cut = cut[: cut.rindex("-")]
    return cut.strip("-")


def organization_slug(name: str) -> str:
    """Like slugify, without a trailing legal form: `"Malerei Koch GmbH"` → `"malerei-koch"`."""
    slug = slugify(name, max_length=10_000)
    for form in sorted(LEGAL_FORMS, key=len, reverse=True):
        suffix = "-" + form
        if slug.endswith(suffix) and len(slug) > len(suffix):
            slug = slug[: -len(suffix)]
            break
    return shorten(slug, m.MAX_ID_LENGTH)


def candidate_ids(base: str):
    """`base`, `base-2`, `base-3` … each at most 80 characters."""
    yield shorten(base, m.MAX_ID_LENGTH)
    number = 2
    while True:
        suffix = f"-{number}"
        yield shorten(base, m.MAX_ID_LENGTH - len(suffix)) + suffix
        number += 1


def write_new_file(folder: Path, base: str, suffix: str, text_: str, fixed: bool) -> Path:
    """Write `text_` to the first free `<id><suffix>` in `folder`; never overwrite (exclusive create)."""
    folder.mkdir(parents=True, exist_ok=True)
    for candidate in ([base] if fixed else candidate_ids(base)):
        path = folder / f"{candidate}{suffix}"
        try:
            with path.open("x", encoding="utf-8", newline="\n") as handle:
                handle.write(text_)
        except FileExistsError:
            if fixed:
                raise
            continue
        return path
    raise FileExistsError(str(folder / f"{base}{suffix}"))


# --- asking ----------------------------------------------------------------------------------------------------

Check = Callable[[str], Any]
"""Turns an answer into a value or raises ValueError with a message for the editor."""


@dataclass
class Asker:
    """Takes a value from its option, or asks for it; with `interactive` off (or stdin closed) it never asks."""

    language: str
    interactive: bool = True
    read: Callable[[str], str] = builtins.input
    err: TextIO = field(default_factory=lambda: sys.stderr)

    def option(self, option: str, given: Any, check: Check) -> Any:
        """A value that is only ever given as an option (never asked for)."""
        if given is None:
            return None
        try:
            return check(given)
        except ValueError as error:
            raise UsageError(f"{option}: {error}") from None

    def value(self, option: str, label: str, given: Any, check: Check, default: Any = None,
              optional: bool = False) -> Any:
        """An essential: from its option, else asked for (Enter takes the default), else the default."""
        if given is not None:
            return self.option(option, given, check)
        while True:
            answer = self._ask(label, default)
            if answer is None:  # no one to ask
                if default is not None:
                    return self.option(option, default, check)
                if optional:
                    return None
                raise UsageError(text("missing-option", self.language, option=option, label=label))
            if not answer:
                if default is not None:
                    return self.option(option, default, check)
                if optional:
                    return None
                print(text("required", self.language), file=self.err)
                continue
            try:
                return check(answer)
            except ValueError as error:
                print(str(error), file=self.err)

    def _ask(self, label: str, default: Any) -> str | None:
        if not self.interactive:
            return None
        shown = f" [{default}]" if default not in (None, "") else ""
        try:
            return self.read(f"{label}{shown}: ").strip()
        except (EOFError, OSError):
            # Closed or captured stdin: behave as with --no-input from here on.
            self.interactive = False
            return None


# --- checks ----------------------------------------------------------------------------------------------------


@dataclass
class Context:
    root: Path
    content: Content
    language: str
    today: dt.date

    def say(self, key: str, **ctx: Any) -> str:
        return text(key, self.language, **ctx)


def check_text(ctx: Context, limit: int) -> Check:
    def check(value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError(ctx.say("required"))
        if _UNSAFE_TEXT.search(value):
            raise ValueError(ctx.say("control"))
        if len(value) > limit:
            raise ValueError(ctx.say("too-long", length=len(value), limit=limit))
        return value

    return check


def check_organization(ctx: Context, kinds: tuple[str, ...]) -> Check:
    def check(value: str) -> str:
        value = value.strip()
        organizations = ctx.content.organizations
        entry = organizations.get(value)
        if entry is None:
            fitting = [key for key, org in organizations.items() if org.data.kind in kinds]
            close = difflib.get_close_matches(value, fitting, n=1, cutoff=0.6)
            suggestion = ctx.say("suggestion", name=close[0]) if close else ""
            if fitting and not close:
                shown = ", ".join(f"`{key}`" for key in sorted(fitting)[:20])
                suggestion = ctx.say("possible", names=shown + (" …" if len(fitting) > 20 else ""))
            raise ValueError(ctx.say("unknown-org", value=value, suggestion=suggestion))
        if entry.data.kind not in kinds:
            expected = ctx.say("nonprofit" if kinds == ("nonprofit",) else "company-public")
            raise ValueError(ctx.say("wrong-org-kind", value=value, actual=entry.data.kind, expected=expected))
        return value

    return check


def check_key(ctx: Context, section: str, money_check: bool = False) -> Check:
    """A key from site_config.yml; its label (any case) is accepted too."""

    def check(value: str) -> str:
        value = value.strip()
        defined: dict[str, str] = getattr(ctx.content.config, section)
        by_label = {label.casefold(): key for key, label in defined.items()}
        key = value if value in defined else by_label.get(value.casefold(), value.lower())
        if money_check and is_money(key):
            raise ValueError(ctx.say("money", value=value))
        if key not in defined:
            allowed = ", ".join(f"`{k}`" for k in defined) or "—"
            raise ValueError(ctx.say("unknown-key", value=value, section=section, allowed=allowed))
        return key

    return check


def check_keys(ctx: Context, section: str) -> Callable[[list[str]], list[str]]:
    single = check_key(ctx, section)

    def check(values: list[str]) -> list[str]:
        keys: list[str] = []
        for value in values:
            for part in value.split(","):
                if part.strip():
                    key = single(part)
                    if key not in keys:
                        keys.append(key)
        return keys

    return check


def check_org_kind(ctx: Context) -> Check:
    aliases = {"gemeinnuetzig": "nonprofit", "gemeinnützig": "nonprofit", "verein": "nonprofit",
               "unternehmen": "company", "firma": "company", "oeffentlich": "public", "öffentlich": "public"}

    def check(value: str) -> str:
        lowered = value.strip().lower()
        kind = aliases.get(lowered, lowered)
        if kind not in ("nonprofit", "company", "public"):
            raise ValueError(ctx.say("invalid-kind", value=value))
        return kind

    return check


def check_date(ctx: Context, not_before: dt.date | None = None) -> Check:
    def check(value: str | dt.date) -> dt.date:
        if isinstance(value, dt.date):
            day = value
        else:
            try:
                day = dt.date.fromisoformat(value.strip())
            except ValueError:
                raise ValueError(ctx.say("invalid-date", value=value)) from None
        if not_before is not None and day < not_before:
            raise ValueError(ctx.say("date-order", value=day.isoformat(), other=not_before.isoformat()))
        return day

    return check


def check_pattern(ctx: Context, pattern: str, code: str) -> Check:
    def check(value: str) -> str:
        value = value.strip()
        if not re.fullmatch(pattern, value):
            raise ValueError(ctx.say(code, value=value))
        return value

    return check


def check_id(ctx: Context) -> Check:
    def check(value: str) -> str:
        value = value.strip()
        if len(value) > m.MAX_ID_LENGTH or not re.fullmatch(m.ID_PATTERN, value):
            raise ValueError(ctx.say("invalid-id", value=value))
        return value

    return check


# --- writing YAML ----------------------------------------------------------------------------------------------


def to_yaml(data: dict[str, Any], indent: int = 0) -> str:
    """Block-style YAML as editors write it: text in double quotes, ids and dates plain, keys in model order."""
    lines: list[str] = []
    pad = " " * indent
    for key, value in data.items():
        if value is None or value == [] or value == {}:
            continue
        if isinstance(value, dict):
            lines.append(f"{pad}{key}:\n{to_yaml(value, indent + 2)}")
        elif isinstance(value, list) and all(isinstance(item, dict) for item in value):
            lines.append(f"{pad}{key}:")
            for item in value:
                body = to_yaml(item, indent + 4)
                lines.append(f"{pad}  - {body[indent + 4:]}".rstrip("\n"))
        elif isinstance(value, list):
            lines.append(f"{pad}{key}: [{', '.join(_scalar(item) for item in value)}]")
        else:
            lines.append(f"{pad}{key}: {_scalar(value)}")
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float):
        return str(value)
    text_ = str(value)
    if re.fullmatch(r"[a-z][a-z0-9_-]*", text_) and text_ not in _YAML_WORDS:
        return text_
    return json.dumps(text_, ensure_ascii=False)  # a JSON string is a valid double-quoted YAML scalar


def render_file(data: dict[str, Any], body: str | None) -> str:
    front = to_yaml(data)
    if body is None:
        return front
    return f"---\n{front}---\n{body}"


def verify(ctx: Context, model: type[BaseModel], data: dict[str, Any], rendered: str, markdown: bool) -> None:
    """Parse the rendered text back with the validator's loader and check it against the model."""
    parts = split_front_matter(rendered) if markdown else None
    if parts is not None:
        document, problems = parse_yaml(parts[0], "new", ctx.language, line_offset=1)
    else:
        document, problems = parse_yaml(rendered, "new", ctx.language)
    detail = "; ".join(p.message for p in problems)
    if not problems:
        try:
            parsed = model.model_validate(document.data)
            expected = model.model_validate(data)
            if parsed != expected:
                detail = "round trip"
        except ValidationError as error:
            detail = str(error.errors()[0]["msg"])
    if detail:
        raise UsageError(ctx.say("internal", detail=detail))


# --- the three kinds -------------------------------------------------------------------------------------------


def new_proposal(ctx: Context, args: argparse.Namespace, asker: Asker) -> tuple[dict[str, Any], str, str]:
    say = ctx.say
    title = asker.value("--title", say("title", limit=120), args.title, check_text(ctx, 120))
    organization = asker.value("--organization", say("organization"), args.organization,
                               check_organization(ctx, ("nonprofit",)))
    summary = asker.value("--summary", say("summary", limit=300), args.summary, check_text(ctx, 300))
    needs = ask_needs(ctx, args, asker)
    data = {
        "title": title,
        "organization": organization,
        "summary": summary,
        "status": "submitted",
        "submitted": ctx.today,
        "themes": asker.option("--theme", args.theme, check_keys(ctx, "themes")),
        "district": asker.option("--district", args.district, check_key(ctx, "districts")),
        "needs": needs,
    }
    if args.contact_name:
        data["contact"] = {
            "name": check_text(ctx, 120)(args.contact_name),
            "email": asker.option("--contact-email", args.contact_email,
                                  check_pattern(ctx, m.EMAIL_PATTERN, "invalid-email")),
            "public": False,
        }
    elif args.contact_email:
        raise UsageError(say("needs-option", option="--contact-email", other="--contact-name"))
    listed = "\n".join(f"- {need['description']}" for need in needs)
    body = say("body-proposal", needs=listed)
    return data, body, title


def ask_needs(ctx: Context, args: argparse.Namespace, asker: Asker) -> list[dict[str, Any]]:
    kinds, descriptions = args.need_kind or [], args.need or []
    if len(kinds) != len(descriptions):
        raise UsageError(ctx.say("count-mismatch", first="--need-kind", second="--need"))
    allowed = ", ".join(ctx.content.config.need_kinds)
    kind_check, description_check = check_key(ctx, "need_kinds", money_check=True), check_text(ctx, 500)
    if kinds:
        return [{"kind": asker.option("--need-kind", kind, kind_check),
                 "description": asker.option("--need", description, description_check)}
                for kind, description in zip(kinds, descriptions, strict=True)]
    needs = []
    while True:
        label = ctx.say("need-kind" if not needs else "need-more", allowed=allowed)
        kind = asker.value("--need-kind", label, None, kind_check, optional=bool(needs))
        if kind is None:
            return needs
        description = asker.value("--need", ctx.say("need", limit=500), None, description_check)
        needs.append({"kind": kind, "description": description})


def new_cooperation(ctx: Context, args: argparse.Namespace, asker: Asker) -> tuple[dict[str, Any], str, str]:
    say = ctx.say
    proposal = None
    if args.from_proposal is not None:
        proposal_id = args.from_proposal.strip()
        entry = ctx.content.proposals.get(proposal_id)
        if entry is None:
            close = difflib.get_close_matches(proposal_id, list(ctx.content.proposals), n=1, cutoff=0.6)
            suggestion = say("suggestion", name=close[0]) if close else ""
            raise UsageError(say("unknown-proposal", value=proposal_id, suggestion=suggestion))
        proposal = entry
    p = proposal.data if proposal else None
    title = asker.value("--title", say("title", limit=120), args.title, check_text(ctx, 120),
                        default=p.title if p else None)
    organization = asker.value("--organization", say("organization"), args.organization,
                               check_organization(ctx, ("nonprofit",)), default=p.organization if p else None)
    partners = ask_partners(ctx, args, asker, p)
    started = asker.value("--started", say("started"), args.started, check_date(ctx),
                          default=(p.matched or p.reviewed or ctx.today) if p else ctx.today)
    completed = asker.value("--completed", say("completed"), args.completed, check_date(ctx, not_before=started),
                            default=max(ctx.today, started))
    data = {
        "title": title,
        "organization": organization,
        "summary": asker.option("--summary", args.summary, check_text(ctx, 300)),
        "proposal": proposal.id if proposal else None,
        "partners": partners,
        "started": started,
        "completed": completed,
        "themes": asker.option("--theme", args.theme, check_keys(ctx, "themes")) or (list(p.themes) if p else []),
        "district": asker.option("--district", args.district if args.district is not None else
                                 (p.district if p else None), check_key(ctx, "districts")),
    }
    story = demote_headings(proposal.document.body.strip()) if proposal else ""
    body = say("body-cooperation", story=story or say("story-empty"))
    if p and p.status != "completed":
        print(say("proposal-status", value=proposal.id, status=p.status), file=asker.err)
    return data, body, title


def ask_partners(ctx: Context, args: argparse.Namespace, asker: Asker, proposal: m.Proposal | None
                 ) -> list[dict[str, Any]]:
    ids, kinds, contributions = args.partner or [], args.partner_kind or [], args.contribution or []
    for option, values in (("--partner-kind", kinds), ("--contribution", contributions)):
        if len(values) > max(len(ids), 1):
            raise UsageError(ctx.say("too-many", option=option, base="--partner"))
    allowed = ", ".join(ctx.content.config.need_kinds)
    first_need = proposal.needs[0] if proposal else None
    org_check = check_organization(ctx, ("company", "public"))
    partners: list[dict[str, Any]] = []
    index = 0
    while True:
        if index < len(ids):
            given = ids[index]
        elif ids:  # all given as options
            return partners
        else:
            given = None
        label = ctx.say("partner" if not partners else "partner-more")
        organization = asker.value("--partner", label, given, org_check, optional=bool(partners))
        if organization is None:
            return partners
        partners.append({
            "organization": organization,
            "kind": asker.value("--partner-kind", ctx.say("partner-kind", allowed=allowed), _nth(kinds, index),
                                check_key(ctx, "need_kinds", money_check=True),
                                default=first_need.kind if first_need and index == 0 else None),
            "contribution": asker.value("--contribution", ctx.say("contribution"), _nth(contributions, index),
                                        check_text(ctx, 500),
                                        default=first_need.description if first_need and index == 0 else None),
        })
        index += 1


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


def new_organization(ctx: Context, args: argparse.Namespace, asker: Asker) -> tuple[dict[str, Any], None, str]:
    say = ctx.say
    name = asker.value("--name", say("name"), args.name, check_text(ctx, 120))
    kind = asker.value("--kind", say("org-kind"), args.kind, check_org_kind(ctx))
    data = {
        "name": name,
        "kind": kind,
        "website": asker.option("--website", args.website, check_pattern(ctx, m.URL_PATTERN, "invalid-url")),
        "district": asker.option("--district", args.district, check_key(ctx, "districts")),
        "description": asker.option("--description", args.description, check_text(ctx, 1000)),
    }
    return data, None, name


BUILDERS = {
    "proposal": (new_proposal, m.Proposal, "proposals"),
    "cooperation": (new_cooperation, m.Cooperation, "cooperations"),
    "organization": (new_organization, m.Organization, "organizations"),
}


# --- command ---------------------------------------------------------------------------------------------------


def add_parser(sub: argparse._SubParsersAction, add_config: Callable[[argparse.ArgumentParser], None],
               texts: Any = None) -> None:
    """`showcase new KIND …` (called from cli.build_parser)."""
    new = sub.add_parser("new", help="create a new proposal, cooperation or organisation file")
    kinds = new.add_subparsers(dest="new_kind", required=True, metavar="KIND")

    def common(parser: argparse.ArgumentParser) -> None:
        add_config(parser)
        parser.add_argument("--id", default=None,
                            help="file name without extension (default: derived from the title or name)")
        parser.add_argument("--date", default=None, help="today's date, YYYY-MM-DD (default: the real today)")
        parser.add_argument("--no-input", action="store_true",
                            help="never ask; fail with exit code 2 when an essential option is missing")
        parser.add_argument("--district", default=None, help="district key from site_config.yml")

    proposal = kinds.add_parser("proposal", help="a new proposal (status submitted)")
    common(proposal)
    proposal.add_argument("--title", default=None, help="title (at most 120 characters); the id is derived from it")
    proposal.add_argument("--organization", default=None, help="id of the non-profit organisation")
    proposal.add_argument("--summary", default=None, help="summary, plain text (at most 300 characters)")
    proposal.add_argument("--need-kind", action="append", default=None,
                          help="kind of need (key from need_kinds); repeat together with --need")
    proposal.add_argument("--need", action="append", default=None, help="what exactly is needed; repeatable")
    proposal.add_argument("--theme", action="append", default=None, help="theme key; repeatable or comma-separated")
    proposal.add_argument("--contact-name", default=None, help="contact person (not published)")
    proposal.add_argument("--contact-email", default=None, help="e-mail of the contact person (not published)")

    cooperation = kinds.add_parser("cooperation", help="a new success story")
    common(cooperation)
    cooperation.add_argument("--from-proposal", default=None, metavar="ID",
                             help="pre-fill title, organisation, themes, district and story from this proposal")
    cooperation.add_argument("--title", default=None,
                             help="title (default with --from-proposal: the proposal's); the id is derived from it")
    cooperation.add_argument("--organization", default=None, help="id of the non-profit organisation")
    cooperation.add_argument("--summary", default=None, help="summary, plain text (at most 300 characters)")
    cooperation.add_argument("--partner", action="append", default=None,
                             help="id of a company or public body; repeatable")
    cooperation.add_argument("--partner-kind", action="append", default=None,
                             help="kind of contribution of the partner at the same position")
    cooperation.add_argument("--contribution", action="append", default=None,
                             help="what the partner at the same position contributed")
    cooperation.add_argument("--started", default=None,
                             help="YYYY-MM-DD (default: the proposal's matched or reviewed date, else today)")
    cooperation.add_argument("--completed", default=None, help="YYYY-MM-DD (default: today)")
    cooperation.add_argument("--theme", action="append", default=None, help="theme key; repeatable")

    organization = kinds.add_parser("organization", help="a new organisation")
    common(organization)
    organization.add_argument("--name", default=None, help="name as shown on the site; the id is derived from it")
    organization.add_argument("--kind", default=None, help="nonprofit, company or public")
    organization.add_argument("--website", default=None, help="https://…")
    organization.add_argument("--description", default=None, help="one to three sentences (Markdown)")


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def run(args: argparse.Namespace, read: Callable[[str], str] | None = None, out: TextIO | None = None,
        err: TextIO | None = None) -> int:
    """`showcase new`: exit 0 with the new file's path on stdout, or 2 with one plain sentence on stderr.

    Missing essentials are asked for with `read` (default: input(), only when stdin is a terminal)."""
    out, err = out or sys.stdout, err or sys.stderr
    config_path: Path = args.config
    try:
        config = load_config(config_path)
    except ConfigError as error:
        report(error.diagnostics, config_path.absolute().parent, "human", "de", err)
        return EXIT_USAGE
    content = Content(root=config_path.absolute().parent, config=config)
    language = content.language
    builder, model, attribute = BUILDERS[args.new_kind]
    needed = ["organizations"] + (["proposals"] if getattr(args, "from_proposal", None) else [])
    for kind in KINDS:
        if kind.attribute in needed:
            load_kind(content, kind)
    # Without a terminal (CI, scripts, pipes) nothing is asked: prompts would end up in the captured output.
    interactive = not args.no_input and (read is not None or _is_terminal(sys.stdin))
    asker = Asker(language, interactive=interactive, read=read or builtins.input, err=err)
    try:
        ctx = Context(content.root, content, language, dt.date.today())
        if args.date is not None:
            ctx.today = asker.option("--date", args.date, check_date(ctx))
        fixed_id = asker.option("--id", args.id, check_id(ctx))
        data, body, title = builder(ctx, args, asker)
        data = {key: value for key, value in data.items() if value not in (None, [], {})}
        rendered = render_file(data, body)
        verify(ctx, model, data, rendered, body is not None)
        kind = next(k for k in KINDS if k.attribute == attribute)
        base = fixed_id or (organization_slug(title) if attribute == "organizations" else slugify(title))
        base = base or ctx.say(f"fallback-id-{args.new_kind}")
        try:
            path = write_new_file(content.root / kind.folder, base, kind.suffix, rendered, fixed_id is not None)
        except FileExistsError:
            rel = f"{kind.folder}/{base}{kind.suffix}"
            raise UsageError(ctx.say("exists", path=display_path(content.root, rel))) from None
        except OSError as error:
            rel = f"{kind.folder}/{base}{kind.suffix}"
            raise UsageError(ctx.say("unwritable", path=display_path(content.root, rel),
                                     reason=error.strerror or error)) from None
    except UsageError as error:
        print(text("error", language, text=error), file=err)
        return EXIT_USAGE
    print(display_path(content.root, path.relative_to(content.root).as_posix()), file=out)
    print(text("created", language), file=err)
    return EXIT_OK
