"""Synthetic but realistic content for the benchmarks (shared by bench_validate.py and bench_build.py).

Everything is derived from a seeded random generator, so the same arguments always write the same files.
Keys (themes, districts, need kinds) are read from the copied site_config.yml. Entries are shaped like the
sample network in content/: proposal front matter of about 1 KB (title, organisation, summary, status and
dates, one to three themes, a district, one to three needs, beneficiaries, a contact, sometimes an image),
Markdown bodies of about 150 words with headings, paragraphs and a list. Some organisation names contain `&`
and some descriptions Markdown emphasis, as in the sample (`GmbH & Co. KG`, `*Die Herausforderung*`), since
the loader treats those characters specially.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import yaml

MAIN = Path(__file__).resolve().parent.parent
"""The checkout: site_config.yml, templates/ and the sample images are copied from here."""

_VOCABULARY = (
    "Verein Nachbarschaft Jugendliche Familien Ehrenamtliche Werkstatt Garten Schule Ausbildung Betrieb "
    "Unterstützung Stadtteil Treffpunkt Projekt Kinder Seniorinnen Senioren Beratung Gruppe Angebot Raum "
    "Woche Nachmittag Samstag Material Holz Werkzeug Computer Laptops Transport Lieferung Lager Küche "
    "Lebensmittel Fahrräder Bücher Spiele Sport Turnier Fest Ausflug Kurs Workshop Training Erfahrung "
    "gemeinsam regelmäßig dringend gebraucht gespendet gebaut repariert eingerichtet organisiert begleitet "
    "gelernt gezeigt erklärt geholfen gesucht geplant vorbereitet neu alt gebraucht kostenlos sicher "
    "einfach schnell zuverlässig engagiert offen barrierefrei inklusiv wichtig klein groß viele wenige "
    "mit ohne für nach vor bei seit über unter zwischen und oder aber auch noch schon immer wieder "
    "unsere ihre diese jede alle mehr weniger etwa rund fast genau zwei drei vier fünf zehn zwanzig "
    "Menschen Bewohnerinnen Bewohner Nachbarn Eltern Lehrkräfte Trainerinnen Trainer Mitarbeitende Azubis "
    "Unternehmen Firma Team Teamtag Spedition Kanzlei Agentur Druckerei Handwerk Bäckerei Gärtnerei "
    "Wissen Zeit Können Hilfe Kontakt Idee Ziel Ergebnis Erfolg Jahr Monat Sommer Winter Frühjahr Herbst"
)
WORDS = tuple(_VOCABULARY.split())
OBJECTS = (
    "Laptops", "Hochbeete", "Schlafsäcke", "Fahrräder", "Regale", "Tablets", "Werkzeug", "Zelte", "Bücher",
    "Sportgeräte", "Kühlschränke", "Beamer", "Möbel", "Trikots", "Spielgeräte", "Malerarbeiten",
)
PLACES = (
    "das Jugendhaus", "den Gemeinschaftsgarten", "die Wärmestube", "den Sportverein", "das Lerncafé",
    "die Tafel", "das Stadtteilzentrum", "die Kita", "den Seniorentreff", "die Fahrradwerkstatt",
)
SLUGS = ("laptops", "hochbeete", "schlafsaecke", "fahrraeder", "regale", "tablets", "werkzeug", "zelte",
         "buecher", "sportgeraete", "kuehlschraenke", "beamer", "moebel", "trikots", "spielgeraete", "maler")
FIRST = ("Anna", "Ben", "Clara", "David", "Elif", "Felix", "Greta", "Hannes", "Ines", "Jonas", "Katrin",
         "Lukas", "Mara", "Nils", "Olga", "Paul", "Rana", "Sven", "Tara", "Ugur", "Vera", "Wim", "Yasmin",
         "Zoe")
# No surname is a prefix of another: the privacy gate matches private contact names as substrings.
LAST = ("Albrecht", "Brandl", "Castell", "Dietz", "Engel", "Fuchs", "Gruber", "Hartmann", "Ivanova", "Jansen",
        "Kowalski", "Lindqvist", "Meyerhof", "Nowak", "Ortmann", "Petersen", "Quast", "Riedel", "Schulze",
        "Topal", "Ulrich", "Vogt", "Winkler", "Yilmaz", "Zander")
NONPROFIT_KINDS = ("Förderverein", "Nachbarschaftsverein", "Sportverein", "Jugendhilfe", "Initiative",
                   "Tafel", "Kulturverein", "Gemeinschaftsgarten", "Seniorentreff", "Lernhilfe")
COMPANY_KINDS = ("Spedition", "Systemhaus", "Druckerei", "Gärtnerei", "Kanzlei", "Bäckerei", "Malerbetrieb",
                 "Versicherung", "Agentur", "Elektrotechnik")


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    """Quotes text the way the sample's editors do: prose in double quotes, keys and ids plain."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = '"' if any(char in value for char in " @:/") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


