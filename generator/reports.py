"""Printable documents beside the site: the annual report ("Bilanz") for funders and press, a company's engagement
record for its CSR report, and the matching round's internal packet.

The annual report and the engagement record are built from the public view (after the privacy boundary) with the
site's own counting rule (`publish.count`, `publish.count_impact`), so a report never disagrees with the site. The
round packet is internal by design: it reads the validated content (submitted proposals, private contacts) and
therefore refuses to write where it could be published or committed.
Each document is HTML from the theme's `reports/` templates; WeasyPrint turns the same HTML into PDF.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from . import model as m
from .catalogue import Catalogue, sort_key
from .content import Content
from .files import image_file
from .images import ImageUnreadable, reencode
from .project import Project
from .publish import count, count_impact
from .quantities import Quantity, Total, add
from .views import Impact, PublicCooperation, PublicEvent, PublicOrganization, PublicSite

SUGGESTIONS = 5
IMAGE_FOLDER = "img"
"""Folder for the pictures beside a report's HTML (its own, not the site's)."""


# --- the annual report ------------------------------------------------------------------------------------------


@dataclass
class YearFigures:
    year: int
    stories: list[PublicCooperation]
    events: list[PublicEvent]
    hours: Total
    value_eur: Total
    people: Total
    matches_reported: Quantity | None
    impact: Impact
    contributors: dict[str, list[PublicOrganization]]
    """Named contributors of the year's stories by organisation kind (companies first), sorted by name."""


def _in_year(stories: list[PublicCooperation], events: list[PublicEvent], year: int
             ) -> tuple[list[PublicCooperation], list[PublicEvent]]:
    """A story belongs to the year it was completed in (or started, when that is all that is known)."""
    return ([c for c in stories if c.date is not None and c.date.year == year],
            [e for e in events if e.date is not None and e.date.year == year])


def year_figures(site: PublicSite, year: int) -> YearFigures:
    stories, events = _in_year(site.cooperations, site.events, year)
    contributors: dict[str, dict[str, PublicOrganization]] = defaultdict(dict)
    for story in stories:
        for partner in story.partners:
            if partner.organization is not None and partner.delivered and partner.organization.kind != "individual":
                contributors[partner.organization.kind][partner.organization.id] = partner.organization
    language = site.config.site.language
    ordered = {kind: sorted(contributors[kind].values(), key=lambda o: sort_key(o.name, language))
               for kind in m.ORGANIZATION_KINDS if contributors.get(kind)}
    return YearFigures(
        year=year, stories=stories, events=events, hours=count(stories, events, "hours"),
        value_eur=count(stories, events, "value_eur"), people=count(stories, events, "people_reached"),
        matches_reported=count([], events, "matches").value, impact=count_impact(stories, events, site.config),
        contributors=ordered,
    )


@dataclass
class AnnualReport:
    site: PublicSite
    this: YearFigures
    previous: YearFigures


def annual_report(site: PublicSite, year: int) -> AnnualReport:
    return AnnualReport(site, year_figures(site, year), year_figures(site, year - 1))


# --- a company's engagement record ------------------------------------------------------------------------------


@dataclass
class Engagement:
    organization: PublicOrganization
    cooperations: list[PublicCooperation]
    hours: Total = field(default_factory=Total)
    value_eur: Total = field(default_factory=Total)
    people: Total = field(default_factory=Total)
    years: list[int] = field(default_factory=list)


def engagement(site: PublicSite, organization_id: str) -> Engagement | None:
    """What one organisation gave: its own delivered contributions (not its partners'), the people the stories
    reached, the years; None when it has no public page."""
    organization = next((o for o in site.organizations if o.id == organization_id), None)
    if organization is None:
        return None
    stories = [c for c in site.cooperations
               if any(p.organization is organization and p.delivered for p in c.partners)]
    record = Engagement(organization, stories)
    for story in stories:
        own = [p for p in story.partners if p.organization is organization and p.delivered and not p.monetary]
        record.hours.include(add(p.hours for p in own))
        record.value_eur.include(add(p.valued_eur for p in own))
        record.people.include(story.people_reached)
    record.years = sorted({story.date.year for story in stories if story.date})
    return record


# --- the matching round's packet (internal) ---------------------------------------------------------------------


@dataclass
class Suggestion:
    name: str
    score: float
    reasons: list[str]


@dataclass
class RoundItem:
    id: str
    data: m.Proposal
    organization: str
    need_labels: list[str]
    district: str | None
    themes: list[str]
    suggestions: list[Suggestion]


@dataclass
class RoundPacket:
    date: dt.date
    items: list[RoundItem]
    counts: dict[str, int]
    oldest: RoundItem | None
    stale: list[tuple[str, str, m.Proposal]]
    """(id, organisation, proposal) of open challenges without a match for longer than `stale_months`."""
    stale_months: int


def round_packet(content: Content, texts: Catalogue, day: dt.date, stale_months: int = 6) -> RoundPacket:
    config = content.config
    labels = config.need_labels
    waiting = [(key, entry.data) for key, entry in content.proposals.items()
               if entry.data.status in ("submitted", "under_review")]
    waiting.sort(key=lambda item: (item[1].submitted.start if item[1].submitted else dt.date.max, item[0]))
    items = [
        RoundItem(key, proposal, content.organizations[proposal.organization].data.name,
                  list(dict.fromkeys(labels[n.kind] for n in proposal.needs)),
                  config.districts.get(proposal.district) if proposal.district else None,
                  [config.themes[t] for t in proposal.themes], suggest(content, proposal, day, texts))
        for key, proposal in waiting
    ]
    counts: dict[str, int] = defaultdict(int)
    for entry in content.proposals.values():
        counts[entry.data.status] += 1
    limit = _months_before(day, stale_months)
    stale = [(key, content.organizations[e.data.organization].data.name, e.data)
             for key, e in content.proposals.items()
             if e.data.status == "open" and (e.data.reviewed or e.data.submitted)
             and (e.data.reviewed or e.data.submitted).end < limit]
    stale.sort(key=lambda item: (item[2].reviewed or item[2].submitted).start)
    return RoundPacket(day, items, dict(counts), items[0] if items else None, stale, stale_months)


