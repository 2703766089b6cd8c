"""The registry of content kinds: where each kind's files live, how they are read, what model they follow.

Load, validate, schema, scaffolding, the privacy gate, publish and the URL scheme all take their knowledge of
content kinds from `KINDS`; adding a kind means adding one line here (and its model, view and template).
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from . import model as m


@dataclass(frozen=True)
class ContentKind:
    """One kind of content file."""

    name: str
    """Singular name used in code, messages and commands: `proposal`."""
    folder: str
    """Folder relative to the project root: `content/proposals`."""
    suffix: str
    """`.md` (YAML front matter + Markdown body) or `.yml` (YAML only)."""
    model: type[BaseModel]
    section: str | None
    """Key of the URL slug in the catalogue's `sections` under which its public pages live; None: site root."""
    title: str
    """German name for editors (schema titles, field reference)."""
    public_statuses: tuple[str, ...] | None = None
    """The statuses under which an entry is published; None: every entry of this kind is public."""

    def published(self, data: BaseModel) -> bool:
        """Whether an entry with this data may appear on the site (the privacy boundary's one question)."""
        return self.public_statuses is None or getattr(data, "status", None) in self.public_statuses

    @property
    def attribute(self) -> str:
        """Name of the collection on `Content`: `proposals`."""
        return f"{self.name}s"

    @property
    def front_matter(self) -> bool:
        return self.suffix == ".md"

    @property
    def files(self) -> str:
        return f"{self.folder}/*{self.suffix}"

    def rel(self, entry_id: str) -> str:
        """The file of an entry, relative to the project root."""
        return f"{self.folder}/{entry_id}{self.suffix}"


ORGANIZATION = ContentKind("organization", "content/organizations", ".yml", m.Organization, "organizations",
                           "Organisation")
PROPOSAL = ContentKind("proposal", "content/proposals", ".md", m.Proposal, "proposals", "Vorschlag",
                       m.PUBLIC_STATUSES)
COOPERATION = ContentKind("cooperation", "content/cooperations", ".md", m.Cooperation, "cooperations",
                          "Kooperation (Erfolgsgeschichte)")
OFFER = ContentKind("offer", "content/offers", ".md", m.Offer, "offers", "Angebot", m.PUBLIC_OFFER_STATUSES)
EVENT = ContentKind("event", "content/events", ".md", m.Event, "events", "Veranstaltung oder Bilanz")
PAGE = ContentKind("page", "content/pages", ".md", m.Page, None, "Freie Seite")

KINDS: tuple[ContentKind, ...] = (ORGANIZATION, EVENT, OFFER, PROPOSAL, COOPERATION, PAGE)
"""In loading order: organisations first, since the others refer to them."""

BY_NAME = {kind.name: kind for kind in KINDS}
