"""Stage 7 — privacy gate: scan every built file for what must never be published.

The publish stage already keeps internal entries and private contacts out; this gate checks the result, so a
template, a theme update or a plugin that leaks something fails the build instead of publishing it. It reads the
output the way a visitor or a crawler would: HTML text and attributes unescaped, JSON strings decoded, gzip opened.

Secrets and published text are compared after the same folding (`fold`): case, HTML entities, percent-encoding,
invisible characters (zero-width, soft hyphen, bidi controls) and Unicode compatibility forms (full-width
letters) make no difference, so an encoding that hides a text from a reviewer hides it from the gate neither.
Phone numbers are compared as digits in their national form, whatever the notation. All secrets sit in one
Aho-Corasick automaton (one pass over each file); each hit counts only at word boundaries (ids and e-mail
addresses: whole path segments), so `jugend-treff` does not fire inside `jugend-treff-2` or `Jugend-Treffpunkt`.
Every error is reported at the content file that owns the secret, naming the built file where it was found.
What repeats on every page is read once per build (`Reader`); the web editor's scripts, copied unchanged from
their verified package, and the search index's word chunks (`DERIVED_SUFFIXES`) are not read.
"""

from __future__ import annotations

import contextlib
import gzip
import html
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import ahocorasick_rs
import cbor2

from . import model as m
from .bodies import render_markdown
from .catalogue import message
from .content import Content, Entry, field_name
from .diagnostics import Diagnostic, shorten
from .helper import in_two
from .images import metadata_found

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif"}
BINARY_SUFFIXES = {".woff", ".woff2", ".ttf", ".otf", ".eot", ".ico"}
DERIVED_SUFFIXES = {".pf_index"}
"""Not read: Pagefind's word chunks hold every word of the indexed pages once more, normalised (lower case,
without accents or hyphens, stemmed: `zwölf` → `zwolf`, `USB-Stick` → `usbstick`) and apart, so no secret of
two words, an address or a number could be matched in them; the same words stand whole in the pages' fragments
(`.pf_fragment`, JSON), which the gate reads like every other file. Decoding the chunks (millions of numbers)
took a third of the gate's time."""
MIN_SENTENCE = 30
MIN_SECRET = 8
MIN_PHONE_DIGITS = 6
_TAGS = re.compile(r"<[^>]+>")
# Applied to casefolded text only, so without IGNORECASE (which made it twice as slow).
_INLINE_TAGS = re.compile(r"</?(?:a|abbr|b|bdi|bdo|cite|code|del|em|i|ins|kbd|mark|q|s|small|span|strong|sub|sup|"
                          r"u|wbr)\b[^>]*>")
# Starts at the literal '@' so the regex engine can skip ahead; the local part is found by walking back.
_AT_DOMAIN = re.compile(r"@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_LOCAL_PART = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-")
_TEL = re.compile(r"""href=["']tel:([^"']+)["']""")
# Zero-width characters, soft hyphens, word joiners, bidi controls: invisible on a page, so ignored.
_INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_PLUS_BLANK = re.compile(r"\+(?!\d)")  # a `+` in a URL query is a blank; `+49` stays a phone number
# Digits with the separators of phone notations (a run starts at a digit, `+` or `(`; a character class is fast).
_PHONE_RUN = re.compile(r"[+(\d][\d ()/.\-\u2010-\u2013]{5,}")
_COUNTRY = re.compile(r"(?:\+ ?|(?<!\d)00)49 ?(?:\( ?0 ?\) ?)?")
_DIGITS = re.compile(r"\d+")
_PERCENT = re.compile(r"(?:%[0-9A-Fa-f]{2})+")
_BLOCKS = re.compile(r"\n(?=[ \t]*</?(?:div|nav|header|footer|section|ul|ol|head|body|article|aside|main|form|"
                     r"table|script|link|meta|label|input)\b)")
