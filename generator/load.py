"""Stage 1 — load: read content files safely and turn their YAML into plain data with source positions.

Nothing here trusts the input. Files are size-checked before decoding, decoded strictly as UTF-8, checked for
absurd nesting before libyaml sees them (it segfaults on ~50,000 levels of `[`), parsed by the C composer and then
turned into Python values by our own small walker, which
- records the line and column of every key, so later stages can point at the exact field,
- refuses duplicate keys, non-text keys, anchors/aliases and explicit tags (no alias bombs, no `!!python/…`),
- remembers where YAML 1.1 guessed a non-text type for a plain scalar (`no`, `01067`, `1:30`), so a type error
  on a text field can say "put it in quotes".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .catalogue import message
from .content import FieldPath, field_name
from .diagnostics import Diagnostic
from .yaml_errors import Explained, LineMap, explain, missing_front_matter, nbsp_indentation
from .yaml_hints import clock_hours, plain_number

MAX_FILE_BYTES = 1_000_000
MAX_NESTING = 40
MAX_DIAGNOSTICS = 20
"""Per file: after this many diagnostics the rest are counted in one summary (100,000 unknown keys stay fast)."""

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_TAG}{name}" for name in ("str", "null", "bool", "int", "float", "timestamp")}
_TEXT_OR_NULL = {f"{_TAG}str", f"{_TAG}null"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class Document:
    """One parsed file: its data, plus the composed YAML nodes to find where a field stands in the source.

    Positions are looked up only when a diagnostic needs one, so valid files cost no bookkeeping.
    """

    path: str
    data: dict[str, Any] | None
    body: str = ""
    body_line: int = 1
    root: yaml.Node | None = None
    line_offset: int = 0
    """Lines before the YAML in the file (the opening `---` of front matter)."""
    flagged: set[FieldPath] = field(default_factory=set)
    """Fields the loader already reported, so the schema check does not report them twice."""
    lines: LineMap | None = None
    """The YAML's source lines, to turn libyaml's marks into the lines and columns an editor sees."""
    reported: int = 0
    """How many diagnostics the loader gave for this file (the schema check's share of the bound is the rest)."""

    def at(self, mark: yaml.Mark) -> tuple[int, int]:
        """1-based (line, column) in the file of a libyaml mark."""
        line, column = self.lines.mark(mark) if self.lines else (mark.line, mark.column)
        return line + 1 + self.line_offset, column + 1

    def position(self, loc: FieldPath) -> tuple[int, int]:
        """The position of a field, or of its nearest parent that exists (a missing field's mapping)."""
        marked, _, _ = self._walk(loc)
        if marked is None:
            return (1, 1)
        return self.at(marked.start_mark)

    def guessed_text(self, loc: FieldPath) -> str | None:
        """The source text of a plain scalar to which YAML 1.1 gave a non-text type (`no`, `01067`), if any."""
        node = self.plain_scalar(loc)
        return node.value if node is not None and node.tag not in _TEXT_OR_NULL else None

    def plain_scalar(self, loc: FieldPath) -> yaml.ScalarNode | None:
        """The unquoted scalar node at `loc`, if that is what the field is."""
        _, node, complete = self._walk(loc)
        return node if complete and isinstance(node, yaml.ScalarNode) and not node.style else None

    def _walk(self, loc: FieldPath) -> tuple[yaml.Node | None, yaml.Node | None, bool]:
        """Follow `loc` through the nodes: (node that marks the field — a key for mappings, value node, found)."""
        marked = node = self.root
        for part in loc:
            if isinstance(node, yaml.MappingNode) and isinstance(part, str):
                pair = next(((k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)
                             and k.tag == f"{_TAG}str" and k.value == part), None)
                if pair is None:
                    return marked, node, False
                marked, node = pair
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                marked = node = node.value[part]
            else:
                return marked, node, False
        return marked, node, True


class _Problems:
    """Collects diagnostics for one file in the language of the site."""

    def __init__(self, path: str, language: str):
        self.path, self.language, self.items = path, language, []
        self.suppressed, self.first_suppressed = 0, 1

    @property
    def full(self) -> bool:
        return len(self.items) >= MAX_DIAGNOSTICS

    def add(self, code: str, line: int, column: int, fieldname: str = "", severity="error", variant: str = "",
            **ctx) -> None:
        """Report a problem; `variant` names a more specific message of the same code (`…-clock`)."""
        if self.full:
            self.suppress(line)
            return
        text = message(variant or code, self.language, **ctx)
        self.items.append(Diagnostic(self.path, line, column, fieldname, code, severity, text))

    def suppress(self, line: int) -> None:
        if not self.suppressed:
            self.first_suppressed = line
        self.suppressed += 1

    def finish(self) -> list[Diagnostic]:
        """The diagnostics, with one summary for those over the bound."""
        if self.suppressed:
            text = message("too-many-problems", self.language, count=self.suppressed)
            self.items.append(Diagnostic(self.path, self.first_suppressed, 1, "", "too-many-problems", "error", text))
            self.suppressed = 0
        return self.items


def read_text(file: Path, rel: str, language: str) -> tuple[str | None, list[Diagnostic]]:
    """Read a file as text: at most 1 MB, UTF-8 (a BOM is fine), CRLF folded to LF."""
    problems = _Problems(rel, language)
    try:
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            problems.add("file-too-large", 1, 1, size=size, limit=MAX_FILE_BYTES)
            return None, problems.items
        raw = file.read_bytes()
    except OSError as error:
        problems.add("file-unreadable", 1, 1, reason=error.strerror or str(error))
        return None, problems.items
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        # utf-8-sig counts after the BOM; the column in characters, as an editor counts (valid up to the error).
        bom = 3 if raw.startswith(b"\xef\xbb\xbf") else 0
        start = error.start + bom
        line = raw[:start].count(b"\n") + 1
        line_start = max(raw.rfind(b"\n", 0, start) + 1, bom)
        column = len(raw[line_start:start].decode("utf-8", errors="replace")) + 1
        problems.add("encoding", line, column)
        return None, problems.items
    return text.replace("\r\n", "\n").replace("\r", "\n"), problems.items


def undecodable_name(folder: str, name: str, language: str) -> Diagnostic | None:
    """A file name that is not UTF-8 (Python keeps its bytes as surrogates): an error naming the file with its
    bytes escaped, so nothing downstream tries to print or encode it."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        shown = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        return Diagnostic(f"{folder}/{shown}", 1, 1, "", "file-name-encoding", "error",
                          message("file-name-encoding", language, name=shown))
    return None


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """Split `---\\n<yaml>\\n---\\n<body>`; returns (yaml, body, line of the body) or None without front matter."""
    if not text.startswith("---\n"):
        return None
    match = re.search(r"^(?:---|\.\.\.)[ \t]*$", text[4:], flags=re.MULTILINE)
    if match is None:
        return None
    yaml_text = text[4 : 4 + match.start()]
    rest = text[4 + match.end() :]
    body = rest[1:] if rest.startswith("\n") else rest
    body_line = yaml_text.count("\n") + 3
    return yaml_text, body, body_line


def load_markdown_document(file: Path, rel: str, language: str) -> tuple[Document, list[Diagnostic]]:
    """A Markdown file with YAML front matter (proposals, cooperations, pages)."""
    text, diagnostics = read_text(file, rel, language)
    if text is None:
        return Document(rel, None), diagnostics
    parts = split_front_matter(text)
    if parts is None:
        return Document(rel, None), diagnostics + _front_matter_missing(text, rel, language)
    yaml_text, body, body_line = parts
    document, yaml_diagnostics = parse_yaml(yaml_text, rel, language, line_offset=1, front_matter=True)
    document.body, document.body_line = body, body_line
    return document, diagnostics + yaml_diagnostics


def _front_matter_missing(text: str, rel: str, language: str) -> list[Diagnostic]:
    """No front matter, or front matter whose closing `---` is missing (then named where the body begins)."""
    problems = _Problems(rel, language)
    line, variant = missing_front_matter(text)
    problems.add("front-matter-missing", line, 1, variant=variant, start=1)
    return problems.items


def load_yaml_document(file: Path, rel: str, language: str) -> tuple[Document, list[Diagnostic]]:
    """A plain YAML file (organisations, site_config.yml)."""
    text, diagnostics = read_text(file, rel, language)
    if text is None:
        return Document(rel, None), diagnostics
    document, yaml_diagnostics = parse_yaml(text, rel, language)
    return document, diagnostics + yaml_diagnostics


def parse_yaml(text: str, rel: str, language: str, line_offset: int = 0,
               front_matter: bool = False) -> tuple[Document, list[Diagnostic]]:
    """Parse one YAML document into a mapping with positions; `line_offset` lines precede it in the file
    (`front_matter`: it is a Markdown file's front matter)."""
    problems = _Problems(rel, language)
    document = Document(rel, None, lines=LineMap(text), line_offset=line_offset)
    document.data = _parse(text, document, problems, front_matter)
    document.reported = len(problems.items) + problems.suppressed
    return document, problems.finish()


def _parse(text: str, document: Document, problems: _Problems, front_matter: bool) -> dict[str, Any] | None:
    line_offset = document.line_offset
    nbsp = nbsp_indentation(document.lines)
    if nbsp is not None:
        _syntax_error(nbsp, problems, line_offset)
        return None
    if not _check_flow_nesting(text, problems, line_offset) or not _check_events(text, document, problems):
        return None
    try:
        loader = _YAML_LOADER(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as error:
        _syntax_error(explain(error, document.lines, front_matter), problems, line_offset)
        return None
    except yaml.YAMLError:
        problems.add("yaml-syntax", 1 + line_offset, 1, problem="other")
        return None
    if root is None or not isinstance(root, yaml.MappingNode):
        line = document.at(root.start_mark)[0] if root else 1 + line_offset
        problems.add("not-a-mapping", line, 1)
        return None
    document.root = root
    try:
        return _Walker(document, problems).value(root, ())
    except _TooDeep as error:
        problems.add("yaml-too-deep", error.line, 1, limit=MAX_NESTING)
        return None


def _syntax_error(explained: Explained, problems: _Problems, line_offset: int) -> None:
    """A syntax error in plain words, at the editor's line (the line `opened` an explanation names is 0-based)."""
    values = dict(explained.values)
    if "opened" in values:
        values["opened"] = int(values["opened"]) + 1 + line_offset
    problems.add("yaml-syntax", explained.line + 1 + line_offset, explained.column + 1, problem=explained.problem,
                 **values)


def _check_flow_nesting(text: str, problems: _Problems, line_offset: int) -> bool:
    """Refuse deep `[`/`{` nesting before libyaml sees it; a cheap count skips the scan for normal files."""
    if text.count("[") + text.count("{") <= MAX_NESTING:
        return True
    depth, line = 0, 1
    for char in text:
        if char in "[{":
            depth += 1
            if depth > MAX_NESTING:
                problems.add("yaml-too-deep", line + line_offset, 1, limit=MAX_NESTING)
                return False
        elif char in "]}":
            depth = max(0, depth - 1)
        elif char == "\n":
            line += 1
    return True


def _check_events(text: str, document: Document, problems: _Problems) -> bool:
    """Refuse anchors and aliases (450 bytes can expand to hundreds of megabytes) and deep block nesting
    (`- - - …` 100,000 times crashes libyaml's composer) using the parser's event stream, which is iterative.

    Normal files skip this pass: without `&` or `*` there are no anchors, and every level of block nesting moves
    the column to the right, so a file whose lines are all shorter than 5,000 characters cannot come near the
    depth that crashes libyaml (the walker refuses more than MAX_NESTING levels later).
    """
    if "&" not in text and "*" not in text and (len(text) <= 16_000 or max(map(len, text.split("\n"))) < 5_000):
        return True
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_YAML_LOADER):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                problems.add("yaml-anchor", *document.at(event.start_mark))
                return False
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_NESTING:
                    problems.add("yaml-too-deep", document.at(event.start_mark)[0], 1, limit=MAX_NESTING)
                    return False
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        return True  # the real parse reports the syntax error with its position
    return True


class _TooDeep(Exception):
    def __init__(self, line: int):
        self.line = line


class _Walker:
    """Turns a composed node tree into dicts, lists and scalars, checking keys, tags and scalar types."""

    def __init__(self, document: Document, problems: _Problems):
        self.document, self.problems = document, problems

    def where(self, node: yaml.Node) -> tuple[int, int]:
        return self.document.at(node.start_mark)

    def value(self, node: yaml.Node, loc: FieldPath) -> Any:
        if len(loc) > MAX_NESTING:
            raise _TooDeep(self.where(node)[0])
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, loc)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != f"{_TAG}seq":
                return self.refuse_tag(node, loc)
            return [self.value(item, (*loc, index)) for index, item in enumerate(node.value)]
        return self.scalar(node, loc)

    def mapping(self, node: yaml.MappingNode, loc: FieldPath) -> dict[str, Any] | None:
        if node.tag != f"{_TAG}map":
            return self.refuse_tag(node, loc)
        result: dict[str, Any] = {}
        seen: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != f"{_TAG}str":
                shown = key_node.value if isinstance(key_node, yaml.ScalarNode) else "…"
                self.report("yaml-key-type", key_node, loc, lambda shown=shown: {"key": shown})
                continue
            key = key_node.value
            if key in seen:
                self.report("yaml-duplicate-key", key_node, (*loc, key),
                            lambda key=key: {"key": key, "first": self.where(seen[key])[0]})
                continue
            seen[key] = key_node
            result[key] = self.value(value_node, (*loc, key))
        return result

    def scalar(self, node: yaml.ScalarNode, loc: FieldPath) -> Any:
        tag = node.tag
        if tag not in _SCALAR_TAGS:
            return self.refuse_tag(node, loc)
        if tag == f"{_TAG}str":
            if _CONTROL.search(node.value):
                # Refused, not passed on: a NUL must never reach a file name or a page.
                self.flag(node, loc, "control-character")
                return None
            return node.value
        try:
            value = _CONSTRUCTOR.yaml_constructors[tag](_CONSTRUCTOR, node)
        except (ValueError, OverflowError, yaml.YAMLError):
            self.flag(node, loc, "invalid-date", value=node.value)
            return None
        if tag in (f"{_TAG}int", f"{_TAG}float") and ":" in node.value:
            # YAML 1.1 reads `1:30` as 90 (base 60): an editor means one and a half hours.
            self.flag(node, loc, "yaml-ambiguous-number", variant="yaml-ambiguous-number-clock", value=node.value,
                      read=plain_number(value), instead=clock_hours(node.value))
        elif tag == f"{_TAG}int" and re.match(r"^[-+]?0[0-7_]+$", node.value):
            # YAML 1.1 reads `01067` as 567 (octal).
            self.flag(node, loc, "yaml-ambiguous-number", value=node.value)
        return value

    def flag(self, node: yaml.Node, loc: FieldPath, code: str, **ctx: Any) -> None:
        self.document.flagged.add(loc)
        self.report(code, node, loc, lambda: ctx)

    def report(self, code: str, node: yaml.Node, loc: FieldPath, ctx: Callable[[], dict[str, Any]]) -> None:
        """Add a problem; over the bound only count it (no position, no message: 100,000 of them stay fast)."""
        if self.problems.full:
            self.problems.suppress(0 if self.problems.suppressed else self.where(node)[0])
        else:
            self.problems.add(code, *self.where(node), field_name(loc), **ctx())

    def refuse_tag(self, node: yaml.Node, loc: FieldPath) -> None:
        self.flag(node, loc, "yaml-tag", tag=node.tag)
        return None

