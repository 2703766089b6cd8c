"""Rules about what one entry says: placeholders that would go online, repeated list entries, e-mail domain typos,
a proposal image without alt text, and what a public repository must not hold.

`validate_entries` runs with the other cross-file rules (so `showcase new` refuses what it would report);
`validate_placeholders` runs in `showcase validate` only: a story `showcase new` writes carries its prompts until
the editor fills them in, and it must not go online before.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Any

import ahocorasick_rs

from .catalogue import catalogue
from .content import Content, Entry, FieldPath, field_name
from .diagnostics import Diagnostic, field_diagnostic
from .kinds import ORGANIZATION, PROPOSAL

# The editor guide's template (CONTRIBUTING.md, step 4): the lines of its text that are prompts, not headings.
TEMPLATE_PROMPTS = (
    "Wer sind wir, was machen wir?",
    "Was ändert sich, wenn der Bedarf gedeckt ist – und für wen?",
    "Zehn gebrauchte Laptops …",
)
# The template's example person.
EXAMPLE_PEOPLE = ("Leonie Beispiel",)
# `showcase new`'s prompts in its texts: `_Bitte ausfüllen: Wer sind wir, was machen wir?_`.
PROMPT = re.compile(r"_([^:_\n]+):\s*([^_\n]+)_")
# Reserved example domains (RFC 2606), with any subdomain: in an e-mail address, a web address or a text.
EXAMPLE_DOMAIN = re.compile(r"(?<![\w.-])(?:[\w-]+\.)*example\.(?:org|com|net)(?![\w-])", re.IGNORECASE)
_MARKUP = " \t#>*_-"


def _normal(text: str) -> str:
    return " ".join(text.strip().strip(_MARKUP).split()).casefold()


@cache
def _prompts() -> tuple[frozenset[str], tuple[str, ...]]:
    """The prompt sentences (whole lines) and the markers (`bitte ausfüllen`) of both languages."""
    sentences = {_normal(prompt) for prompt in TEMPLATE_PROMPTS}
    markers = set()
    for language in ("de", "en"):
        texts = catalogue(language).strings.get("new", {})
        for key in ("body-proposal", "body-cooperation", "story-empty"):
            for marker, sentence in PROMPT.findall(str(texts.get(key, ""))):
                markers.add(_normal(marker))
                sentences.add(_normal(sentence))
    return frozenset(sentences), tuple(sorted(markers))


@cache
def _needles() -> tuple[list[str], ahocorasick_rs.AhoCorasick]:
    """Every prompt sentence, marker and example person as they appear in a casefolded text, in one automaton
    (one pass over a text, however many needles)."""
    sentences, markers = _prompts()
    needles = sorted({*sentences, *markers, *(person.casefold() for person in EXAMPLE_PEOPLE), "example."})
    return needles, ahocorasick_rs.AhoCorasick(needles)


def _may_hold_problems(text: str, example: bool) -> bool:
    """One cheap look at all of an entry's text before its published lines are checked one by one: every
    placeholder, and every example domain, leaves one of these substrings in the casefolded text (nearly all
    entries hold none)."""
    folded = " ".join(text.casefold().split())
    needles, automaton = _needles()
    return any(needles[index] != "example." or not example
               for index, _, _ in automaton.find_matches_as_indexes(folded, overlapping=True))


def placeholder_in(text: str) -> str | None:
    """The template prompt, `showcase new` marker or example person in one line of text, if any."""
    sentences, markers = _prompts()
    normal = _normal(text)
    if normal in sentences or any(marker in normal for marker in markers):
        return text.strip()
    lowered = text.casefold()
    return next((person for person in EXAMPLE_PEOPLE if person.casefold() in lowered), None)


# --- placeholders that would go online ---------------------------------------------------------------------------


def validate_placeholders(content: Content) -> list[Diagnostic]:
    """Prompts, the example person and example-domain addresses in every entry that is published."""
    diagnostics: list[Diagnostic] = []
    example = content.config.network.example
    for entry in _published(content):
        if not _may_hold_problems("\n".join([entry.body, *_values(entry.fields)]), example):
            continue
        for loc, value in [*_published_texts(entry), (None, entry.body)]:
            for number, line in enumerate(value.splitlines()):
                diagnostics += _line_problems(content, entry, loc, line, number, example)
    return diagnostics


def _published(content: Content) -> Iterator[Entry]:
    yield from (entry for entry in content.entries()
                if entry.kind is not ORGANIZATION and entry.kind.published(entry.data))


def _published_texts(entry: Entry) -> Iterator[tuple[FieldPath, str]]:
    for loc, value in _texts(entry.fields, ()):
        if entry.kind is PROPOSAL and loc[:1] == ("contact",) and not entry.data.contact.public:
            continue  # never published
        yield loc, value


def _values(fields: dict[str, Any]) -> list[str]:
    """Every text value of an entry's fields, private ones included, in no particular order: the quick look
    (`_may_hold_problems`) needs only a superset, and a loop is many times faster than walking with `_texts`."""
    found, stack = [], [fields]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return found


def _texts(value: Any, loc: FieldPath) -> Iterator[tuple[FieldPath, str]]:
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, (*loc, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, (*loc, index))


def _line_problems(content: Content, entry: Entry, loc: FieldPath | None, line: str, number: int,
                   example: bool) -> list[Diagnostic]:
    found = []
    placeholder = placeholder_in(line)
    if placeholder is not None:
        code = "placeholder-person" if placeholder in EXAMPLE_PEOPLE else "placeholder"
        found.append((code, line.find(placeholder), {"value": placeholder}))
    if not example:
        found += [("example-domain", match.start(), {"value": match.group(0)})
                  for match in EXAMPLE_DOMAIN.finditer(line)]
    return [_at(content, entry, loc, number, column, code, ctx) for code, column, ctx in found]


def _at(content: Content, entry: Entry, loc: FieldPath | None, number: int, column: int, code: str,
        ctx: dict[str, Any]) -> Diagnostic:
    """A field's problem stands at the field; a body's at its line and column."""
    language = content.language
    if loc is not None:
        return field_diagnostic(entry, loc, code, language, where=f"`{field_name(loc)}`: ", **ctx)
    text = catalogue(language).message(code, where="", **ctx)
    return Diagnostic(entry.path, entry.body_line + number, max(column, 0) + 1, "", code, "error", text)


# --- one entry at a time ---------------------------------------------------------------------------------------


def validate_entries(content: Content) -> list[Diagnostic]:
    """Repeated list entries, e-mail domain typos, proposal images without alt text, a public repository."""
    diagnostics: list[Diagnostic] = []
    language = content.language
    for entry in content.proposals.values():
        diagnostics += _duplicates(entry, "themes", language, lambda theme: theme)
        diagnostics += _duplicates(entry, "needs", language, lambda need: (need.kind, _normal(need.description)))
        if entry.data.image and not entry.data.image_alt:
            diagnostics.append(field_diagnostic(entry, ("image",), "image-alt-missing", language))
        if entry.data.contact and entry.data.contact.email:
            diagnostics += _email_typo(entry, ("contact", "email"), entry.data.contact.email, language)
    for entry in content.cooperations.values():
        diagnostics += _duplicates(entry, "themes", language, lambda theme: theme)
        diagnostics += _duplicates(entry, "partners", language, lambda partner: (partner.organization or
                                                                                  partner.unnamed, partner.kind,
                                                                                  partner.state))
    for entry in content.entries():
        diagnostics += _duplicates(entry, "aliases", language, lambda alias: alias)
    diagnostics += validate_public_repository(content)
    return diagnostics


def _duplicates(entry: Entry, name: str, language: str, key: Any) -> list[Diagnostic]:
    seen: dict[Any, int] = {}
    diagnostics = []
    for index, item in enumerate(getattr(entry.data, name, ())):
        first = seen.setdefault(key(item), index)
        if first != index:
            code = {"partners": "duplicate-partner", "needs": "duplicate-need"}.get(name, "duplicate-entry")
            value = item if isinstance(item, str) else getattr(item, "organization", getattr(item, "kind", ""))
            diagnostics.append(field_diagnostic(entry, (name, index), code, language, value=value,
                                                first=f"{name}[{first}]", kind=getattr(item, "kind", "")))
    return diagnostics


def _email_typo(entry: Entry, loc: FieldPath, email: str, language: str) -> list[Diagnostic]:
    local, _, domain = email.rpartition("@")
    suggestion = domain_suggestion(domain)
    if suggestion is None:
        return []
    return [field_diagnostic(entry, loc, "email-typo", language, "warning", value=email, domain=domain,
                             suggestion=f"{local}@{suggestion}")]


# Mail providers editors use most, and the misspellings of their top-level domains seen in practice.
MAIL_DOMAINS = (
    "gmail.com", "googlemail.com", "web.de", "gmx.de", "gmx.net", "gmx.com", "gmx.at", "gmx.ch", "t-online.de",
    "freenet.de", "arcor.de", "posteo.de", "mailbox.org", "mail.de", "email.de", "online.de", "aol.com", "aol.de",
    "yahoo.com", "yahoo.de", "hotmail.com", "hotmail.de", "outlook.com", "outlook.de", "live.com", "live.de",
    "icloud.com", "me.com", "mac.com", "mail.com", "vodafone.de", "kabelmail.de",
)
TLD_TYPOS = {"con": "com", "cmo": "com", "ocm": "com", "vom": "com", "xom": "com", "comm": "com", "cm": "com",
             "co": "com", "dr": "de", "ed": "de", "dee": "de", "d": "de", "nte": "net", "ner": "net"}


def _one_edit_apart(a: str, b: str) -> bool:
    """One letter wrong, missing, extra, or two neighbours swapped (`gmial`, `wbe`, `tonline`)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        swapped = len(diffs) == 2 and diffs[1] == diffs[0] + 1 and a[diffs[0]] == b[diffs[1]] \
            and a[diffs[1]] == b[diffs[0]]
        return len(diffs) == 1 and len(a) >= 5 or swapped
    short, long = sorted((a, b), key=len)
    return len(short) >= 4 and any(long[:i] + long[i + 1:] == short for i in range(len(long)))