"""Where `Reader` cuts a text: at the line breaks before block elements' tags (found by measuring: about
six lines to a block, and the repeated markup of the pages falls into the same blocks)."""
_RESIZED_COPY = re.compile(r"\.\d+w\.(?:avif|webp|jpg|png)$")


def normalise(text: str) -> str:
    """Runs of white space folded to one blank (str.split is several times faster than a regex here)."""
    return " ".join(text.split())


def fold(text: str) -> str:
    """A text as the gate compares it: decoded (entities, percent-encoding), invisible characters dropped,
    compatibility forms unified (NFKC), case folded, white space normalised."""
    text = html.unescape(text)
    if "%" in text:
        text = html.unescape(_PERCENT.sub(_percent_decoded, text))
    if "+" in text:
        text = _PLUS_BLANK.sub(" ", text)
    if not text.isascii():  # every invisible character is outside ASCII
        text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", _INVISIBLE.sub("", text)))
    return normalise(text.casefold())


def _percent_decoded(match: re.Match[str]) -> str:
    return bytes.fromhex(match.group().replace("%", "")).decode("utf-8", errors="replace")


def plain(text: str) -> str:
    """A text as an editor wrote it, only case and white space ignored: what counts as already public."""
    return normalise(text.casefold())


def national_phone(value: str) -> str:
    """`+49 (0)681 12 34-56`, `0049681123456`, `(0681) 123456` … → `0681123456`; other countries as `00…`."""
    return "".join(_DIGITS.findall(_COUNTRY.sub("0", value).replace("+", "00")))


@dataclass(frozen=True, order=True)
class Secret:
    text: str
    """Folded (`fold`); for phone numbers the national digits."""
    what: str
    """Where it comes from, for the error message: `content/proposals/x.md: title`."""
    path: str
    """The content file that owns it, relative to the project."""
    field: str = ""
    line: int = 1
    column: int = 1
    kind: str = "text"
    """`text` (words), `token` (ids: whole path segments), `email` or `phone`."""
    shown: str = ""
    """As written in the content file, for the message."""


def collect_secrets(content: Content) -> list[Secret]:
    """Titles, ids and body sentences of internal proposals and offers; every contact detail not marked public."""
    secrets: list[Secret] = []
    for entry in content.entries():
        if entry.kind.public_statuses is not None:
            secrets += _internal_secrets(entry)
    public_details, public_phones = _public_contact_details(content)
    candidates = [
        s for s in dict.fromkeys(secrets)
        if (s.kind == "phone" and len(s.text) >= MIN_PHONE_DIGITS and s.text not in public_phones)
        or (s.kind != "phone" and len(s.text) >= MIN_SECRET and plain(s.shown) not in public_details)
    ]
    # What editors themselves put into public content (a resubmitted proposal's title, a quoted name) is public
    # as written; an encoded form of it (entities, invisible characters, full-width letters) is not. A private
    # e-mail address or phone number stays private wherever it was copied to.
    words = [_as_plain(s) for s in candidates if s.kind in ("text", "token")]
    exempt = Matcher(words).find(_public_source_text(content))
    return [s for s in candidates if _as_plain(s) not in exempt]


def _as_plain(secret: Secret) -> Secret:
    return Secret(plain(secret.shown), secret.what, secret.path, kind=secret.kind)


def _internal_secrets(entry: Entry) -> Iterator[Secret]:
    data = entry.data

    def secret(value: str, loc: tuple, kind: str = "text", line: int | None = None) -> Secret:
        name = field_name(loc)
        position = (line, 1) if line else entry.position(loc) if loc else (1, 1)
        text = national_phone(value) if kind == "phone" else fold(value)
        return Secret(text, f"{entry.path}: {name or 'id'}", entry.path, name, *position, kind, normalise(value))

    if not entry.kind.published(data):
        yield secret(data.title, ("title",))
        yield secret(data.summary, ("summary",))
        if "-" in entry.id and len(entry.id) >= 8:  # short ids could be ordinary words
            yield secret(entry.id, (), "token")
        for sentence in _sentences(entry.body):
            yield Secret(fold(sentence), f"{entry.path}: body", entry.path, "body", entry.body_line, 1,
                         shown=sentence)
    contact = getattr(data, "contact", None)
    if contact and not contact.public:
        if contact.email:
            yield secret(contact.email, ("contact", "email"), "email")
        if contact.phone:
            yield secret(contact.phone, ("contact", "phone"), "phone")
        if contact.name:
            yield secret(contact.name, ("contact", "name"))