@dataclass
class Project:
    root: Path
    config: Path
    nonprofits: list[str] = field(default_factory=list)
    companies: list[str] = field(default_factory=list)
    proposals: list[str] = field(default_factory=list)
    cooperations: list[str] = field(default_factory=list)


class Writer:
    def __init__(self, root: Path, seed: int, words: int):
        self.root, self.rng, self.words = root, random.Random(seed), words
        self.config = yaml.safe_load((MAIN / "site_config.yml").read_text(encoding="utf-8"))
        self.themes = list(self.config["themes"])
        self.districts = list(self.config["districts"])
        self.need_kinds = list(self.config["need_kinds"])
        images = MAIN / "content" / "images"
        self.images = {
            folder: sorted(p.relative_to(images).as_posix() for p in (images / folder).glob("*")
                           if p.is_file())
            for folder in ("proposals", "cooperations", "logos")
        }

    # --- text ------------------------------------------------------------------------------------------------

    def sentence(self, low: int = 8, high: int = 16) -> str:
        words = self.rng.choices(WORDS, k=self.rng.randint(low, high))
        text = " ".join(words)
        return text[0].upper() + text[1:] + "."

    def text(self, words: int) -> str:
        out: list[str] = []
        while sum(len(s.split()) for s in out) < words:
            out.append(self.sentence())
        return " ".join(out)

    def body(self, words: int) -> str:
        """Markdown of about `words` words: two headings, two paragraphs, a three-item list."""
        items = [self.sentence(5, 9) for _ in range(3)]
        listed = sum(len(item.split()) for item in items)
        rest = max(20, words - listed - 20)
        return (
            f"## Hintergrund\n\n{self.text(rest // 2)}\n\n## Was genau gebraucht wird\n\n"
            + "".join(f"- {item}\n" for item in items)
            + f"\n## Warum es wichtig ist\n\n{self.text(rest - rest // 2)}\n"
        )

    def date(self, start: dt.date, max_days: int) -> dt.date:
        return start + dt.timedelta(days=self.rng.randint(1, max_days))

    def person(self) -> str:
        return f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"

    @staticmethod
    def dump(data: dict) -> str:
        return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000)

    # --- entries ---------------------------------------------------------------------------------------------

    def organization(self, index: int, kind: str) -> tuple[str, str]:
        district = self.rng.choice(self.districts)
        if kind == "nonprofit":
            base = self.rng.choice(NONPROFIT_KINDS)
            org_id = f"verein-{district}-{index:05d}"
            name = f"{base} {self.config['districts'][district]} {index} e. V."
            domain = f"{org_id}.example.org"
        else:
            base = self.rng.choice(COMPANY_KINDS)
            org_id = f"firma-{district}-{index:05d}"
            legal = "GmbH & Co. KG" if index % 6 == 0 else "GmbH"
            name = f"{base} {self.rng.choice(LAST)} {index} {legal}"
            domain = f"{org_id}.example.com"
        description = self.text(22)
        if index % 10 == 0:
            description = f"*{description}*"
        data = {
            "name": name, "kind": kind, "website": f"https://{domain}/", "district": district,
            "description": description,
        }
        if index % 3 == 0 and self.images["logos"]:
            data["logo"] = self.rng.choice(self.images["logos"])
        header = "# Synthetische Benchmark-Daten – erfundene Organisation\n"
        return org_id, header + self.dump(data)

    def proposal(self, index: int, organization: str, status: str) -> tuple[str, str]:
        district = self.rng.choice(self.districts)
        pick = self.rng.randrange(len(OBJECTS))
        proposal_id = f"{SLUGS[pick]}-{district}-{index:05d}"
        place = f"{self.rng.choice(PLACES)} in {self.config['districts'][district]}"
        title = f"{self.rng.randint(2, 30)} {OBJECTS[pick]} für {place}"
        summary = self.text(22)[:220]
        submitted = self.date(dt.date(2024, 1, 1), 600)
        data: dict = {
            "title": title, "organization": organization, "summary": summary, "status": status,
            "submitted": submitted,
        }
        if status in ("open", "matched", "completed"):
            data["reviewed"] = reviewed = self.date(submitted, 60)
            if status in ("matched", "completed"):
                data["matched"] = self.date(reviewed, 90)
        data["themes"] = self.rng.sample(self.themes, self.rng.randint(1, 3))
        data["district"] = district
        needs = []
        for kind in self.rng.sample(self.need_kinds, self.rng.randint(1, 3)):
            need: dict = {"kind": kind, "description": self.text(12)[:120]}
            if self.rng.random() < 0.5:
                need["hours"] = self.rng.randint(2, 80)
            else:
                need["value_eur"] = self.rng.randint(50, 5000)
            needs.append(need)
        data["needs"] = needs
        data.update(self.team_day(index))
        data["beneficiaries"] = {"description": self.text(10)[:110], "count": self.rng.randint(5, 400)}
        name = self.person()
        public = self.rng.random() < 0.3
        data["contact"] = {
            "name": name,
            "email": f"{name.split()[0].lower()}.{index:05d}@{organization}.example.org",
            "public": public,
        }
        if index % 3 == 0 and self.images["proposals"]:
            data["image"] = self.rng.choice(self.images["proposals"])
            data["image_alt"] = "Illustration: " + self.text(10)[:150]
        return proposal_id, f"---\n{self.dump(data)}---\n\n{self.body(self.words)}"

    @staticmethod
    def team_day(index: int) -> dict:
        """Team-day fields for about half the proposals, as the sample has them; an own random stream, so the
        rest of the content stays what it was before these fields existed."""
        rng = random.Random(index)
        if rng.random() < 0.5:
            return {}
        low = rng.randint(2, 12)
        start = dt.date(2031, 1, 1) + dt.timedelta(days=rng.randrange(300))
        return {"helpers": {"min": low, "max": low + rng.randint(0, 10)},
                "duration": rng.choice(["half_day", "full_day", rng.randint(2, 8)]),
                "window": {"start": start, "end": start + dt.timedelta(days=rng.randint(7, 60))},
                "deadline": start - dt.timedelta(days=rng.randint(7, 30))}

    def cooperation(self, index: int, organization: str, companies: list[str]) -> tuple[str, str]:
        district = self.rng.choice(self.districts)
        pick = self.rng.randrange(len(OBJECTS))
        story_id = f"geschichte-{SLUGS[pick]}-{district}-{index:05d}"
        started = self.date(dt.date(2023, 1, 1), 900)
        partners = []
        for company in self.rng.sample(companies, min(len(companies), self.rng.randint(1, 3))):
            partner: dict = {
                "organization": company, "kind": self.rng.choice(self.need_kinds),
                "contribution": self.text(14)[:300],
            }
            if self.rng.random() < 0.5:
                partner["hours"] = self.rng.randint(4, 120)
            else:
                partner["value_eur"] = self.rng.randint(100, 8000)
            partners.append(partner)
        data: dict = {
            "title": f"{OBJECTS[pick]} für {self.rng.choice(PLACES)} in {self.config['districts'][district]}",
            "organization": organization,
            "summary": self.text(26)[:290],
            "partners": partners,
            "started": started,
            "completed": self.date(started, 60),
            "themes": self.rng.sample(self.themes, self.rng.randint(1, 2)),
            "district": district,
            "people_reached": self.rng.randint(10, 500),
            "quote": {"text": self.text(24)[:500], "author": f"{self.person()}, Ausbildungsleitung"},
        }
        pictures = self.images["cooperations"]
        if index % 2 == 0 and pictures:
            data["images"] = [
                {"src": src, "alt": "Illustration: " + self.text(10)[:150]}
                for src in self.rng.sample(pictures, min(2, len(pictures)))
            ]
        return story_id, f"---\n{self.dump(data)}---\n\n{self.body(self.words)}"


