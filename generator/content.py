"""Validated content as the later stages see it: entries that carry everything they need.

An `Entry` is one file after validation: its id, kind and path, the typed data, the plain field values, the
Markdown body and a way to find where a field stands in the source. Publish, the privacy gate and scaffolding
work with entries, never with the loader's YAML documents.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

from pydantic import BaseModel

from . import model as m
from .kinds import KINDS, ContentKind

M = TypeVar("M", bound=BaseModel)

FieldPath = tuple[str | int, ...]
"""A field inside a file: `("needs", 0, "kind")`."""


def field_name(loc: FieldPath) -> str:
    """`('needs', 0, 'kind')` → `needs[0].kind`."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class Positions(Protocol):
    def position(self, loc: FieldPath) -> tuple[int, int]:
        """(line, column) of a field, or of its nearest parent that exists."""


@dataclass(frozen=True)
class Entry(Generic[M]):
    """One validated file."""

    id: str
    kind: ContentKind
    path: str
    """Relative to the project root, with forward slashes."""
    data: M
    fields: dict[str, Any]
    """The field values as written (plain data), e.g. for the privacy gate's look at public text."""
    body: str
    body_line: int
    source: Positions

    def position(self, loc: FieldPath) -> tuple[int, int]:
        return self.source.position(loc)


@dataclass
class Content:
    """Everything the site is built from, validated."""

    root: Path
    config: m.SiteConfig
    organizations: dict[str, Entry[m.Organization]] = field(default_factory=dict)
    proposals: dict[str, Entry[m.Proposal]] = field(default_factory=dict)
    cooperations: dict[str, Entry[m.Cooperation]] = field(default_factory=dict)
    offers: dict[str, Entry[m.Offer]] = field(default_factory=dict)
    events: dict[str, Entry[m.Event]] = field(default_factory=dict)
    pages: dict[str, Entry[m.Page]] = field(default_factory=dict)
    invalid: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Files that exist but failed their schema, by kind name → id → their document: references to them are not
    reported as missing, and their own references and keys are still checked, so every problem shows in one run."""

    @property
    def language(self) -> str:
        return self.config.site.language

    def of_kind(self, kind: ContentKind) -> dict[str, Entry]:
        return getattr(self, kind.attribute)

    def entries(self):
        """Every entry of every kind, in the registry's order."""
        for kind in KINDS:
            yield from self.of_kind(kind).values()

    def exists(self, kind: ContentKind, entry_id: str) -> bool:
        """A file of `kind` with this id is there, valid or not."""
        return entry_id in self.of_kind(kind) or entry_id in self.invalid.get(kind.name, {})
