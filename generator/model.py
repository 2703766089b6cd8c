"""Stage 2 — model: the typed shape of site_config.yml and of every content kind.

The pydantic models are the single source of truth: the validator checks against them, `showcase schema` writes
JSON Schemas from them and the editors' field reference is generated from their German descriptions.
Rules that need more than one file (references, keys defined in site_config, files on disk) live in validate.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag
from pydantic_core import PydanticUndefined

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
KEY_PATTERN = r"^[a-z0-9]+([_-][a-z0-9]+)*$"
# A plain address, nothing a mail program would read as more: no `?`, `&`, `=`, `%` (header parameters such as
# `?bcc=` and encoded line breaks in mailto links), no spaces or line breaks, no quotes or brackets.
EMAIL_LOCAL = r"[^@\s<>\"'(),;:?&=%#\\\[\]{}|^`!$*/~.]+(\.[^@\s<>\"'(),;:?&=%#\\\[\]{}|^`!$*/~.]+)*"
EMAIL_DOMAIN = r"[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+"
EMAIL_PATTERN = r"^" + EMAIL_LOCAL + "@" + EMAIL_DOMAIN + "$"
URL_PATTERN = r"^https?://[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?([/?#][^\s<>\"'`]*)?$"
PHONE_PATTERN = r"^\+?[0-9][0-9 ()/.-]{2,39}$"
MAX_ID_LENGTH = 80

PUBLIC_STATUSES = ("open", "matched", "completed")
INTERNAL_STATUSES = ("submitted", "under_review", "declined", "withdrawn")
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif")

DEFAULT_NEED_KINDS = {
    "sachspende": "Sachspende",
    "logistik": "Logistik",
    "pro_bono": "Pro-bono-Dienstleistung",
    "anpacken": "Anpacken",
    "zeitspende": "Zeitspende",
    "fachkompetenz": "Fachkompetenz",
    "qualifizierung": "Qualifizierung",
}


def text(description: str, max_length: int, optional: bool = False) -> Any:
    """A text field with a German description; `optional` ones default to None."""
    default = None if optional else PydanticUndefined
    return Field(default, description=description, min_length=1, max_length=max_length)


Aliases = Annotated[
    list[Annotated[str, Field(pattern=ID_PATTERN, max_length=MAX_ID_LENGTH)]],
    Field(description="Frühere Kennungen (Dateinamen) dieses Eintrags: Ihre alten Adressen leiten auf die "
          "neue Seite weiter. Beim Umbenennen einer Datei den alten Namen hier eintragen."),
]
Key = Annotated[str, Field(pattern=KEY_PATTERN, max_length=MAX_ID_LENGTH)]
Reference = Annotated[str, Field(min_length=1, max_length=MAX_ID_LENGTH)]
Email = Annotated[str, Field(pattern=EMAIL_PATTERN, max_length=254)]
Url = Annotated[str, Field(pattern=URL_PATTERN, max_length=500)]
Phone = Annotated[str, Field(pattern=PHONE_PATTERN)]
ImagePath = Annotated[
    str,
    Field(
        min_length=1,
        max_length=200,
        description="Pfad eines Bildes innerhalb von content/images/, z. B. `projekte/foto.jpg` "
        "(JPEG, PNG, WebP oder GIF).",
    ),
]
Label = Annotated[str, Field(min_length=1, max_length=80)]
Hours = Annotated[
    float, Field(ge=0, le=1_000_000, allow_inf_nan=False, description="Geschätzte oder geleistete Stunden.")
]
Euros = Annotated[
    float,
    Field(ge=0, le=100_000_000, allow_inf_nan=False,
          description="Gegenwert in Euro (kein Geld, sondern der Wert der Leistung)."),
]
Status = Literal["submitted", "under_review", "open", "matched", "completed", "declined", "withdrawn"]


class Strict(BaseModel):
    # Unknown fields are errors: a misspelt `titel` must not be silently dropped.
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- organisations ---------------------------------------------------------------------------------------------


class Organization(Strict):
    """Eine Organisation: gemeinnützig, Unternehmen oder öffentliche Einrichtung."""

    name: str = text("Name der Organisation, wie er auf der Seite erscheint.", 120)
    kind: Literal["nonprofit", "company", "public"] = Field(
        description="Art: `nonprofit` (gemeinnützig), `company` (Unternehmen) oder `public` (öffentliche Stelle)."
    )
    website: Url | None = Field(None, description="Webadresse, beginnend mit https:// oder http://.")
    district: Key | None = Field(None, description="Stadtteil (Schlüssel aus site_config.yml).")
    description: str | None = text("Kurze Beschreibung (Markdown, ein bis drei Sätze).", 1000, optional=True)
    logo: ImagePath | None = Field(None, description="Logo: Pfad innerhalb von content/images/.")
    aliases: Aliases = Field(default_factory=list)


# --- proposals -------------------------------------------------------------------------------------------------


class Need(Strict):
    """Ein konkreter Bedarf – nie Geld."""

    kind: Key = Field(description="Art des Bedarfs (Schlüssel aus `need_kinds` in site_config.yml).")
    description: str = text("Was genau gebraucht wird.", 500)
    hours: Hours | None = None
    value_eur: Euros | None = None


class Beneficiaries(Strict):
    """Wer profitiert."""

    description: str = text("Wer profitiert, in einem Satz.", 300)
    count: int | None = Field(None, ge=0, le=100_000_000, description="Ungefähre Zahl der Menschen, die profitieren.")


class Contact(Strict):
    """Ansprechperson der Organisation. Wird nur mit `public: true` veröffentlicht."""

    name: str = text("Name der Ansprechperson.", 120)
    email: Email | None = Field(None, description="E-Mail-Adresse.")
    phone: Phone | None = Field(None, description="Telefonnummer, in Anführungszeichen.")
    public: bool = Field(False, description="`true`: Kontakt wird auf der Seite gezeigt. Standard: `false`.")


class Proposal(Strict):
    """Ein Vorschlag (eine Herausforderung) einer gemeinnützigen Organisation."""

    title: str = text("Titel, höchstens 120 Zeichen.", 120)
    organization: Reference = Field(description="Kennung der gemeinnützigen Organisation (Dateiname ohne .yml).")
    summary: str = text("Kurzfassung als einfacher Text, höchstens 300 Zeichen.", 300)
    status: Status = Field(
        description="Stand: `submitted`, `under_review`, `open`, `matched`, `completed`, `declined` oder "
        "`withdrawn`. Nur `open`, `matched` und `completed` werden veröffentlicht."
    )
    submitted: dt.date = Field(description="Datum der Einreichung (JJJJ-MM-TT).")
    reviewed: dt.date | None = Field(
        None, description="Datum der Sitzung der Matching-Gruppe; Pflicht ab Status `open`."
    )
    matched: dt.date | None = Field(
        None, description="Datum, an dem ein Unternehmen zugesagt hat; Pflicht ab Status `matched`."
    )
    themes: list[Key] = Field(default_factory=list, description="Themen (Schlüssel aus site_config.yml).")
    district: Key | None = Field(None, description="Stadtteil (Schlüssel aus site_config.yml).")
    needs: list[Need] = Field(min_length=1, description="Was gebraucht wird: mindestens ein Eintrag.")
    beneficiaries: Beneficiaries | None = Field(None, description="Wer profitiert.")
    contact: Contact | None = Field(None, description="Ansprechperson (nur mit `public: true` sichtbar).")
    image: ImagePath | None = None
    image_alt: str | None = text("Bildbeschreibung für Menschen, die das Bild nicht sehen.", 200, optional=True)
    aliases: Aliases = Field(default_factory=list)


# --- cooperations ----------------------------------------------------------------------------------------------


class Partner(Strict):
    """Ein Unternehmen oder eine öffentliche Stelle und sein Beitrag."""

    organization: Reference = Field(description="Kennung des Unternehmens oder der öffentlichen Stelle.")
    kind: Key = Field(description="Art des Beitrags (Schlüssel aus `need_kinds`).")
    contribution: str = text("Was der Partner beigetragen hat.", 500)
    hours: Hours | None = None
    value_eur: Euros | None = None


class Quote(Strict):
    """Ein Zitat für die Erfolgsgeschichte."""

    text: str = Field(min_length=1, max_length=600, description="Das Zitat.")
    author: str = Field(min_length=1, max_length=120, description="Wer es gesagt hat, mit Rolle.")


class ImageRef(Strict):
    """Ein Bild mit Beschreibung."""

    src: ImagePath
    alt: str = text("Bildbeschreibung für Menschen, die das Bild nicht sehen.", 200)


def _image_form(value: Any) -> str:
    return "object" if isinstance(value, dict) else "path"


ImageItem = Annotated[
    Annotated[ImagePath, Tag("path")] | Annotated[ImageRef, Tag("object")], Discriminator(_image_form)
]


class Cooperation(Strict):
    """Eine abgeschlossene Kooperation: die Erfolgsgeschichte."""

    title: str = text("Titel der Erfolgsgeschichte, höchstens 120 Zeichen.", 120)
    organization: Reference = Field(description="Kennung der gemeinnützigen Organisation.")
    summary: str | None = text("Kurzfassung als einfacher Text, höchstens 300 Zeichen.", 300, optional=True)
    proposal: Reference | None = Field(None, description="Kennung des Vorschlags, falls es einen gab.")
    partners: list[Partner] = Field(min_length=1, description="Beteiligte Unternehmen und ihre Beiträge.")
    started: dt.date = Field(description="Beginn (JJJJ-MM-TT).")
    completed: dt.date = Field(description="Abschluss (JJJJ-MM-TT), nicht vor dem Beginn.")
    themes: list[Key] = Field(default_factory=list, description="Themen (Schlüssel aus site_config.yml).")
    district: Key | None = Field(None, description="Stadtteil (Schlüssel aus site_config.yml).")
    people_reached: int | None = Field(None, ge=0, le=100_000_000, description="Wie viele Menschen erreicht wurden.")
    quote: Quote | None = None
    images: list[ImageItem] = Field(
        default_factory=list, description="Bilder: Pfade oder `{src, alt}` innerhalb von content/images/."
    )
    aliases: Aliases = Field(default_factory=list)


# --- free pages ------------------------------------------------------------------------------------------------


class Page(Strict):
    """Eine freie Seite (Über uns, Impressum, Datenschutz …)."""

    title: str = text("Seitentitel.", 120)
    description: str | None = text("Ein Satz für Suchmaschinen und Vorschauen.", 300, optional=True)
    nav: bool = Field(False, description="`true`: Die Seite erscheint im Hauptmenü (sonst nur in der Fußzeile).")
    aliases: Aliases = Field(default_factory=list)


# --- site_config.yml -------------------------------------------------------------------------------------------


class CoordinationContact(Strict):
    """Kontakt der Koordinierungsstelle – öffentlich."""

    name: str = text("Name der Koordinierungsstelle.", 120)
    email: Email = Field(description="E-Mail-Adresse; dorthin gehen die Anfragen von Unternehmen.")
    phone: Phone | None = Field(None, description="Telefonnummer, in Anführungszeichen.")
    address: str | None = text("Anschrift in einer Zeile.", 200, optional=True)


class Network(Strict):
    """Das Netzwerk."""

    name: str = text("Name des Netzwerks.", 120)
    city: str = text("Stadt oder Region.", 80)
    tagline: str = text("Ein Satz, der das Netzwerk beschreibt.", 200)
    contact: CoordinationContact
    example: bool = Field(
        False, description="`true`: Das Netzwerk ist ein Beispiel mit erfundenen Daten; Adressen unter "
        "example.org, example.com und example.net sind dann erlaubt. Standard: `false`."
    )


class Site(Strict):
    """Die Website."""

    url: Url = Field(description="Öffentliche Adresse der Website.")
    language: Literal["de", "en"] = Field("de", description="Sprache der Website: `de` oder `en`.")
    repo_url: Url | None = Field(None, description="Adresse des Inhalts-Repositorys (für „Seite bearbeiten“).")
    repo_public: bool = Field(
        False, description="`true`: Das Inhalts-Repository ist öffentlich. Dann darf es keine internen Vorschläge "
        "und keine nicht öffentlichen Kontakte enthalten, und nur dann verlinkt die Website es. Standard: `false` "
        "(privates Repository, empfohlen)."
    )
    notice: str | None = text("Hinweis, der oben auf jeder Seite steht.", 300, optional=True)
    per_page: int = Field(12, ge=1, le=100, description="Einträge pro Seite in Listen.")


class Value(Strict):
    """Wie Beiträge bewertet werden."""

    hourly_rate_eur: float = Field(
        ge=0, le=100_000, allow_inf_nan=False,
        description="Gegenwert einer Stunde in Euro, wenn ein Beitrag keinen Eurowert angibt."
    )


class SiteConfig(Strict):
    """site_config.yml: das Netzwerk, die Website und die Schlüssellisten."""

    network: Network
    site: Site
    themes: dict[Key, Label] = Field(description="Themen: Schlüssel → Bezeichnung.")
    districts: dict[Key, Label] = Field(default_factory=dict, description="Stadtteile: Schlüssel → Bezeichnung.")
    need_kinds: dict[Key, Label] = Field(
        default_factory=lambda: dict(DEFAULT_NEED_KINDS), description="Arten von Bedarf: Schlüssel → Bezeichnung."
    )
    value: Value
