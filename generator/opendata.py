"""Open data: the public view as JSON and CSV files with a versioned JSON Schema each, for journalists, funders and
an umbrella organisation that merges several networks (`showcase federate`).

Built from the same public views as the site (after the privacy boundary), so nothing internal can get in; the
privacy gate scans these files like every other output. Open data is about organisations and cooperations, not
people: contact persons, quote authors and individuals who gave help are left out (an individual partner appears
as its kind only).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args, get_origin

from pydantic import BaseModel, Field

from . import model as m
from .periods import Period
from .publish import FIGURES, covered
from .quantities import Quantity, add
from .slugs import slugify
from .views import Partner, PublicCooperation, PublicEvent, PublicOrganization, PublicProposal, PublicSite

VERSION = "1"
"""The format's major version: it changes only when a field changes its meaning or disappears."""


# --- the records, with descriptions (their JSON Schema is published beside the data) ----------------------------


class Amount(BaseModel):
    """Eine Zahl, wie das Netzwerk sie kennt: `low` = `high`, wenn genau; sonst eine Spanne; `approx`, wenn ungefähr."""

    low: float = Field(description="Untere Grenze (bei genauen Zahlen die Zahl selbst).")
    high: float = Field(description="Obere Grenze (bei genauen Zahlen die Zahl selbst).")
    approx: bool = Field(description="`true`, wenn die Quelle eine ungefähre Zahl nennt.")


class Named(BaseModel):
    id: str | None = Field(
        description="Feste Kennung der Organisation; `null` bei ungenannten Beteiligten und Einzelpersonen.")
    name: str | None = Field(description="Name; `null` bei Einzelpersonen (offene Daten nennen keine Menschen).")
    kind: str | None = Field(
        description="Art: nonprofit, company, public, association, foundation, school oder individual.")


class PageRecord(BaseModel):
    """What every record of an entry with its own page begins with."""

    id: str = Field(description="Feste Kennung (der Dateiname).")
    url: str = Field(description="Adresse der Seite, relativ zur Website.")
    title: str = Field(description="Titel.")


class ProposalRecord(PageRecord):
    """Eine veröffentlichte Herausforderung (offen, vermittelt, abgeschlossen oder archiviert)."""

    summary: str = Field(description="Kurzfassung.")
    status: str = Field(description="open, matched, completed oder archived.")
    organization: Named = Field(description="Die Organisation, die Hilfe sucht.")
    needs: list[str] = Field(description="Arten der gesuchten Hilfe (Schlüssel des Netzwerks).")
    themes: list[str] = Field(description="Themen (Schlüssel).")
    district: str | None = Field(description="Ort (Schlüssel).")
    submitted: str | None = Field(description="Eingereicht: Datum, Monat (JJJJ-MM) oder Jahr, so genau wie bekannt.")
    reviewed: str | None = Field(description="Geprüft (Sitzung der Matching-Gruppe).")
    matched: str | None = Field(description="Vermittelt.")


class PartnerRecord(BaseModel):
    contributor: Named = Field(description="Wer beigetragen hat.")
    kind: str = Field(description="Art der Hilfe (Schlüssel).")
    contribution: str = Field(description="Was beigetragen wurde.")
    delivered: bool = Field(description="`false`, solange der Beitrag nur zugesagt ist.")
    monetary: bool = Field(description="`true` bei Geld (nur in Netzwerken, die Geld vermitteln).")
    hours: Amount | None = Field(description="Stunden; `null`, wenn unbekannt (nie 0 für unbekannt).")
    value_eur: Amount | None = Field(
        description="Genannter Eurowert oder Stunden × Stundensatz; `null`, wenn unbekannt.")