def _public_contact_details(content: Content) -> tuple[set[str], set[str]]:
    """Contact details shown on purpose (`plain`), and their phone numbers in national form."""
    coordination = content.config.network.contact
    details = {coordination.email, coordination.name, coordination.phone or ""}
    for entry in content.proposals.values():
        contact = entry.data.contact
        if contact and contact.public and entry.data.status in m.PUBLIC_STATUSES:
            details |= {contact.name, contact.email or "", contact.phone or ""}
    phones = {national_phone(detail) for detail in details if detail}
    return {plain(detail) for detail in details if detail}, {phone for phone in phones if phone}


def _public_source_text(content: Content) -> str:
    """All text of public content as written by the editors: stories, public proposals, pages, organisations."""
    parts: list[str] = []
    entries = [entry for entry in content.entries() if entry.kind.published(entry.data)]
    for entry in entries:
        data = {key: value for key, value in entry.fields.items() if key != "contact"}
        parts += [*_strings(data), entry.body]
    return plain("\n".join(parts))


def _sentences(body: str) -> list[str]:
    text = html.unescape(_TAGS.sub(" ", str(render_markdown(body))))
    parts = re.split(r"(?<=[.!?])\s+|\n", text)
    return [normalise(part) for part in parts if len(normalise(part)) >= MIN_SENTENCE]


# --- matching ----------------------------------------------------------------------------------------------------


class Matcher:
    """All secrets in one Aho-Corasick automaton: one pass over a text, however many secrets there are."""

    def __init__(self, secrets: list[Secret]):
        groups: dict[str, list[Secret]] = {}
        phones: dict[str, list[Secret]] = {}
        for secret in secrets:
            (phones if secret.kind == "phone" else groups).setdefault(secret.text, []).append(secret)
        self.texts = Automaton(groups)
        self.phones = Automaton(phones)

    def find(self, folded: str) -> set[Secret]:
        """The secrets in an already folded text, each found at word (or path segment) boundaries."""
        found: set[Secret] = set()
        for start, end, secrets in self.texts.matches(folded):
            found |= {s for s in secrets if _bounded(folded, start, end, s.kind)}
        if self.phones:
            for number in _phone_hits(folded, self.phones):
                found |= set(self.phones.values[number])
        return found


class Automaton:
    """Texts to look for, each with its values; `matches` yields every place one occurs (overlapping ones too)."""

    def __init__(self, values: dict[str, list[Secret]]):
        self.keys = list(values)
        self.values = {key: tuple(found) for key, found in values.items()}
        # ahocorasick-rs (Rust) searches several times faster than pyahocorasick's iterator did.
        self.automaton = ahocorasick_rs.AhoCorasick(self.keys) if self.keys else None

    def __bool__(self) -> bool:
        return self.automaton is not None

    def matches(self, text: str) -> Iterator[tuple[int, int, tuple[Secret, ...]]]:
        if self.automaton is None:
            return
        for index, start, end in self.automaton.find_matches_as_indexes(text, overlapping=True):
            yield start, end, self.values[self.keys[index]]


