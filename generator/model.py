"""Stage 2 — model: the typed shape of site_config.yml and of every content kind.

The pydantic models are the single source of truth: the validator checks against them, `showcase schema` writes
JSON Schemas from them and the editors' field reference is generated from their German descriptions.
Rules that need more than one file (references, keys defined in site_config, files on disk) live in validate.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    PlainValidator,
    Tag,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError, PydanticUndefined

from .periods import PATTERN as PERIOD_PATTERN
from .periods import Period, parse_period

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

PUBLIC_STATUSES = ("open", "matched", "completed", "archived")
INTERNAL_STATUSES = ("submitted", "under_review", "declined", "withdrawn")
LANGUAGES = ("de", "en", "nl")
OrganizationKind = Literal["nonprofit", "company", "public", "association", "foundation", "school", "individual"]
ORGANIZATION_KINDS: tuple[str, ...] = get_args(OrganizationKind)
RECIPIENT_KINDS = ("nonprofit", "public", "association", "foundation", "school")
"""Who may submit a proposal or receive help: anyone but a company or a private person."""
COOPERATION_STATUSES = ("agreed", "running", "completed", "recurring")
DELIVERED_STATUSES = ("completed", "recurring")
"""Cooperations whose help has arrived: success stories, and the only ones counted as delivered value."""
PUBLIC_OFFER_STATUSES = ("open", "taken")
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
Status = Literal["submitted", "under_review", "open", "matched", "completed", "archived", "declined", "withdrawn"]
Language = Literal["de", "en", "nl"]
PartialDate = Annotated[
    Period,
    PlainValidator(parse_period),
    WithJsonSchema({"type": ["string", "integer"], "format": "partial-date", "pattern": PERIOD_PATTERN,
                    "minimum": 1000, "maximum": 9999,
                    "description": "Datum (JJJJ-MM-TT), Monat (JJJJ-MM) oder Jahr (JJJJ)."}),
]


class Strict(BaseModel):
    # Unknown fields are errors: a misspelt `titel` must not be silently dropped.
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- amounts that may be approximate ---------------------------------------------------------------------------

LIMIT = 100_000_000


class Estimate(Strict):
    """Eine ungefähre Zahl (`approx: 600`) oder eine Spanne (`min: 20`, `max: 40`), wie die Quelle sie nennt."""

    approx: float | None = Field(None, ge=0, le=LIMIT, allow_inf_nan=False,
                                 description="Ungefährer Wert („etwa 600“, „rund 35.000“).")
    min: float | None = Field(None, ge=0, le=LIMIT, allow_inf_nan=False, description="Untere Grenze einer Spanne.")
    max: float | None = Field(None, ge=0, le=LIMIT, allow_inf_nan=False, description="Obere Grenze einer Spanne.")

    @model_validator(mode="after")
    def _one_form(self) -> Estimate:
        approximate = self.approx is not None and self.min is None and self.max is None
        ranged = self.approx is None and self.min is not None and self.max is not None
        if not (approximate or ranged):
            raise PydanticCustomError("estimate_form", "approx, or min and max")
        if ranged and self.max < self.min:
            raise PydanticCustomError("estimate_order", "max below min")
        return self


def _named_or_unnamed(model: BaseModel) -> None:
    """A contributor is an organisation (`organization`) or described without a name (`unnamed`), never both."""
    if (model.organization is None) == (model.unnamed is None):
        kind = "contributor_both" if model.organization else "contributor_missing"
        raise PydanticCustomError(kind, "organization or unnamed")


# JSON Schema of the same rule, for editors' tools and the web editor.
NAMED_OR_UNNAMED = {"oneOf": [{"required": ["organization"], "not": {"required": ["unnamed"]}},
                              {"required": ["unnamed"], "not": {"required": ["organization"]}}]}


def _amount_form(value: Any) -> str:
    return "estimate" if isinstance(value, dict) else "number"


def amount(description: str, limit: float = LIMIT, whole: bool = False) -> Any:
    """A number that may be exact (`600`), approximate (`{approx: 600}`) or a range (`{min: 20, max: 40}`);
    left out, it is unknown (never zero)."""
    number = Annotated[int if whole else float, Field(ge=0, le=limit, allow_inf_nan=False)]
    return Annotated[
        Annotated[number, Tag("number")] | Annotated[Estimate, Tag("estimate")],
        Discriminator(_amount_form),
        Field(description=description + " Genau (`600`), ungefähr (`{approx: 600}`) oder als Spanne "
              "(`{min: 20, max: 40}`); weglassen, wenn unbekannt."),
    ]


Hours = amount("Stunden.", 1_000_000)
Euros = amount("Gegenwert in Euro (bei Sach- und Zeitleistungen der Wert der Leistung).")
People = amount("Zahl der Menschen.", whole=True)
Amount = float | int | Estimate


class Source(Strict):
    """Eine öffentliche Quelle: Zeitungsartikel, Pressemitteilung, Jahresbericht."""

    title: str = Field(min_length=1, max_length=200, description="Titel der Quelle, z. B. der Überschrift.")
    url: Url | None = Field(None, description="Webadresse der Quelle.")
    date: PartialDate | None = Field(None, description="Datum der Veröffentlichung (JJJJ, JJJJ-MM oder JJJJ-MM-TT).")


Sources = Annotated[list[Source], Field(description="Öffentliche Quellen: `- title: …`, `url: …`, `date: …`.")]
EntryLanguage = Annotated[
    Language | None,
    Field(description="Sprache dieses Eintrags, wenn sie nicht die der Website ist (`de`, `en`, `nl`)."),
]


# --- organisations ---------------------------------------------------------------------------------------------


class Organization(Strict):
    """Eine Organisation oder Person, die Hilfe bekommt oder gibt."""

    name: str = text("Name der Organisation, wie er auf der Seite erscheint.", 120)
    kind: OrganizationKind = Field(
        description="Art: `nonprofit` (gemeinnützige Einrichtung), `company` (Unternehmen), `public` (öffentliche "
        "Stelle), `association` (Verein, Club, Verband), `foundation` (Stiftung), `school` (Schule, Hochschule) "
        "oder `individual` (Einzelperson)."
    )
    website: Url | None = Field(None, description="Webadresse, beginnend mit https:// oder http://.")
    district: Key | None = Field(None, description="Stadtteil (Schlüssel aus site_config.yml).")
    description: str | None = text("Kurze Beschreibung (Markdown, ein bis drei Sätze).", 1000, optional=True)
    logo: ImagePath | None = Field(None, description="Logo: Pfad innerhalb von content/images/.")
    language: EntryLanguage = None
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
    count: People | None = None


class Contact(Strict):
    """Ansprechperson der Organisation. Wird nur mit `public: true` veröffentlicht."""

    name: str = text("Name der Ansprechperson.", 120)
    email: Email | None = Field(None, description="E-Mail-Adresse.")
    phone: Phone | None = Field(None, description="Telefonnummer, in Anführungszeichen.")
    public: bool = Field(False, description="`true`: Kontakt wird auf der Seite gezeigt. Standard: `false`.")


TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
DayPart = Literal["half_day", "full_day"]


def _duration_form(value: Any) -> str:
    return "duration-day" if isinstance(value, str) else "duration-hours"


# Tagged like `amount`, so a wrong value gets one message about the form it was written in, not one per branch.
Duration = Annotated[
    Annotated[Annotated[float, Field(gt=0, le=1000, allow_inf_nan=False)], Tag("duration-hours")]
    | Annotated[DayPart, Tag("duration-day")],
    Discriminator(_duration_form),
]


class Helpers(Strict):
    """Wie viele Menschen mit anpacken können (für Teamtage)."""

    min: int = Field(ge=1, le=1000, description="Mindestens so viele Menschen.")
    max: int | None = Field(None, ge=1, le=1000, description="Höchstens so viele; weglassen, wenn offen.")

    @model_validator(mode="after")
    def _ordered(self) -> Helpers:
        if self.max is not None and self.max < self.min:
            raise PydanticCustomError("estimate_order", "max below min")  # same message: max below min
        return self


class Window(Strict):
    """Der Zeitraum, in dem die Hilfe stattfinden kann."""

    start: PartialDate = Field(description="Frühestens: JJJJ-MM-TT, JJJJ-MM oder JJJJ.")
    end: PartialDate | None = Field(None, description="Spätestens: JJJJ-MM-TT, JJJJ-MM oder JJJJ.")


class Proposal(Strict):
    """Ein Vorschlag (eine Herausforderung) einer gemeinnützigen Organisation."""

    title: str = text("Titel, höchstens 120 Zeichen.", 120)
    organization: Reference = Field(description="Kennung der gemeinnützigen Organisation (Dateiname ohne .yml).")
    summary: str = text("Kurzfassung als einfacher Text, höchstens 300 Zeichen.", 300)
    status: Status = Field(
        description="Stand: `submitted`, `under_review`, `open`, `matched`, `completed`, `archived` (Ausgang "
        "unbekannt, ohne Aufruf gezeigt), `declined` oder `withdrawn`. Nur `open`, `matched`, `completed` und "
        "`archived` werden veröffentlicht."
    )
    submitted: PartialDate | None = Field(
        None, description="Einreichung: Datum (JJJJ-MM-TT), Monat (JJJJ-MM) oder Jahr (JJJJ)."
    )
    reviewed: PartialDate | None = Field(
        None, description="Sitzung der Matching-Gruppe; Pflicht ab Status `open`, wenn site_config.yml eine "
        "Prüfung verlangt (`process.review_required`) und der Vorschlag nicht von einem Marktplatz kommt."
    )
    matched: PartialDate | None = Field(
        None, description="Zusage eines Partners; Pflicht ab Status `matched`."
    )
    event: Reference | None = Field(
        None, description="Kennung der Veranstaltung (z. B. eines Marktplatzes), auf der der Vorschlag gemacht wurde."
    )
    sources: Sources = Field(default_factory=list)
    themes: list[Key] = Field(default_factory=list, description="Themen (Schlüssel aus site_config.yml).")
    district: Key | None = Field(None, description="Stadtteil (Schlüssel aus site_config.yml).")
    needs: list[Need] = Field(min_length=1, description="Was gebraucht wird: mindestens ein Eintrag.")
    helpers: Helpers | None = Field(None, description="Wie viele Menschen mit anpacken können, z. B. "
                                    "`{min: 4, max: 10}` für einen Teamtag.")
    duration: Duration | None = Field(
        None, description="Wie lange der Einsatz dauert: Stunden (`6`) oder `half_day` / `full_day`."
    )
    window: Window | None = Field(None, description="Zeitraum, in dem die Hilfe stattfinden kann.")
    deadline: PartialDate | None = Field(
        None, description="Bis wann sich ein Unternehmen melden muss; danach gilt die Herausforderung als "
        "abgelaufen und steht nicht mehr unter den offenen."
    )
    beneficiaries: Beneficiaries | None = Field(None, description="Wer profitiert.")
    contact: Contact | None = Field(None, description="Ansprechperson (nur mit `public: true` sichtbar).")
    image: ImagePath | None = None
    image_alt: str | None = text("Bildbeschreibung für Menschen, die das Bild nicht sehen.", 200, optional=True)
    image_credit: str | None = text("Wer das Foto gemacht hat, z. B. „Foto: Anna Beispiel“.", 120, optional=True)
    language: EntryLanguage = None
    aliases: Aliases = Field(default_factory=list)

    def expired(self, today: dt.date) -> bool:
        """Open, but its deadline (the deadline's last day) lies before `today`: no longer offered as open."""
        return self.status == "open" and self.deadline is not None and self.deadline.end < today


# --- cooperations ----------------------------------------------------------------------------------------------


class Partner(Strict):
    """Wer etwas beigetragen hat – Unternehmen, öffentliche Stelle, Verein, Stiftung, Schule, Person – und was."""

    model_config = ConfigDict(json_schema_extra=NAMED_OR_UNNAMED)

    organization: Reference | None = Field(
        None, description="Kennung der Organisation; weglassen und `unnamed` schreiben, wenn sie ungenannt bleibt."
    )
    unnamed: str | None = text("Ungenannter Partner, wie die Seite ihn nennt, z. B. „ein Unternehmen aus dem "
                               "Netzwerk“.", 120, optional=True)
    unnamed_kind: OrganizationKind | None = Field(
        None, description="Art des ungenannten Partners (wie `kind` einer Organisation), z. B. `company`."
    )
    kind: Key = Field(description="Art des Beitrags (Schlüssel aus `need_kinds`).")
    contribution: str = text("Was der Partner beigetragen hat.", 500)
    state: Literal["pledged", "delivered"] | None = Field(
        None, description="`pledged` (zugesagt) oder `delivered` (erbracht). Standard: erbracht, wenn die "
        "Kooperation abgeschlossen oder wiederkehrend ist, sonst zugesagt. Nur Erbrachtes zählt als Wert."
    )
    hours: Hours | None = None
    value_eur: Euros | None = None

    @model_validator(mode="after")
    def _contributor(self) -> Partner:
        _named_or_unnamed(self)
        return self


class Quote(Strict):
    """Ein Zitat für die Erfolgsgeschichte."""

    text: str = Field(min_length=1, max_length=600, description="Das Zitat.")
    author: str = Field(min_length=1, max_length=120, description="Wer es gesagt hat, mit Rolle.")


class ImageRef(Strict):
    """Ein Bild mit Beschreibung."""

    src: ImagePath
    alt: str = text("Bildbeschreibung für Menschen, die das Bild nicht sehen.", 200)
    caption: str | None = text("Bildunterschrift, z. B. was und wer zu sehen ist.", 200, optional=True)
    credit: str | None = text("Wer das Foto gemacht hat, z. B. „Foto: Anna Beispiel“ oder „Foto: Tafel e. V.“.",
                              120, optional=True)


def _image_form(value: Any) -> str:
    return "object" if isinstance(value, dict) else "path"


ImageItem = Annotated[
    Annotated[ImagePath, Tag("path")] | Annotated[ImageRef, Tag("object")], Discriminator(_image_form)
]


class Cooperation(Strict):
    """Eine Kooperation: vereinbart, laufend, abgeschlossen (die Erfolgsgeschichte) oder wiederkehrend."""

    title: str = text("Titel der Kooperation, höchstens 120 Zeichen.", 120)
    status: Literal["agreed", "running", "completed", "recurring"] = Field(
        "completed", description="Stand: `agreed` (vereinbart), `running` (läuft), `completed` (abgeschlossen) "
        "oder `recurring` (wiederkehrend, z. B. jährlich). Standard: `completed`. Nur abgeschlossene und "
        "wiederkehrende Kooperationen sind Erfolgsgeschichten und zählen als erbrachter Wert."
    )
    organization: Reference | None = Field(
        None, description="Kennung der Organisation, die Hilfe bekommt. Bei mehreren: `recipients`."
    )
    recipients: list[Reference] = Field(
        default_factory=list, description="Kennungen aller Organisationen, die Hilfe bekommen (statt "
        "`organization`, wenn es mehrere sind)."
    )
    summary: str | None = text("Kurzfassung als einfacher Text, höchstens 300 Zeichen.", 300, optional=True)
    origin: Literal["request", "offer", "marketplace"] | None = Field(
        None, description="Woher die Kooperation kam: `request` (ein Vorschlag), `offer` (ein Angebot eines "
        "Unternehmens) oder `marketplace` (ein Marktplatz). Ergibt sich sonst aus `proposal`, `offer` und `event`."
    )
    proposal: Reference | None = Field(None, description="Kennung des Vorschlags, falls es einen gab.")
    offer: Reference | None = Field(None, description="Kennung des Angebots, falls es eines gab.")
    event: Reference | None = Field(None, description="Kennung der Veranstaltung (z. B. des Marktplatzes).")
    partners: list[Partner] = Field(min_length=1, description="Wer beigetragen hat, und womit.")
    started: PartialDate | None = Field(None, description="Beginn: JJJJ-MM-TT, JJJJ-MM oder JJJJ.")
    completed: PartialDate | None = Field(
        None, description="Abschluss (bei wiederkehrenden: zuletzt): JJJJ-MM-TT, JJJJ-MM oder JJJJ; nicht vor dem "
        "Beginn."
    )
    themes: list[Key] = Field(default_factory=list, description="Themen (Schlüssel aus site_config.yml).")
    district: Key | None = Field(None, description="Stadtteil (Schlüssel aus site_config.yml).")
    people_reached: People | None = None
    reach_note: str | None = text("Reichweite in Worten, z. B. „20 Gruppen, 800 Müllsäcke“.", 200, optional=True)
    quote: Quote | None = None
    images: list[ImageItem] = Field(
        default_factory=list, description="Bilder: Pfade oder `{src, alt}` innerhalb von content/images/."
    )
    sources: Sources = Field(default_factory=list)
    language: EntryLanguage = None
    aliases: Aliases = Field(default_factory=list)

    @property
    def recipient_ids(self) -> list[str]:
        return ([self.organization] if self.organization else []) + list(self.recipients)

    @property
    def derived_origin(self) -> str | None:
        if self.origin:
            return self.origin
        return "offer" if self.offer else "marketplace" if self.event else "request" if self.proposal else None

    @property
    def delivered(self) -> bool:
        return self.status in DELIVERED_STATUSES

    def partner_delivered(self, partner: Partner) -> bool:
        return partner.state == "delivered" if partner.state else self.delivered


# --- offers and events -----------------------------------------------------------------------------------------


class Offer(Strict):
    """Ein Angebot eines Unternehmens (oder einer anderen Organisation), das eine gemeinnützige Organisation
    annehmen kann."""

    model_config = ConfigDict(json_schema_extra=NAMED_OR_UNNAMED)

    title: str = text("Was angeboten wird, höchstens 120 Zeichen.", 120)
    organization: Reference | None = Field(
        None, description="Kennung der anbietenden Organisation; weglassen und `unnamed` schreiben, wenn sie "
        "ungenannt bleiben möchte."
    )
    unnamed: str | None = text("Ungenannter Anbieter, z. B. „ein Handwerksbetrieb“.", 120, optional=True)
    kind: Key = Field(description="Art der Hilfe (Schlüssel aus `need_kinds`).")
    summary: str = text("Kurzfassung als einfacher Text, höchstens 300 Zeichen.", 300)
    amount: str | None = text("Wie viel, z. B. „20 Stunden“ oder „2 Transporter für einen Tag“.", 120,
                              optional=True)
    status: Literal["submitted", "open", "taken", "withdrawn"] = Field(
        description="Stand: `submitted` (noch nicht freigegeben), `open` (verfügbar), `taken` (vergeben) oder "
        "`withdrawn` (zurückgezogen). Nur `open` und `taken` werden veröffentlicht."
    )
    offered: PartialDate | None = Field(None, description="Seit wann das Angebot besteht: JJJJ-MM-TT, JJJJ-MM, JJJJ.")
    until: PartialDate | None = Field(None, description="Bis wann es gilt: JJJJ-MM-TT, JJJJ-MM oder JJJJ.")
    themes: list[Key] = Field(default_factory=list, description="Themen (Schlüssel aus site_config.yml).")
    district: Key | None = Field(None, description="Stadtteil (Schlüssel aus site_config.yml).")
    language: EntryLanguage = None
    aliases: Aliases = Field(default_factory=list)

    @model_validator(mode="after")
    def _contributor(self) -> Offer:
        _named_or_unnamed(self)
        return self


class Results(Strict):
    """Ergebnisse, wie das Netzwerk sie insgesamt gemeldet hat (für eine Veranstaltung oder ein Jahr)."""

    matches: People | None = Field(None, description="Zahl der vermittelten Kooperationen („76 Matches“).")
    hours: Hours | None = None
    value_eur: Euros | None = None
    people_reached: People | None = None
    organizations: People | None = Field(None, description="Zahl der beteiligten Organisationen und Unternehmen.")
    note: str | None = text("Was die Zahlen umfassen, in einem Satz.", 300, optional=True)
    scope: Literal["network", "wider"] = Field(
        "network", description="`network`: Zahlen dieses Netzwerks (zählen in seiner Bilanz mit). `wider`: Zahlen "
        "eines größeren Kreises, z. B. landesweit aller Netzwerke – nur gezeigt, nie mitgezählt. Standard: `network`."
    )
    includes: list[Reference] = Field(
        default_factory=list, description="Kennungen von Veranstaltungen oder Bilanzen, deren Zahlen in diesen schon "
        "enthalten sind (z. B. bei einer Bilanz über mehrere Jahre): sie werden nicht noch einmal gezählt."
    )


class Event(Strict):
    """Eine Veranstaltung (Marktplatz, Aktionstag, Treffen) oder ein Jahresbericht mit gemeldeten Ergebnissen."""

    title: str = text("Titel, höchstens 120 Zeichen.", 120)
    kind: Literal["marketplace", "campaign", "meeting", "round", "report", "other"] = Field(
        description="Art: `marketplace` (Marktplatz, Beursvloer), `campaign` (Aktion, Aktionstag), `meeting` "
        "(Treffen), `round` (Sitzung der Matching-Gruppe, mit Einsendeschluss `deadline`), `report` (Jahres- "
        "oder Zwischenbilanz) oder `other`."
    )
    date: PartialDate | None = Field(
        None, description="Datum (JJJJ-MM-TT), Monat (JJJJ-MM) oder Jahr (JJJJ; bei Bilanzen das Berichtsjahr); "
        "weglassen, wenn die Quelle keines nennt."
    )
    end: PartialDate | None = Field(None, description="Ende eines Zeitraums, z. B. einer Bilanz über mehrere Jahre.")
    time: str | None = Field(None, pattern=TIME_PATTERN, description="Beginn als SS:MM, z. B. `17:30`.")
    end_time: str | None = Field(None, pattern=TIME_PATTERN, description="Ende als SS:MM, z. B. `20:00`.")
    deadline: PartialDate | None = Field(
        None, description="Einsendeschluss für Vorschläge (bei einer Sitzung der Matching-Gruppe) oder "
        "Anmeldeschluss: JJJJ-MM-TT."
    )
    summary: str | None = text("Kurzfassung als einfacher Text, höchstens 300 Zeichen.", 300, optional=True)
    place: str | None = text("Ort, z. B. „IHK Aachen“.", 120, optional=True)
    district: Key | None = Field(None, description="Stadtteil (Schlüssel aus site_config.yml).")
    organizers: list[Reference] = Field(default_factory=list, description="Kennungen der Veranstalter.")
    results: Results | None = Field(None, description="Gemeldete Gesamtergebnisse.")
    sources: Sources = Field(default_factory=list)
    language: EntryLanguage = None
    aliases: Aliases = Field(default_factory=list)


# --- free pages ------------------------------------------------------------------------------------------------


class Page(Strict):
    """Eine freie Seite (Über uns, Impressum, Datenschutz …)."""

    title: str = text("Seitentitel.", 120)
    description: str | None = text("Ein Satz für Suchmaschinen und Vorschauen.", 300, optional=True)
    nav: bool = Field(False, description="`true`: Die Seite erscheint im Hauptmenü (sonst nur in der Fußzeile).")
    imprint: bool = Field(False, description="`true`: Diese Seite ist das Impressum. Nur dort steht der Link zum "
                          "Repository, und nur wenn es öffentlich ist (`site.repo_public`).")
    language: EntryLanguage = None
    aliases: Aliases = Field(default_factory=list)


# --- site_config.yml -------------------------------------------------------------------------------------------


class CoordinationContact(Strict):
    """Kontakt der Koordinierungsstelle – öffentlich."""

    name: str = text("Name der Koordinierungsstelle.", 120)
    person: str | None = text("Wer Anfragen beantwortet, mit Rolle, z. B. „Anna Beispiel, Koordinatorin“.", 120,
                              optional=True)
    email: Email = Field(description="E-Mail-Adresse; dorthin gehen die Anfragen von Unternehmen.")
    phone: Phone | None = Field(None, description="Telefonnummer, in Anführungszeichen, am besten mit "
                                "Ländervorwahl: `\"+49 681 123456\"`.")
    response_time: str | None = text("Was Anfragende erwarten können, z. B. „Antwort innerhalb von drei "
                                     "Werktagen“.", 120, optional=True)
    address: str | None = text("Anschrift in einer Zeile.", 200, optional=True)


class Network(Strict):
    """Das Netzwerk."""

    name: str = text("Name des Netzwerks.", 120)
    id: Key | None = Field(
        None, description="Kurze, feste Kennung des Netzwerks für offene Daten und Zusammenführungen, z. B. "
        "`saarbruecken` (a–z, 0–9, `-`). Standard: aus dem Namen der Stadt gebildet."
    )
    city: str = text("Stadt oder Region.", 80)
    tagline: str = text("Ein Satz, der das Netzwerk beschreibt.", 200)
    contact: CoordinationContact
    example: bool = Field(
        False, description="`true`: Das Netzwerk ist ein Beispiel mit erfundenen Daten; Adressen unter "
        "example.org, example.com und example.net sind dann erlaubt. Standard: `false`."
    )
    monetary: bool = Field(
        False, description="`true`: Das Netzwerk vermittelt auch Geld (manche niederländischen Netzwerke). "
        "Standard: `false` – nur Sach-, Zeit- und Dienstleistungen, kein Geld."
    )


def _with_final_slash(address: str) -> str:
    """`https://x.org` and `https://x.org/` name the same site; every absolute URL of the build is this address
    followed by a path (sitemap, feeds, calendars, the call to action's e-mail), so it ends with `/`."""
    return address if address.endswith("/") else address + "/"


SiteAddress = Annotated[Url, AfterValidator(_with_final_slash)]


class Site(Strict):
    """Die Website."""

    url: SiteAddress = Field(description="Öffentliche Adresse der Website.")
    language: Language = Field("de", description="Sprache der Website: `de`, `en` oder `nl`.")
    repo_url: Url | None = Field(None, description="Adresse des Inhalts-Repositorys (für „Seite bearbeiten“).")
    repo_public: bool = Field(
        False, description="`true`: Das Inhalts-Repository ist öffentlich. Dann darf es keine internen Vorschläge "
        "und keine nicht öffentlichen Kontakte enthalten, und nur dann verlinkt die Website es. Standard: `false` "
        "(privates Repository, empfohlen)."
    )
    notice: str | None = text("Hinweis, der oben auf jeder Seite steht.", 300, optional=True)
    logo: ImagePath | None = Field(None, description="Logo des Netzwerks für die Kopfzeile: Pfad innerhalb von "
                                   "content/images/ (PNG, JPEG oder WebP).")
    favicon: ImagePath | None = Field(None, description="Symbol im Browser-Tab: Pfad innerhalb von "
                                      "content/images/ (PNG, quadratisch, mindestens 48 Pixel).")
    per_page: int = Field(12, ge=1, le=100, description="Einträge pro Seite in Listen.")
    data_licence: Label = Field(
        "CC-BY-4.0", description="Lizenz der offenen Daten (SPDX-Kennung), Standard: `CC-BY-4.0`."
    )
    place_label: Label | None = Field(
        None, description="Wie die Orte unter `districts` heißen (Einzahl), z. B. „Ort“, „Gemeinde“ oder „dorp“. "
        "Standard: „Stadtteil“."
    )
    place_label_plural: Label | None = Field(None, description="Dasselbe in der Mehrzahl, z. B. „Gemeinden“.")


class Process(Strict):
    """Wie Vorschläge geprüft werden."""

    review_required: bool = Field(
        True, description="`true`: Ein Vorschlag braucht ein Datum `reviewed` (die Sitzung der Prüfgruppe), bevor "
        "er veröffentlicht wird – außer er kommt von einem Marktplatz (`event`). Standard: `true`."
    )
    review_label: Label | None = Field(
        None, description="Name der prüfenden Gruppe, z. B. „Matching-Gruppe“ (Standard) oder „Jury“."
    )


class NeedKind(Strict):
    """Eine Art von Bedarf mit Angaben, die über die Bezeichnung hinausgehen."""

    label: Label = Field(description="Bezeichnung.")
    monetary: bool = Field(
        False, description="`true`: Diese Art ist Geld. Nur erlaubt, wenn `network.monetary: true`; Geld zählt "
        "nie zum Gegenwert der Sach- und Zeitleistungen."
    )


class Value(Strict):
    """Wie Beiträge bewertet werden."""

    hourly_rate_eur: float = Field(
        ge=0, le=100_000, allow_inf_nan=False,
        description="Gegenwert einer Stunde in Euro, wenn ein Beitrag keinen Eurowert angibt."
    )


REPO_PATTERN = r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$"


class Editor(Strict):
    """Der Web-Editor unter /admin/ (Decap CMS): in welchem Repository er Inhalte liest und speichert."""

    repo: str = Field(pattern=REPO_PATTERN, max_length=140,
                      description="GitHub-Repository der Inhalte, `besitzer/name`, z. B. `freiwilligenzentrum/netz`.")
    branch: str = Field("main", pattern=r"^[A-Za-z0-9._/-]{1,100}$",
                        description="Zweig, auf dem die veröffentlichten Inhalte liegen. Standard: `main`.")
    base_url: Url = Field(
        description="Adresse des Anmelde-Helfers (OAuth-Proxy), über den sich Redakteurinnen und Redakteure bei "
        "GitHub anmelden, z. B. `https://anmeldung.example.org` (siehe CONTRIBUTING.md, „Web-Editor einrichten“)."
    )
    auth_endpoint: str | None = Field(None, pattern=r"^[A-Za-z0-9._/-]{1,100}$",
                                      description="Pfad der Anmeldung beim Helfer. Standard: `auth`.")


class SiteConfig(Strict):
    """site_config.yml: das Netzwerk, die Website und die Schlüssellisten."""

    network: Network
    site: Site
    themes: dict[Key, Label] = Field(description="Themen: Schlüssel → Bezeichnung.")
    districts: dict[Key, Label] = Field(default_factory=dict, description="Stadtteile: Schlüssel → Bezeichnung.")
    need_kinds: dict[Key, Label | NeedKind] = Field(
        default_factory=lambda: dict(DEFAULT_NEED_KINDS),
        description="Arten von Bedarf: Schlüssel → Bezeichnung, oder Schlüssel → `{label: …, monetary: true}`."
    )
    value: Value
    process: Process = Field(default_factory=Process, description="Wie Vorschläge geprüft werden.")
    editor: Editor | None = Field(None, description="Der Web-Editor unter /admin/; ohne diesen Abschnitt wird er "
                                  "nicht gebaut.")

    @property
    def need_labels(self) -> dict[str, str]:
        return {key: kind if isinstance(kind, str) else kind.label for key, kind in self.need_kinds.items()}

    @property
    def monetary_kinds(self) -> set[str]:
        return {key for key, kind in self.need_kinds.items() if isinstance(kind, NeedKind) and kind.monetary}