class CooperationRecord(PageRecord):
    """Eine Kooperation: vereinbart, laufend, abgeschlossen oder wiederkehrend."""

    summary: str | None = Field(description="Kurzfassung.")
    status: str = Field(description="agreed, running, completed oder recurring.")
    recipients: list[Named] = Field(description="Wer Hilfe bekommen hat.")
    partners: list[PartnerRecord] = Field(description="Wer was beigetragen hat.")
    started: str | None = Field(description="Beginn (Datum, Monat oder Jahr).")
    completed: str | None = Field(description="Abschluss (Datum, Monat oder Jahr).")
    themes: list[str] = Field(description="Themen (Schlüssel).")
    district: str | None = Field(description="Ort (Schlüssel).")
    people_reached: Amount | None = Field(description="Erreichte Menschen; `null`, wenn unbekannt.")
    origin: str | None = Field(description="Herkunft: request, offer oder marketplace.")
    proposal: str | None = Field(description="Kennung der Herausforderung, auf die sie antwortet.")
    event: str | None = Field(description="Kennung der Veranstaltung, aus der sie kam.")
    counted_in_event: list[str] = Field(
        description="Welche ihrer Zahlen (`hours`, `value_eur`, `people_reached`) die gemeldete Bilanz einer "
        "Veranstaltung schon enthält – in Summen nicht noch einmal zählen.")
    sources: list[str] = Field(description="Adressen öffentlicher Quellen.")


class OrganizationRecord(BaseModel):
    """Eine beteiligte Organisation (Einzelpersonen stehen nicht in den offenen Daten)."""

    id: str = Field(description="Feste Kennung.")
    url: str = Field(description="Adresse der Seite.")
    name: str = Field(description="Name.")
    kind: str = Field(description="Art: nonprofit, company, public, association, foundation oder school.")
    website: str | None = Field(description="Webadresse.")
    district: str | None = Field(description="Ort (Bezeichnung).")


class EventRecord(PageRecord):
    """Eine Veranstaltung oder gemeldete Bilanz (Marktplatz, Aktion, Treffen, Bilanz)."""

    kind: str = Field(description="marketplace, campaign, meeting, report oder other.")
    date: str | None = Field(description="Datum, Monat oder Jahr.")
    end: str | None = Field(description="Ende eines Zeitraums.")
    place: str | None = Field(description="Veranstaltungsort.")
    matches: Amount | None = Field(description="Gemeldete Vermittlungen.")
    hours: Amount | None = Field(description="Gemeldete Stunden.")
    value_eur: Amount | None = Field(description="Gemeldeter Gegenwert in Euro.")
    people_reached: Amount | None = Field(description="Gemeldete erreichte Menschen.")
    scope: str | None = Field(description="network: zählt in der Bilanz dieses Netzwerks; wider: nur gezeigt.")
    includes: list[str] = Field(description="Kennungen von Bilanzen, deren Zahlen diese schon enthält.")
    sources: list[str] = Field(description="Adressen öffentlicher Quellen.")


# --- conversion -------------------------------------------------------------------------------------------------


def _amount(value: Quantity | None) -> Amount | None:
    return None if value is None else Amount(low=value.low, high=value.high, approx=value.approx)


def _date(value: Period | None) -> str | None:
    return None if value is None else str(value)


def _named(organization: PublicOrganization | None, kind: str | None = None) -> Named:
    if organization is None:
        return Named(id=None, name=None, kind=kind)
    person = organization.kind == "individual"
    return Named(id=None if person else organization.id, name=None if person else organization.name,
                 kind=organization.kind)


def _partner(partner: Partner) -> PartnerRecord:
    return PartnerRecord(
        contributor=_named(partner.organization, partner.contributor_kind), kind=partner.kind,
        contribution=partner.contribution, delivered=partner.delivered, monetary=partner.monetary,
        hours=_amount(partner.hours), value_eur=_amount(partner.valued_eur),
    )


def proposal_record(p: PublicProposal) -> ProposalRecord:
    return ProposalRecord(
        id=p.id, url=p.url, title=p.title, summary=p.summary, status=p.status, organization=_named(p.organization),
        needs=list(dict.fromkeys(need.kind for need in p.needs)), themes=[t.key for t in p.themes],
        district=p.district.key if p.district else None, submitted=_date(p.submitted), reviewed=_date(p.reviewed),
        matched=_date(p.matched),
    )