def write_project(root: Path, *, proposals: int, cooperations: int = 0, nonprofits: int,
                  companies: int = 0, statuses: str = "mixed", words: int = 150, seed: int = 1,
                  templates: bool = False) -> Project:
    """Write site_config.yml and content/ (and templates/ for a build) into `root`.

    statuses: `mixed` (roughly the sample's mix: 40 % open, 15 % matched, 20 % completed, the rest internal)
    or `open` (every proposal open).
    """
    root.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(MAIN / "site_config.yml", root / "site_config.yml")
    if templates:
        shutil.copytree(MAIN / "templates", root / "templates")
    shutil.copytree(MAIN / "content" / "images", root / "content" / "images")
    writer = Writer(root, seed, words)
    project = Project(root, root / "site_config.yml")
    folders = {name: root / "content" / name for name in ("organizations", "proposals", "cooperations")}
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    for index in range(nonprofits):
        org_id, text = writer.organization(index, "nonprofit")
        (folders["organizations"] / f"{org_id}.yml").write_text(text, encoding="utf-8")
        project.nonprofits.append(org_id)
    for index in range(companies):
        org_id, text = writer.organization(index, "company")
        (folders["organizations"] / f"{org_id}.yml").write_text(text, encoding="utf-8")
        project.companies.append(org_id)
    mix = ["open"] * 40 + ["matched"] * 15 + ["completed"] * 20 + ["submitted"] * 10 + ["under_review"] * 7 \
        + ["declined"] * 4 + ["withdrawn"] * 4
    for index in range(proposals):
        status = "open" if statuses == "open" else writer.rng.choice(mix)
        # Every organisation gets proposals (round robin), so all of them appear on the site.
        proposal_id, text = writer.proposal(index, project.nonprofits[index % nonprofits], status)
        (folders["proposals"] / f"{proposal_id}.md").write_text(text, encoding="utf-8")
        project.proposals.append(proposal_id)
    for index in range(cooperations):
        story_id, text = writer.cooperation(index, project.nonprofits[index % nonprofits], project.companies)
        (folders["cooperations"] / f"{story_id}.md").write_text(text, encoding="utf-8")
        project.cooperations.append(story_id)
    if templates:
        write_pages(root / "content" / "pages", writer)
    return project


