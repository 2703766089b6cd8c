"""A new entry's file: written with PyYAML, read back with the validator's loader, checked with its rules.

Nothing is written that `showcase validate` would refuse: the text is parsed back into an `Entry` exactly as the
validator reads a file (YAML loader, schema check), put into the loaded content, and every cross-file rule is run
again — references, keys, dates, and the addresses (an id such as `index`, or one equal to a section slug, would
take a page the generator writes). The problems this entry adds are the validator's own diagnostics.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from . import rules
from .content import Content, Entry, FieldPath, field_name
from .diagnostics import Diagnostic, sort_diagnostics
from .kinds import ContentKind
from .load import parse_yaml, split_front_matter
from .project import SiteTheme
from .schema_check import validate_schema
from .validate import entry_of


class _Dumper(yaml.SafeDumper):
    """Block style as editors write it: list items indented under their key, lists of plain values on one line."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)

    def ignore_aliases(self, data: Any) -> bool:
        return True  # the validator refuses anchors and aliases (`&id001`, `*id001`)


def _represent_list(dumper: _Dumper, data: list[Any]) -> yaml.SequenceNode:
    flat = bool(data) and not any(isinstance(item, dict | list) for item in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flat)


_Dumper.add_representer(list, _represent_list)


def dump_yaml(data: dict[str, Any]) -> str:
    """YAML for `data`, keys in the given order, dates as YYYY-MM-DD, text quoted only where YAML needs it."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False,
                     width=1_000_000)


def render_file(kind: ContentKind, data: dict[str, Any], body: str) -> str:
    """The file's text: front matter and Markdown body, or plain YAML."""
    front = dump_yaml(data)
    return f"---\n{front}---\n{body}" if kind.front_matter else front


def read_back(kind: ContentKind, entry_id: str, text: str, language: str) -> tuple[Entry | None, list[Diagnostic]]:
    """The file's text as the validator reads it: its diagnostics, and the entry when the schema accepts it."""
    rel = kind.rel(entry_id)
    parts = split_front_matter(text) if kind.front_matter else None
    if parts is None:
        document, problems = parse_yaml(text, rel, language)
    else:
        yaml_text, body, body_line = parts
        document, problems = parse_yaml(yaml_text, rel, language, line_offset=1)
        document.body, document.body_line = body, body_line
    if document.data is None:
        return None, problems
    data, schema_problems = validate_schema(document, kind.model, language)
    if data is None:
        return None, problems + schema_problems
    return entry_of(kind, entry_id, document, data), problems


def field_problems(kind: ContentKind, loc: FieldPath, value: Any, language: str) -> list[Diagnostic]:
    """What the validator says about one field's value (types, lengths, patterns, control characters)."""
    data: Any = value
    for part in reversed(loc):
        data = [None] * part + [data] if isinstance(part, int) else {part: data}
    document, problems = parse_yaml(dump_yaml(data), kind.rel("new"), language)
    if document.data is not None:
        problems += validate_schema(document, kind.model, language)[1]
    name = field_name(loc)
    return [problem for problem in problems if problem.field == name]


def _check(content: Content, theme: SiteTheme, before: set[Diagnostic], entry: Entry) -> list[Diagnostic]:
    """The cross-file diagnostics that appear when `entry` joins the content."""
    collection = content.of_kind(entry.kind)
    collection[entry.id] = entry
    try:
        after = rules.validate_cross_file(content, theme.urls, theme.slug_file)
    finally:
        del collection[entry.id]
    return sort_diagnostics([d for d in after if d not in before])


def entry_problems(content: Content, theme: SiteTheme, before: Iterable[Diagnostic], kind: ContentKind,
                   entry_id: str, text: str) -> tuple[Entry | None, list[Diagnostic]]:
    """The entry `text` would be as `entry_id`, and every diagnostic `showcase validate` would add for it."""
    entry, problems = read_back(kind, entry_id, text, content.language)
    if entry is None or problems:
        return entry, problems
    return entry, _check(content, theme, set(before), entry)


def write_exclusive(path: Path, text: str) -> None:
    """Create `path` with `text`; FileExistsError when it exists (never overwrite, even in a race)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
