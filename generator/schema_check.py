"""Schema check: one file's data against its pydantic model; pydantic's errors become plain diagnostics.

Each pydantic error type maps to a message an editor understands (a missing field, a wrong type with a hint to
quote YAML 1.1 guesses such as `no`, an unknown field with the field probably meant).
"""

from __future__ import annotations

import difflib
import re
from typing import Any, TypeVar, get_args

from pydantic import BaseModel, ValidationError

from . import model as m
from .catalogue import message, noun
from .content import FieldPath, field_name
from .diagnostics import Diagnostic, field_diagnostic, shorten
from .load import MAX_DIAGNOSTICS, Document
from .yaml_hints import check as yaml_hints
from .yaml_hints import german_number

M = TypeVar("M", bound=BaseModel)

# German field names editors are likely to type, mapped to the real ones.
GERMAN_FIELD_NAMES = {
    "titel": "title", "organisation": "organization", "zusammenfassung": "summary", "kurzfassung": "summary",
    "beschreibung": "description", "stadtteil": "district", "themen": "themes", "thema": "themes",
    "bedarf": "needs", "bedarfe": "needs", "bild": "image", "bilder": "images", "kontakt": "contact",
    "stunden": "hours", "wert": "value_eur", "zitat": "quote", "eingereicht": "submitted", "art": "kind",
    "beitrag": "contribution", "beginn": "started", "abschluss": "completed", "webseite": "website",
}



_EXPECTED = {
    "string": "text", "int": "whole number", "float": "number", "bool": "true/false", "date": "date",
    "list": "list", "dict": "mapping", "model": "mapping", "model_attributes": "mapping",
}
_PATTERN_CODES = {
    m.EMAIL_PATTERN: "invalid-email", m.URL_PATTERN: "invalid-url", m.KEY_PATTERN: "invalid-key",
    m.PHONE_PATTERN: "invalid-phone",
}
_UNION_TAGS = {"path", "object", "number", "estimate", "duration-hours", "duration-day"}


def validate_schema(document: Document, model: type[M], language: str) -> tuple[M | None, list[Diagnostic]]:
    """The typed data (None if invalid) and the problems: YAML that does not mean what it looks like first, then
    pydantic's errors; at most MAX_DIAGNOSTICS per file (with the loader's), the rest counted in one summary."""
    hints = yaml_hints(document, model, language)
    try:
        data, errors = model.model_validate(document.data), []
    except ValidationError as error:
        data, errors = None, [item for item in error.errors() if _location(item) not in document.flagged]
    budget = max(0, MAX_DIAGNOSTICS - document.reported)
    diagnostics = hints[:budget]
    budget -= len(diagnostics)
    diagnostics += [_schema_diagnostic(document, model, item, language) for item in errors[:budget]]
    suppressed = len(hints) + len(errors) - len(diagnostics)
    if suppressed:
        first = (hints[len(diagnostics):] or [_schema_diagnostic(document, model, errors[budget], language)])[0]
        diagnostics.append(Diagnostic(document.path, first.line, 1, first.field, "too-many-problems", "error",
                                      message("too-many-problems", language, count=suppressed)))
    return data, diagnostics


def _location(error: dict) -> FieldPath:
    return tuple(part for part in error["loc"] if part not in _UNION_TAGS)


def _schema_diagnostic(document: Document, model: type[BaseModel], error: dict, language: str) -> Diagnostic:
    loc = _location(error)
    kind, ctx, value = error["type"], error.get("ctx", {}), error.get("input")
    if kind == "missing":
        line, column = document.position(loc[:-1])
        name = field_name(loc)
        return Diagnostic(document.path, line, column, name, "missing-field", "error",
                          message("missing-field", language, field=name))
    if kind == "extra_forbidden":
        return field_diagnostic(document, loc, "unknown-field", language,
                           suggestion=_suggest_field(model, loc, language))
    if kind == "period":
        return field_diagnostic(document, loc, "invalid-date", language, value=shorten(value))
    if kind in ("estimate_form", "estimate_order"):
        return field_diagnostic(document, loc, kind.replace("_", "-"), language)
    if kind in ("contributor_missing", "contributor_both"):
        return field_diagnostic(document, (*loc, "organization"), kind.replace("_", "-"), language)
    if kind == "literal_error":
        return field_diagnostic(document, loc, "invalid-value", language, value=shorten(value),
                           allowed=", ".join(f"`{v}`" for v in re.findall(r"'([^']*)'", ctx.get("expected", ""))))
    if kind == "string_too_long":
        return field_diagnostic(document, loc, "too-long", language, length=len(value), limit=ctx["max_length"])
    if kind in ("string_too_short", "too_short"):
        return field_diagnostic(document, loc, "empty", language)
    if kind in ("greater_than_equal", "greater_than"):
        return field_diagnostic(document, loc, "out-of-range", language, limit=_number(ctx.get("ge", ctx.get("gt"))))
    if kind == "less_than_equal":
        return field_diagnostic(document, loc, "too-large", language, limit=_number(ctx.get("le")))
    if kind == "string_pattern_mismatch":
        code = _PATTERN_CODES.get(ctx.get("pattern"), "invalid-format")
        return field_diagnostic(document, loc, code, language, value=shorten(value))
    expected = next((name for prefix, name in _EXPECTED.items() if kind.startswith(prefix + "_")), None)
    if expected is None:
        return field_diagnostic(document, loc, "invalid", language, detail=error["msg"])
    written = _written_as(document, loc, expected, language)
    if written is not None:
        return written
    hint = ""
    guessed = document.guessed_text(loc) if expected == "text" else None
    if guessed is not None:
        hint = message("quote-hint", language, value=guessed)
    return field_diagnostic(document, loc, "wrong-type", language, expected=noun(expected, language), hint=hint)


def _written_as(document: Document, loc: FieldPath, expected: str, language: str) -> Diagnostic | None:
    """A wrong type that comes from how the value was written: a list without dashes, `1,5` for a number."""
    node = document.plain_scalar(loc)
    if node is None or not node.value:
        return None
    name, (line, column) = field_name(loc), document.position(loc)
    if expected == "list":
        text = message("yaml-list-dashes", language, field=name, name=loc[-1],
                       example=node.value.split()[0][:40])
        return Diagnostic(document.path, line, column, name, "yaml-list-dashes", "error", text)
    instead = german_number(node.value) if expected in ("number", "whole number") else None
    if instead is not None:
        text = message("wrong-type-decimal-comma", language, field=name, value=node.value, instead=instead)
        return Diagnostic(document.path, line, column, name, "wrong-type", "error", text)
    return None


def _number(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value



def _suggest_field(model: type[BaseModel], loc: FieldPath, language: str) -> str:
    parent = _model_at(model, loc[:-1])
    if parent is None or not isinstance(loc[-1], str):
        return ""
    names = list(parent.model_fields)
    typed = loc[-1]
    guess = GERMAN_FIELD_NAMES.get(typed.lower())
    if guess not in names:
        close = difflib.get_close_matches(typed.lower(), names, n=1, cutoff=0.6)
        guess = close[0] if close else None
    return message("suggestion", language, name=guess) if guess else ""


def _model_at(model: type[BaseModel], loc: FieldPath) -> type[BaseModel] | None:
    """The model class that describes the mapping at `loc` (following lists and optionals)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)) or part not in current.model_fields:
            return None
        current = _inner_model(current.model_fields[part].annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None