def _months_before(day: dt.date, months: int) -> dt.date:
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return dt.date(year, month, min(day.day, 28))


def suggest(content: Content, proposal: m.Proposal, day: dt.date, texts: Catalogue) -> list[Suggestion]:
    """Up to five companies ranked from past cooperations: the same kind of help counts most, then a shared theme,
    the same district, the hours they gave and how recent it was; each with its reasons in one line."""
    config = content.config
    kinds = {need.kind for need in proposal.needs}
    themes = set(proposal.themes)
    found: dict[str, dict[str, Any]] = {}
    for entry in content.cooperations.values():
        cooperation = entry.data
        if not cooperation.delivered:
            continue
        when = cooperation.completed or cooperation.started
        for partner in cooperation.partners:
            org = content.organizations.get(partner.organization) if partner.organization else None
            if org is None or org.data.kind != "company" or not cooperation.partner_delivered(partner):
                continue
            seen = found.setdefault(org.id, {"name": org.data.name, "kinds": set(), "themes": set(),
                                             "district": False, "hours": 0.0, "last": None})
            if partner.kind in kinds:
                seen["kinds"].add(partner.kind)
            seen["themes"] |= themes & set(cooperation.themes)
            seen["district"] |= bool(proposal.district and proposal.district == cooperation.district)
            hours = Quantity.of(partner.hours)
            seen["hours"] += hours.low if hours else 0
            if when and (seen["last"] is None or when.end > seen["last"]):
                seen["last"] = when.end
    ranked = [_suggestion(seen, day, config, texts) for seen in found.values()]
    ranked = [s for s in ranked if s.score > 0]
    ranked.sort(key=lambda s: (-s.score, sort_key(s.name, config.site.language)))
    return ranked[:SUGGESTIONS]


def _suggestion(seen: dict[str, Any], day: dt.date, config: m.SiteConfig, texts: Catalogue) -> Suggestion:
    r = texts.strings["round"]
    reasons, score = [], 0.0
    if seen["kinds"]:
        score += 3 * len(seen["kinds"])
        reasons.append(r["reason_kind"].format(kinds=", ".join(config.need_labels[k] for k in sorted(seen["kinds"]))))
    if seen["themes"]:
        score += 2 * len(seen["themes"])
        reasons.append(r["reason_theme"].format(themes=", ".join(config.themes[t] for t in sorted(seen["themes"]))))
    if seen["district"]:
        score += 1
        reasons.append(r["reason_district"])
    if score == 0:
        return Suggestion(seen["name"], 0, [])
    if seen["hours"]:
        score += min(seen["hours"] / 40, 2)
        reasons.append(r["reason_hours"].format(hours=texts.number(seen["hours"])))
    if seen["last"] is not None:
        years = (day - seen["last"]).days / 365
        score += max(0.0, 1 - years / 3)
        reasons.append(r["reason_last"].format(date=texts.month(seen["last"])))
    return Suggestion(seen["name"], round(score, 2), reasons)


class UnsafeTarget(Exception):
    """The packet would land where it could be published or committed."""


def check_private_target(out: Path, project_root: Path, site_dir: Path) -> None:
    """Refuse an output folder inside the repository's work tree or inside the site's output."""
    target = out.resolve()
    roots = [project_root.resolve(), site_dir.resolve()]
    top = _work_tree(project_root)
    if top is not None:
        roots.append(top)
    for root in roots:
        if target == root or root in target.parents:
            raise UnsafeTarget(str(root))


def _work_tree(path: Path) -> Path | None:
    try:
        completed = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=path, capture_output=True,
                                   text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return Path(completed.stdout.strip()).resolve() if completed.returncode == 0 and completed.stdout.strip() else None


# --- writing: HTML from the theme's report templates, PDF from the same HTML ---------------------------------------


def write_document(project: Project, texts: Catalogue, template: str, out: Path, name: str,
                   images: list[str], **context: Any) -> list[Path]:
    """`<out>/<name>.html` and `<out>/<name>.pdf`; images (paths inside content/images/) copied without metadata."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(path) for path in project.theme_dirs("reports")]),
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
    )
    environment.filters.update(date=texts.period, number=texts.number, quantity=texts.quantity,
                               coverage=texts.coverage)
    out.mkdir(parents=True, exist_ok=True)
    for path in images:
        target = out / IMAGE_FOLDER / path
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            target.write_bytes(reencode(image_file(project.root, path)))
        except ImageUnreadable:
            continue  # validated content; a damaged image is left out of the printout, not fatal
    html_path = out / f"{name}.html"
    css = "\n".join((directory / "report.css").read_text(encoding="utf-8")
                    for directory in reversed(project.theme_dirs("reports")) if (directory / "report.css").is_file())
    html_path.write_text(environment.get_template(template).render(t=texts.strings, css=css, images=IMAGE_FOLDER,
                                                                   **context), encoding="utf-8")
    pdf_path = out / f"{name}.pdf"
    from weasyprint import HTML  # imported here: loading Pango costs time that validate and build do not need

    HTML(filename=str(html_path)).write_pdf(str(pdf_path))
    return [html_path, pdf_path]