def _bounded(text: str, start: int, end: int, kind: str) -> bool:
    """True when text[start:end] is a whole word (`text`), path segment (`token`) or address (`email`)."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    if kind == "text":
        return not (text[start].isalnum() and before.isalnum()) and not (text[end - 1].isalnum() and after.isalnum())
    if kind == "token":
        return not (before.isalnum() or before in "-_") and not (after.isalnum() or after in "-_")
    following = text[end + 1] if end + 1 < len(text) else " "  # an e-mail address: `a.b@x.de` is not `b@x.de`
    return (not (before.isalnum() or before in "._%+-")
            and not (after.isalnum() or after in "-_" or (after == "." and following.isalnum())))


def _phone_hits(text: str, numbers: Automaton | set[str]) -> Iterator[str]:
    """Phone numbers (national digits) of `numbers` written in `text`, in any notation: each digit run is taken
    apart into its groups, and a number counts when it starts and ends at a group's edge."""
    if not numbers:
        return
    digits: list[str] = []
    starts: set[int] = set()
    ends: set[int] = set()
    offset = 0
    for run in _PHONE_RUN.finditer(text):
        for group in _DIGITS.findall(_COUNTRY.sub("0", run.group()).replace("+", "00")):
            starts.add(offset)
            offset += len(group)
            ends.add(offset)
            digits.append(group)
        digits.append("|")
        offset += 1
    stream = "".join(digits)
    if isinstance(numbers, set):
        numbers = Automaton({number: [] for number in numbers})
    for start, end, _ in numbers.matches(stream):
        if start in starts and end in ends:
            yield stream[start:end]


# --- reading the built site --------------------------------------------------------------------------------------


def _decoded(file: Path) -> str:
    """The text of a built file: gzip opened (by name, or by content: the search index's files are gzip whatever
    they are called), JSON strings decoded, the text strings of the search index's binary files taken out
    (entities and tags still in place)."""
    raw = file.read_bytes()
    if file.suffix == ".gz" or raw.startswith(_GZIP):
        with contextlib.suppress(OSError, EOFError):  # not gzip after all: read as it is
            raw = gzip.decompress(raw)
    if raw.startswith(_PAGEFIND):
        return _pagefind_text(raw[len(_PAGEFIND) :])
    text = raw.decode("utf-8", errors="replace")
    if file.suffix == ".json":
        with contextlib.suppress(ValueError):
            text = "\n".join(_strings(json.loads(text)))
    if file.suffix == ".ics":
        text = _ICS_ESCAPE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), _ICS_FOLD.sub("", text))
    return text


_GZIP = b"\x1f\x8b"
_PAGEFIND = b"pagefind_dcd"
"""How Pagefind (search.py) starts each of its index files once decompressed."""


def _pagefind_text(data: bytes) -> str:
    """A Pagefind file's text: a page's fragment is JSON (its text, URL, metadata), the index, metadata and
    filter files are CBOR (words, ids, filter values); its WebAssembly program is read as it is."""
    if data[:1] == b"{":
        with contextlib.suppress(ValueError):
            return "\n".join(_strings(json.loads(data)))
    elif not data.startswith(b"\0asm"):
        with contextlib.suppress(cbor2.CBORDecodeError):
            return "\n".join(_strings(cbor2.loads(data)))
    return data.decode("utf-8", errors="replace")


# iCalendar folds long lines (CRLF + one space or tab) and escapes `\,`, `\;`, `\\`, `\n`: a word must not hide
# across a fold or behind an escape (RFC 5545, 3.1 and 3.3.11).
_ICS_FOLD = re.compile(r"\r?\n[ \t]")
_ICS_ESCAPE = re.compile(r"\\([\\;,nN])")