def cooperation_record(c: PublicCooperation) -> CooperationRecord:
    contained = [figure for figure in FIGURES if covered(c, figure)]
    return CooperationRecord(
        id=c.id, url=c.url, title=c.title, summary=c.summary, status=c.status,
        recipients=[_named(r) for r in c.recipients], partners=[_partner(p) for p in c.partners],
        started=_date(c.started), completed=_date(c.completed), themes=[t.key for t in c.themes],
        district=c.district.key if c.district else None, people_reached=_amount(c.people_reached), origin=c.origin,
        proposal=c.proposal.id if c.proposal else None, event=c.event.id if c.event else None,
        counted_in_event=contained, sources=[s.url for s in c.sources if s.url],
    )


def organization_record(o: PublicOrganization) -> OrganizationRecord:
    return OrganizationRecord(id=o.id, url=o.url, name=o.name, kind=o.kind, website=o.website, district=o.district)


def event_record(e: PublicEvent) -> EventRecord:
    r = e.results
    return EventRecord(
        id=e.id, url=e.url, title=e.title, kind=e.kind, date=_date(e.date), end=_date(e.end), place=e.place,
        matches=_amount(r.matches) if r else None, hours=_amount(r.hours) if r else None,
        value_eur=_amount(r.value_eur) if r else None, people_reached=_amount(r.people_reached) if r else None,
        scope=r.scope if r else None, includes=list(e.includes), sources=[s.url for s in e.sources if s.url],
    )


# --- the files --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dataset:
    name: str
    """File stem: `proposals` → `proposals.json`, `proposals.csv`, `schemas/proposals-1.json`."""
    record: type[BaseModel]
    items: Callable[[PublicSite], Iterable[Any]]
    convert: Callable[[Any], BaseModel]


DATASETS = (
    Dataset("proposals", ProposalRecord, lambda site: site.proposals, proposal_record),
    Dataset("cooperations", CooperationRecord, lambda site: [*site.cooperations, *site.ongoing], cooperation_record),
    Dataset("organizations", OrganizationRecord,
            lambda site: [o for o in site.organizations if o.kind != "individual"], organization_record),
    Dataset("events", EventRecord, lambda site: site.events, event_record),
)


def network_id(config: Any) -> str:
    """The network's id in every file: `network.id`, else made from the city's name."""
    return config.network.id or slugify(config.network.city)


def schema_name(dataset: Dataset) -> str:
    return f"schemas/{dataset.name}-{VERSION}.json"


def data_files(site: PublicSite, base_url: str) -> dict[str, bytes]:
    """Every open-data file by its path inside the data folder."""
    config = site.config.network
    network = {"id": network_id(site.config), "name": config.name, "city": config.city}
    files: dict[str, bytes] = {}
    for dataset in DATASETS:
        records = [dataset.convert(item) for item in dataset.items(site)]
        envelope = {
            "network": network,
            "dataset": dataset.name, "version": VERSION, "licence": site.config.site.data_licence,
            "schema": base_url + schema_name(dataset),
            "items": [record.model_dump(mode="json") for record in records],
        }
        files[f"{dataset.name}.json"] = _json(envelope)
        files[f"{dataset.name}.csv"] = _csv(dataset.record, records, network)
        files[schema_name(dataset)] = _json(_schema(dataset))
    return files


def _json(data: Any) -> bytes:
    """Compact JSON: Python's C encoder writes it (indented JSON goes through the pure-Python encoder, a second per
    1,000 + 1,000 entries); browsers and `jq` show it indented."""
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def _schema(dataset: Dataset) -> dict[str, Any]:
    items = dataset.record.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"{dataset.name}, version {VERSION}",
        "type": "object",
        "required": ["network", "dataset", "version", "licence", "items"],
        "properties": {
            "network": {"type": "object", "properties": {"id": {"type": "string"}, "name": {"type": "string"},
                                                         "city": {"type": "string"}}},
            "dataset": {"const": dataset.name}, "version": {"const": VERSION}, "licence": {"type": "string"},
            "schema": {"type": "string"}, "items": {"type": "array", "items": {"$ref": "#/$defs/Record"}},
        },
        "$defs": {**items.pop("$defs", {}), "Record": items},
    }