def domain_suggestion(domain: str) -> str | None:
    """The provider's domain an address most likely meant (`gmail.con` → `gmail.com`), or None."""
    domain = domain.lower()
    if domain in MAIL_DOMAINS or "." not in domain:
        return None
    name, _, tld = domain.rpartition(".")
    tld = TLD_TYPOS.get(tld, tld)
    providers = [known.rpartition(".") for known in MAIL_DOMAINS]
    if any(known_name == name for known_name, _, _ in providers):
        # The provider's name is right (`gmail.de`): only a misspelt top-level domain is a typo.
        return next((f"{name}.{tld}" for known_name, _, known_tld in providers
                     if known_name == name and known_tld == tld), None)
    return next((f"{known_name}.{tld}" for known_name, _, known_tld in providers
                 if known_tld == tld and _one_edit_apart(name, known_name)), None)


# --- a public repository ---------------------------------------------------------------------------------------


def validate_public_repository(content: Content) -> list[Diagnostic]:
    """In a public repository every file is readable by anyone: no internal proposal, no private contact."""
    config = content.config
    if not config.site.repo_public or config.network.example:
        return []
    diagnostics = []
    language = content.language
    for entry in content.entries():
        if not entry.kind.published(entry.data):
            diagnostics.append(field_diagnostic(entry, ("status",), "repo-public-status", language,
                                                value=entry.data.status))
        contact = getattr(entry.data, "contact", None)
        if contact is not None and not contact.public:
            diagnostics.append(field_diagnostic(entry, ("contact", "public"), "repo-public-contact", language))
    return diagnostics