def _strings(value) -> Iterator[str]:
    """Every text of decoded JSON or CBOR, each on its own, in order (CBOR byte strings when they are UTF-8)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, bytes):
        with contextlib.suppress(UnicodeDecodeError):
            yield value.decode("utf-8")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key) if isinstance(key, (str, bytes)) else (str(key),)
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            if type(item) is not int:  # the search index's lists hold millions of numbers: no call for each
                yield from _strings(item)
    elif isinstance(value, cbor2.CBORTag):
        yield from _strings(value.value)


def published_files(site_dir: Path) -> tuple[list[Path], list[Path]]:
    """Every built file, in one walk: those the gate reads as text, and the images it checks for metadata."""
    texts, images = [], []
    for path in sorted(p for p in site_dir.rglob("*") if p.is_file()):
        suffix = path.suffix.lower()
        if suffix in IMAGE_SUFFIXES:
            images.append(path)
        elif suffix not in BINARY_SUFFIXES and suffix not in DERIVED_SUFFIXES:
            texts.append(path)
    return texts, images


def scan_for_leaks(content: Content, site_dir: Path, shown_as: str, language: str,
                   vendored: Iterable[Path] = ()) -> list[Diagnostic]:
    """Errors for every secret found in a built file and every image with metadata; warnings for contact details
    nobody made public. `vendored`: files copied unchanged from an integrity-checked package (the web editor's
    scripts, 6 MB), which cannot hold anything of ours; they are not read."""
    texts, images = published_files(site_dir)
    skipped = set(vendored)
    searched = [file for file in texts if file not in skipped]
    diagnostics: list[Diagnostic] = []
    for file, read in read_all(searched, collect_secrets(content), _public_contact_details(content)):
        rel = f"{shown_as}/{file.relative_to(site_dir).as_posix()}"
        for secret in sorted(read.secrets):
            diagnostics.append(Diagnostic(
                secret.path, secret.line, secret.column, secret.field, "privacy-leak", "error",
                message("privacy-leak", language, file=rel, what=secret.what, text=shorten(secret.shown)),
            ))
        if file.suffix == ".html":
            diagnostics += [Diagnostic(rel, 1, 1, "", "unexpected-contact", "warning",
                                       message("unexpected-contact", language, value=value))
                            for value in sorted(read.contacts)]
    for file in images:
        diagnostics += _image_metadata(content, file, file.relative_to(site_dir).as_posix(), shown_as, language)
    return diagnostics


PARALLEL_FROM = 1500
"""From this many files on, a second process reads half of them (a site of 1,000 + 1,000 entries has about 5,000;
reading them took most of the gate's time on one core). A small site is read here: a process costs more."""


def read_all(files: list[Path], secrets: list[Secret], allowed: tuple[set[str], set[str]]
             ) -> list[tuple[Path, Found]]:
    """What each file holds, for the files where something was found, in the order of `files`."""
    return in_two("generator.gate", _read_part, files, PARALLEL_FROM, secrets, allowed)


def _read_part(files: list[Path], secrets: list[Secret], allowed: tuple[set[str], set[str]]
               ) -> list[tuple[Path, Found]]:
    reader = Reader(secrets, allowed)
    found = [(file, reader.read(_decoded(file))) for file in files]
    return [(file, read) for file, read in found if read.secrets or read.contacts]


@dataclass(frozen=True)
class Found:
    """What the gate found in one built file: secrets, and contact details nobody made public."""

    secrets: frozenset[Secret]
    contacts: frozenset[str]


@dataclass(frozen=True)
class _Block:
    stripped: str
    """The block's folded text without tags (`zauber<b>wort</b>` reads as one word)."""
    open_tag: bool
    """A tag opens in this block and closes in a later one: its text cannot be stripped block by block."""
    secrets: frozenset[Secret]
    """Secrets in the folded block (tags kept)."""
    contacts: frozenset[str]


class Reader:
    """Finds secrets in built files, block by block of whole lines, each block read once per build.

    Most of a built page (head, header, navigation, footer) repeats on every page; folding and searching it again
    for each of thousands of pages was most of the gate's time. A text is cut into blocks before each line that
    opens or closes an HTML block element (`_BLOCKS`), so the same markup gives the same blocks on every page, and
    a block's result is kept once it has been seen twice (what occurs once, the pages' own text, costs no memory).

    Block by block finds what the whole text would give. Folding: no entity, percent sequence, tag or contact
    detail spans a line break, and white space is normalised either way. Searching the folded text (tags kept):
    every block after the first starts with a tag, so only a secret containing `<` or `>` could span two blocks,
    and those are also searched in the whole text. The text without tags, where words of neighbouring blocks meet,
    is searched as a whole (it is a fraction of the page); a tag that spans blocks sends its file through the
    whole-text path."""

    def __init__(self, secrets: list[Secret], allowed: tuple[set[str], set[str]]):
        self.matcher = Matcher(secrets)
        spanning = [secret for secret in secrets if "<" in secret.text or ">" in secret.text]
        self.spanning = Matcher(spanning) if spanning else None
        self.allowed = allowed
        self.seen: set[int] = set()
        self.blocks: dict[str, _Block] = {}

    def read(self, text: str) -> Found:
        blocks = [self._block(block) for block in _BLOCKS.split(text)]
        if any(block.open_tag for block in blocks) or self.spanning is not None:
            folded = " ".join(fold(block) for block in _BLOCKS.split(text))
            found = self.matcher.find(_without_tags(folded))
            if self.spanning is not None:
                found |= self.spanning.find(folded)
        else:
            found = self.matcher.find(" ".join(block.stripped for block in blocks if block.stripped))
        return Found(frozenset(found.union(*(block.secrets for block in blocks))),
                     frozenset().union(*(block.contacts for block in blocks)))

    def _block(self, text: str) -> _Block:
        block = self.blocks.get(text)
        if block is not None:
            return block
        folded = fold(text)
        block = _Block(_without_tags(folded) if "<" in folded else folded, folded.rfind("<") > folded.rfind(">"),
                       frozenset(self.matcher.find(folded)), self._contacts(text))
        key = hash(text)
        if key in self.seen:
            self.blocks[text] = block
        else:
            self.seen.add(key)
        return block

    def _contacts(self, text: str) -> frozenset[str]:
        """E-mail addresses and `tel:` links in a block (text as a visitor reads it, tags kept) that are not shown
        on purpose."""
        if "@" not in text and "tel:" not in text and "&" not in text:
            return frozenset()
        details, phones = self.allowed
        text = normalise(html.unescape(text))
        found = {email for email in _emails(text) if plain(email) not in details}
        if "tel:" in text:
            found |= {normalise(tel) for tel in _TEL.findall(text)
                      if plain(tel) not in details and national_phone(tel) not in phones}
        return frozenset(found)


def _without_tags(folded: str) -> str:
    return normalise(_TAGS.sub(" ", _INLINE_TAGS.sub("", folded)))


def _image_metadata(content: Content, file: Path, rel: str, shown_as: str, language: str) -> list[Diagnostic]:
    """An error for a built image that carries metadata, at the content image it came from (if any)."""
    kinds = metadata_found(file)
    if not kinds:
        return []
    # A resized copy (`foto.jpg.480w.webp`, urls.image_variant) belongs to the content image it was made from.
    parts = _RESIZED_COPY.sub("", rel).split("/")
    owners = [f"content/images/{'/'.join(parts[i:])}" for i in range(1, len(parts))]
    owner = next((o for o in owners if (content.root / o).is_file()), f"{shown_as}/{rel}")
    return [Diagnostic(owner, 1, 1, "", "image-metadata", "error",
                       message("image-metadata", language, file=f"{shown_as}/{rel}", kinds=", ".join(kinds)))]


def _emails(text: str) -> Iterator[str]:
    for match in _AT_DOMAIN.finditer(text):
        start = match.start()
        while start > 0 and text[start - 1] in _LOCAL_PART:
            start -= 1
        if start < match.start():
            yield text[start : match.end()]


if __name__ == "__main__":
    # Run as `python -m generator.gate` (the gate's helper process); imported by name, so what it sends back
    # unpickles as generator.gate's own classes.
    from generator.gate import _read_part
    from generator.helper import serve

    serve(_read_part)