def _csv(record: type[BaseModel], records: list[BaseModel], network: dict[str, str]) -> bytes:
    """One row per record; a nested record becomes dotted columns (`organization.name`, `hours.low`), a list of
    records one column of JSON objects joined with `; `. Columns come from the record's model, so every file of a
    dataset has the same header whatever its items hold."""
    columns = ["network", "network_name", *_columns(record, "")]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for item in records:
        writer.writerow({"network": network["id"], "network_name": network["name"],
                         **_flat(item.model_dump(mode="json"), "")})
    return out.getvalue().encode("utf-8")


def _columns(model: type[BaseModel], prefix: str) -> list[str]:
    columns = []
    for name, info in model.model_fields.items():
        single = get_origin(info.annotation) is not list  # a list of records stays one column
        nested = next((arg for arg in (info.annotation, *get_args(info.annotation))
                       if single and isinstance(arg, type) and issubclass(arg, BaseModel)), None)
        columns += _columns(nested, f"{prefix}{name}.") if nested else [prefix + name]
    return columns


def _flat(value: Any, prefix: str) -> dict[str, Any]:
    if isinstance(value, dict):
        flat: dict[str, Any] = {}
        for key, inner in value.items():
            flat |= _flat(inner, f"{prefix}{key}.")
        return flat
    if isinstance(value, list):
        parts = [json.dumps(item, ensure_ascii=False) if isinstance(item, dict) else str(item) for item in value]
        return {prefix[:-1]: "; ".join(parts)}
    # A missing nested record (unknown hours) leaves its columns empty.
    return {} if value is None else {prefix[:-1]: value}


# --- several networks: a combined account from their exports ----------------------------------------------------


@dataclass
class NetworkTotals:
    id: str
    name: str
    stories: int
    matches: Quantity | None
    hours: Quantity | None
    value_eur: Quantity | None


class NotAnExport(Exception):
    """A folder that does not hold a network's open-data export."""


def _read(folder: Path, dataset: str) -> dict[str, Any]:
    try:
        data = json.loads((folder / f"{dataset}.json").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise NotAnExport(f"{dataset}.json: {error}") from None
    if not isinstance(data, dict) or data.get("dataset") != dataset or data.get("version") != VERSION:
        raise NotAnExport(f"{dataset}.json: dataset {dataset}, version {VERSION} expected")
    return data


def _quantity(value: dict[str, Any] | None) -> Quantity | None:
    return None if value is None else Quantity(value["low"], value["high"], value["approx"])


def network_totals(folder: Path) -> NetworkTotals:
    """One network's figures from its export, by the same counting rule as its site: success stories whose
    figures no reported total contains, plus the reported totals of the network that no other report includes."""
    cooperations, events = _read(folder, "cooperations"), _read(folder, "events")
    stories = [c for c in cooperations["items"] if c["status"] in m.DELIVERED_STATUSES]
    reports = {e["id"]: e for e in events["items"] if e["scope"] == "network"}
    outer = {inner: report["id"] for report in reports.values() for inner in report["includes"]}

    def counted(report: dict[str, Any], figure: str) -> bool:
        """Added unless a report that contains this one (however far out) states the same figure."""
        seen, key = {report["id"]}, outer.get(report["id"])
        while key is not None and key not in seen:
            if reports[key][figure] is not None:
                return False
            seen.add(key)
            key = outer.get(key)
        return report[figure] is not None

    def reported(figure: str) -> list[Quantity | None]:
        return [_quantity(r[figure]) for r in reports.values() if counted(r, figure)]

    sums: dict[str, Quantity | None] = {}
    for figure in ("hours", "value_eur"):
        given = [_quantity(p[figure]) for c in stories if figure not in c["counted_in_event"]
                 for p in c["partners"] if p["delivered"] and not p["monetary"]]
        sums[figure] = add([*given, *reported(figure)])
    network = cooperations["network"]
    return NetworkTotals(network["id"], network["name"], len(stories), add(reported("matches")), sums["hours"],
                         sums["value_eur"])
