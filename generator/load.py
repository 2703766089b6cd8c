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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .catalogue import message
from .content import FieldPath, field_name
from .diagnostics import Diagnostic

MAX_FILE_BYTES = 1_000_000
MAX_NESTING = 40

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

    def position(self, loc: FieldPath) -> tuple[int, int]:
        """The position of a field, or of its nearest parent that exists (a missing field's mapping)."""
        marked, _, _ = self._walk(loc)
        if marked is None:
            return (1, 1)
        return marked.start_mark.line + 1 + self.line_offset, marked.start_mark.column + 1

    def guessed_text(self, loc: FieldPath) -> str | None:
        """The source text of a plain scalar to which YAML 1.1 gave a non-text type (`no`, `01067`), if any."""
        _, node, complete = self._walk(loc)
        if complete and isinstance(node, yaml.ScalarNode) and not node.style and node.tag not in _TEXT_OR_NULL:
            return node.value
        return None

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

    def add(self, code: str, line: int, column: int, fieldname: str = "", severity="error", **ctx) -> None:
        text = message(code, self.language, **ctx)
        self.items.append(Diagnostic(self.path, line, column, fieldname, code, severity, text))


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
        line = raw[: error.start].count(b"\n") + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        problems.add("encoding", line, column)
        return None, problems.items
    return text.replace("\r\n", "\n").replace("\r", "\n"), problems.items


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
        problems = _Problems(rel, language)
        problems.add("front-matter-missing", 1, 1)
        return Document(rel, None), diagnostics + problems.items
    yaml_text, body, body_line = parts
    document, yaml_diagnostics = parse_yaml(yaml_text, rel, language, line_offset=1)
    document.body, document.body_line = body, body_line
    return document, diagnostics + yaml_diagnostics


def load_yaml_document(file: Path, rel: str, language: str) -> tuple[Document, list[Diagnostic]]:
    """A plain YAML file (organisations, site_config.yml)."""
    text, diagnostics = read_text(file, rel, language)
    if text is None:
        return Document(rel, None), diagnostics
    document, yaml_diagnostics = parse_yaml(text, rel, language)
    return document, diagnostics + yaml_diagnostics


def parse_yaml(text: str, rel: str, language: str, line_offset: int = 0) -> tuple[Document, list[Diagnostic]]:
    """Parse one YAML document into a mapping with positions; `line_offset` lines precede it in the file."""
    problems = _Problems(rel, language)
    document = Document(rel, None)
    if not _check_flow_nesting(text, problems, line_offset) or not _check_events(text, problems, line_offset):
        return document, problems.items
    try:
        loader = _YAML_LOADER(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1 + line_offset, mark.column + 1) if mark else (1 + line_offset, 1)
        problems.add("yaml-syntax", line, column, problem=_explain_yaml_problem(error))
        return document, problems.items
    except yaml.YAMLError as error:
        problems.add("yaml-syntax", 1 + line_offset, 1, problem=str(error))
        return document, problems.items
    if root is None or not isinstance(root, yaml.MappingNode):
        line = (root.start_mark.line if root else 0) + 1 + line_offset
        problems.add("not-a-mapping", line, 1)
        return document, problems.items
    document.root, document.line_offset = root, line_offset
    walker = _Walker(document, problems, line_offset)
    try:
        document.data = walker.value(root, ())
    except _TooDeep as error:
        problems.add("yaml-too-deep", error.line, 1, limit=MAX_NESTING)
        document.data = None
    return document, problems.items


def _explain_yaml_problem(error: yaml.MarkedYAMLError) -> str:
    problem = error.problem or str(error)
    if "'\\t'" in problem or "\\t" in problem:
        return "tab"
    if "mapping values are not allowed" in problem:
        return "colon"
    if "control characters" in problem or "special characters" in problem:
        return "control"
    return problem


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


def _check_events(text: str, problems: _Problems, line_offset: int) -> bool:
    """Refuse anchors and aliases (450 bytes can expand to hundreds of megabytes) and deep block nesting
    (`- - - …` 100,000 times crashes libyaml's composer) using the parser's event stream, which is iterative.

    Normal files skip this pass: without `&` or `*` there are no anchors, and under 16,000 characters the
    nesting cannot come near the depth that crashes libyaml.
    """
    if "&" not in text and "*" not in text and len(text) <= 16_000:
        return True
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_YAML_LOADER):
            mark = event.start_mark
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                problems.add("yaml-anchor", mark.line + 1 + line_offset, mark.column + 1)
                return False
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_NESTING:
                    problems.add("yaml-too-deep", mark.line + 1 + line_offset, 1, limit=MAX_NESTING)
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

    def __init__(self, document: Document, problems: _Problems, line_offset: int):
        self.document, self.problems, self.offset = document, problems, line_offset

    def where(self, node: yaml.Node) -> tuple[int, int]:
        return node.start_mark.line + 1 + self.offset, node.start_mark.column + 1

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
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != f"{_TAG}str":
                shown = key_node.value if isinstance(key_node, yaml.ScalarNode) else "…"
                self.problems.add("yaml-key-type", *self.where(key_node), field_name(loc), key=shown)
                continue
            key = key_node.value
            if key in result:
                first = self.document.position((*loc, key))[0]
                self.problems.add("yaml-duplicate-key", *self.where(key_node), field_name((*loc, key)), key=key,
                                  first=first)
                continue
            result[key] = self.value(value_node, (*loc, key))
        return result

    def scalar(self, node: yaml.ScalarNode, loc: FieldPath) -> Any:
        tag = node.tag
        if tag not in _SCALAR_TAGS:
            return self.refuse_tag(node, loc)
        if tag == f"{_TAG}str":
            if _CONTROL.search(node.value):
                self.document.flagged.add(loc)
                line, column = self.where(node)
                self.problems.add("control-character", line, column, field_name(loc))
            return node.value
        try:
            value = _CONSTRUCTOR.yaml_constructors[tag](_CONSTRUCTOR, node)
        except (ValueError, OverflowError, yaml.YAMLError):
            self.document.flagged.add(loc)
            line, column = self.where(node)
            self.problems.add("invalid-date", line, column, field_name(loc), value=node.value)
            return None
        if tag == f"{_TAG}int" and (":" in node.value or re.match(r"^[-+]?0[0-7_]+$", node.value)):
            # YAML 1.1 reads `1:30` as 90 and `01067` as 567: never what an editor meant.
            self.document.flagged.add(loc)
            line, column = self.where(node)
            self.problems.add("yaml-ambiguous-number", line, column, field_name(loc), value=node.value)
        return value

    def refuse_tag(self, node: yaml.Node, loc: FieldPath) -> None:
        self.document.flagged.add(loc)
        line, column = self.where(node)
        self.problems.add("yaml-tag", line, column, field_name(loc), tag=node.tag)
        return None