def write_pages(folder: Path, writer: Writer) -> None:
    """Three free pages like the sample's (one in the main menu)."""
    folder.mkdir(parents=True, exist_ok=True)
    for page_id, title, nav in (("ueber-uns", "Über uns", True), ("impressum", "Impressum", False),
                                ("datenschutz", "Datenschutz", False)):
        meta = Writer.dump({"title": title, "description": writer.sentence(), "nav": nav})
        (folder / f"{page_id}.md").write_text(f"---\n{meta}---\n\n{writer.body(200)}", encoding="utf-8")


def code_version() -> tuple[str, str]:
    """(the checkout's commit, a fingerprint of the code that is measured).

    The fingerprint covers generator/, templates/ and pyproject.toml as committed plus any uncommitted changes
    there, so a commit that touches only documentation does not count as a change. Others may commit while a
    long benchmark runs: compare the fingerprint before and after a run.
    """
    def git(*args: str) -> str:
        try:
            completed = subprocess.run(["git", *args], cwd=MAIN, capture_output=True, text=True, timeout=30,
                                       check=False)
        except (OSError, subprocess.SubprocessError):
            return ""
        return completed.stdout.strip()

    paths = ("generator", "templates", "pyproject.toml")
    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    trees = git("rev-parse", *(f"HEAD:{path}" for path in paths))
    changes = git("diff", "HEAD", "--", *paths)
    return commit, hashlib.sha256((trees + changes).encode()).hexdigest()[:12]


def announce_code_version() -> tuple[str, str]:
    """Print and return `code_version()` at the start of a benchmark."""
    commit, version = code_version()
    print(f"code: commit {commit}, fingerprint of generator/, templates/, pyproject.toml: {version}")
    return commit, version


def warn_if_code_changed(commit: str, version: str, advice: str = "run again.") -> None:
    """Warn when the measured code changed since `announce_code_version` (someone committed during the run)."""
    now_commit, now_version = code_version()
    if now_version != version:
        print(f"\nWARNING: the code changed during the run (commit {commit} -> {now_commit}): {advice}")


@contextmanager
def working_folder(prefix: str, keep: Path | None) -> Iterator[Path]:
    """Where a benchmark writes its projects and sites: `keep` (emptied first, then kept) or a temporary folder."""
    with tempfile.TemporaryDirectory(prefix=prefix) as temporary:
        if keep is not None and keep.exists():
            shutil.rmtree(keep)
        yield keep or Path(temporary)
