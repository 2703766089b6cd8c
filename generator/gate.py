"""Stage 7 — privacy gate: scan every built file for what must never be published.

The publish stage already keeps internal entries and private contacts out; this gate checks the result, so a
template, a theme update or a plugin that leaks something fails the build instead of publishing it. It reads the
output the way a visitor or a crawler would: HTML text and attributes unescaped, JSON strings decoded, gzip opened.
"""

from __future__ import annotations

import contextlib
import gzip
import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import ahocorasick

from . import model as m
from .bodies import render_markdown
from .catalogue import message
from .content import Content
from .diagnostics import Diagnostic
from .kinds import PROPOSAL

TEXT_SUFFIXES = {".html", ".json", ".xml", ".txt", ".js", ".css", ".svg", ".gz", ".md"}
MIN_SENTENCE = 30
MIN_SECRET = 8
_TAGS = re.compile(r"<[^>]+>")
# Starts at the literal '@' so the regex engine can skip ahead; the local part is found by walking back.
_AT_DOMAIN = re.compile(r"@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_LOCAL_PART = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-")
_TEL = re.compile(r"""href=["']tel:([^"']+)["']""")


@dataclass(frozen=True)
class Secret:
    text: str
    what: str
    """Where it comes from, for the error message: `content/proposals/x.md: title`."""


def normalise(text: str) -> str:
    """Runs of white space folded to one blank (str.split is several times faster than a regex here)."""
    return " ".join(text.split())


def collect_secrets(content: Content) -> list[Secret]:
    """Titles, ids and body sentences of internal proposals; every contact detail not marked public."""
    secrets: list[Secret] = []
    public_details = _public_contact_details(content)
    public_text = _public_source_text(content)
    for entry in content.proposals.values():
        data = entry.data
        if data.status not in m.PUBLIC_STATUSES:
            secrets.append(Secret(normalise(data.title), f"{entry.path}: title"))
            secrets.append(Secret(normalise(data.summary), f"{entry.path}: summary"))
            if "-" in entry.id and len(entry.id) >= 8:  # short ids could be ordinary words
                secrets.append(Secret(entry.id, f"{entry.path}: id"))
            secrets += [Secret(s, f"{entry.path}: body") for s in _sentences(entry.body)]
        contact = data.contact
        if contact and not contact.public:
            for name, value in (("email", contact.email), ("phone", contact.phone), ("name", contact.name)):
                if value and normalise(value) not in public_details:
                    secrets.append(Secret(normalise(value), f"{entry.path}: contact.{name}"))
                    if name == "phone":
                        secrets.append(Secret(value.replace(" ", ""), f"{entry.path}: contact.phone"))
    # What editors themselves put into public content (a resubmitted proposal's title, a quoted name) is public;
    # very short texts ("Jugend") would match everywhere.
    candidates = [s for s in dict.fromkeys(secrets) if len(s.text) >= MIN_SECRET and s.text not in public_details]
    # One automaton pass over the public text instead of one substring search per secret (quadratic at scale).
    public = {secret.text for _, secret in _automaton(candidates).iter(public_text)} if candidates else set()
    return [secret for secret in candidates if secret.text not in public]


def _public_contact_details(content: Content) -> set[str]:
    coordination = content.config.network.contact
    details = {coordination.email, coordination.name, coordination.phone or ""}
    for entry in content.proposals.values():
        contact = entry.data.contact
        if contact and contact.public and entry.data.status in m.PUBLIC_STATUSES:
            details |= {contact.name, contact.email or "", contact.phone or ""}
    # Phone numbers also without blanks, as they appear in tel: links.
    normalised = {normalise(detail) for detail in details if detail}
    return normalised | {detail.replace(" ", "") for detail in normalised}


def _public_source_text(content: Content) -> str:
    """All text of public content as written by the editors: stories, public proposals, pages, organisations."""
    parts: list[str] = []
    entries = [entry for entry in content.entries()
               if entry.kind is not PROPOSAL or entry.data.status in m.PUBLIC_STATUSES]
    for entry in entries:
        data = {key: value for key, value in entry.fields.items() if key != "contact"}
        parts += [*_strings(data), entry.body]
    return normalise("\n".join(parts))


def _sentences(body: str) -> list[str]:
    text = html.unescape(_TAGS.sub(" ", str(render_markdown(body))))
    parts = re.split(r"(?<=[.!?])\s+|\n", text)
    return [normalise(part) for part in parts if len(normalise(part)) >= MIN_SENTENCE]


def read_published_text(file: Path) -> str:
    """A built file as a visitor would read it."""
    raw = file.read_bytes()
    if file.suffix == ".gz":
        raw = gzip.decompress(raw)
    text = raw.decode("utf-8", errors="replace")
    if file.suffix == ".json":
        with contextlib.suppress(ValueError):
            text = "\n".join(_strings(json.loads(text)))
    return normalise(html.unescape(text))


def _strings(value) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def published_files(site_dir: Path) -> list[Path]:
    return sorted(p for p in site_dir.rglob("*") if p.is_file() and p.suffix in TEXT_SUFFIXES)


def scan_for_leaks(content: Content, site_dir: Path, shown_as: str, language: str) -> list[Diagnostic]:
    """Errors for every secret found in a built file; warnings for contact details nobody made public."""
    secrets = collect_secrets(content)
    automaton = _automaton(secrets)
    allowed = _public_contact_details(content)
    diagnostics: list[Diagnostic] = []
    for file in published_files(site_dir):
        rel = file.relative_to(site_dir).as_posix()
        text = read_published_text(file)
        found = {secret for _, secret in automaton.iter(text)} if secrets else set()
        for secret in sorted(found, key=lambda s: (s.text, s.what)):
            diagnostics.append(Diagnostic(
                f"{shown_as}/{rel}", 1, 1, "", "privacy-leak", "error",
                message("privacy-leak", language, file=rel, what=secret.what, text=_short(secret.text)),
            ))
        if file.suffix == ".html":
            diagnostics += _unexpected_contacts(text, f"{shown_as}/{rel}", allowed, language)
    return diagnostics


def _automaton(secrets: list[Secret]) -> ahocorasick.Automaton:
    """All secrets in one Aho-Corasick automaton: one pass over each file, however many secrets there are."""
    automaton = ahocorasick.Automaton()
    for secret in secrets:
        automaton.add_word(secret.text, secret)  # a text from two sources is reported for the last one
    if secrets:
        automaton.make_automaton()
    return automaton


def _unexpected_contacts(text: str, rel: str, allowed: set[str], language: str) -> list[Diagnostic]:
    """E-mail addresses and `tel:` links on a page (text as read by read_published_text, tags kept)."""
    found = set(_emails(text))
    if "tel:" in text:
        found |= {normalise(tel) for tel in _TEL.findall(text)}
    return [
        Diagnostic(rel, 1, 1, "", "unexpected-contact", "warning",
                   message("unexpected-contact", language, value=value))
        for value in sorted(found)
        if value not in allowed and value.replace(" ", "") not in allowed
    ]


def _emails(text: str) -> Iterator[str]:
    for match in _AT_DOMAIN.finditer(text):
        start = match.start()
        while start > 0 and text[start - 1] in _LOCAL_PART:
            start -= 1
        if start < match.start():
            yield text[start : match.end()]


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "…"
