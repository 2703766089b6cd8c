"""YAML that parses but does not mean what the editor wrote, found with the model's field types.

- A ` #` after an unquoted text starts a comment: `summary: Für Raum #3 und Flur` is fine, but
  `summary: Für Raum # 3 und Flur` becomes "Für Raum" without a word of warning.
- `value_eur: 2.500` is 2.5 (the dot is a decimal point, not the German thousands separator); `1,5` and
  `2.500.000` are texts, not numbers.
- A list written without dashes (`themes:` followed by indented words) is one text.

Only plain (unquoted) scalars are looked at, by their source text and position; texts in quotes are what the
editor wrote on purpose.
"""

from __future__ import annotations

import re
import types
from typing import TYPE_CHECKING, Annotated, Any, Union, get_args, get_origin

import yaml
from pydantic import BaseModel

from .catalogue import message
from .content import FieldPath, field_name
from .diagnostics import Diagnostic, shorten

if TYPE_CHECKING:
    from .load import Document

_COMMENT_AFTER = re.compile(r"[ \t]+#")
_THOUSANDS = re.compile(r"[+-]?[1-9]\d{0,2}\.\d{3}")
_GERMAN_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+,\d+)")
_WORTH_A_LOOK = re.compile(r"[ \t]#|\d\.\d{3}\b")
_FLOAT = "tag:yaml.org,2002:float"


def check(document: Document, model: type[BaseModel], language: str) -> list[Diagnostic]:
    """Comments that cut a text short and numbers with a thousands separator, each flagged in the document."""
    if document.root is None or document.lines is None or not _WORTH_A_LOOK.search(document.lines.text):
        return []
    found: list[Diagnostic] = []
    _walk(document, document.root, model, (), language, found)
    return found


def clock_hours(text: str) -> str:
    """`1:30` (hours:minutes, as an editor means it) → `1.5`."""
    sign = -1 if text.startswith("-") else 1
    parts = [float(part.replace("_", "") or 0) for part in text.lstrip("+-").split(":")]
    hours = sum(part / 60**index for index, part in enumerate(parts)) * sign
    return plain_number(round(hours, 2))


def plain_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def german_number(text: str) -> str | None:
    """`1,5` → `1.5`, `2.500.000` → `2500000`, `2.500,50` → `2500.50`: what to write instead, or None."""
    if not _GERMAN_NUMBER.fullmatch(text):
        return None
    return text.replace(".", "").replace(",", ".")


def _walk(document: Document, node: yaml.Node, annotation: Any, loc: FieldPath, language: str,
          found: list[Diagnostic]) -> None:
    members = _members(annotation)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                inner = _field_annotation(members, key_node.value)
                if inner is not None:
                    _walk(document, value_node, inner, (*loc, key_node.value), language, found)
    elif isinstance(node, yaml.SequenceNode):
        inner = next((get_args(m)[0] for m in members if get_origin(m) is list and get_args(m)), None)
        if inner is not None:
            for index, item in enumerate(node.value):
                _walk(document, item, inner, (*loc, index), language, found)
    elif isinstance(node, yaml.ScalarNode) and not node.style and loc not in document.flagged:
        diagnostic = _scalar(document, node, members, loc, language)
        if diagnostic is not None:
            document.flagged.add(loc)
            found.append(diagnostic)


def _scalar(document: Document, node: yaml.ScalarNode, members: list[Any], loc: FieldPath,
            language: str) -> Diagnostic | None:
    name = field_name(loc)
    if str in members and node.value:
        line, column = document.lines.mark(node.end_mark)
        comment = _COMMENT_AFTER.match(document.lines.lines[line][column:])
        if comment:
            text = message("yaml-comment-in-text", language, field=name, value=shorten(node.value))
            return Diagnostic(document.path, line + 1 + document.line_offset, column + comment.end(), name,
                              "yaml-comment-in-text", "error", text)
    elif (float in members or int in members) and node.tag == _FLOAT and _THOUSANDS.fullmatch(node.value):
        line, column = document.at(node.start_mark)
        text = message("yaml-ambiguous-number-thousands", language, value=node.value,
                       read=plain_number(float(node.value)), instead=node.value.replace(".", "").lstrip("+"))
        return Diagnostic(document.path, line, column, name, "yaml-ambiguous-number", "error", text)
    return None



def _members(annotation: Any) -> list[Any]:
    """The types an annotation allows, with `Annotated[…]`, unions and `None` unwrapped."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _members(get_args(annotation)[0])
    if origin is Union or origin is types.UnionType:
        return [member for arg in get_args(annotation) for member in _members(arg)]
    return [] if annotation is type(None) else [annotation]


def _field_annotation(members: list[Any], key: str) -> Any:
    for member in members:
        if isinstance(member, type) and issubclass(member, BaseModel) and key in member.model_fields:
            return member.model_fields[key].annotation
        if get_origin(member) is dict and len(get_args(member)) == 2:
            return get_args(member)[1]
    return None
