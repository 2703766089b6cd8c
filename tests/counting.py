"""The network's counting rule, written a second time from the content files with PyYAML alone (not with the
generator), so tests can hold the site's and the reports' figures against an independent sum."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

Amount = tuple[float, float, bool]
"""(low, high, approximate)."""


def front_matter(path: Path) -> dict[str, Any]:
    """A content file's YAML front matter, read with PyYAML alone (not with the generator's loader)."""
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n"), path
    return yaml.safe_load(text[4:].split("\n---\n", 1)[0])


def content_files(root: Path, folder: str) -> list[Path]:
    target = root / "content" / folder
    if not target.is_dir():
        return []
    return [path for path in sorted(target.iterdir())
            if not path.name.startswith(".") and not path.name.lower().startswith("readme")]


def amount(value: Any) -> Amount:
    """A figure as written in a file: `600`, `{approx: 600}` or `{min: 20, max: 40}`."""
    if isinstance(value, dict):
        return ((value["approx"], value["approx"], True) if "approx" in value
                else (value["min"], value["max"], False))
    return (value, value, False)


def plus(a: Amount, b: Amount) -> Amount:
    return (a[0] + b[0], a[1] + b[1], a[2] or b[2])


def year_of(value: Any) -> int | None:
    """The year of a date as written: 2017, "2017-10" or a date."""
    if value is None:
        return None
    return value if isinstance(value, int) else int(str(value)[:4])


def figures_from_the_files(root: Path, year: int | None = None, partner: str | None = None) -> dict[str, Amount]:
    """Key figures by the network's counting rule: open proposals; success stories (completed or recurring
    cooperations) and the agreed or running ones; matches reported by events; distinct named partner companies;
    hours and value delivered in success stories (a partner's stated `value_eur`, else its hours at the hourly
    rate; pledged help and money do not count), where a story whose event (or a report containing it) states a
    total is covered by that total, plus every reported total that no other report includes.
    With `year`: only stories completed (else started) and events dated in that year. With `partner`: only that
    organisation's own contributions (and no reported totals)."""
    config = yaml.safe_load((root / "site_config.yml").read_text(encoding="utf-8"))
    rate = config["value"]["hourly_rate_eur"]
    kinds_config = config.get("need_kinds") or {}
    money = {key for key, kind in kinds_config.items() if isinstance(kind, dict) and kind.get("monetary")}
    proposals = [front_matter(path) for path in content_files(root, "proposals")]
    cooperations = [front_matter(path) for path in content_files(root, "cooperations")]
    events = {path.stem: front_matter(path) for path in content_files(root, "events")}
    kinds = {path.stem: yaml.safe_load(path.read_text(encoding="utf-8"))["kind"]
             for path in content_files(root, "organizations")}
    if year is not None:
        cooperations = [c for c in cooperations if year_of(c.get("completed") or c.get("started")) == year]
        events = {key: e for key, e in events.items() if year_of(e.get("date")) == year}
    if partner is not None:
        events = {}
    reports = {key: e["results"] for key, e in events.items()
               if e.get("results") and e["results"].get("scope", "network") == "network"}
    outer = {inner: key for key, results in reports.items() for inner in results.get("includes", [])}

    def chain(key: str | None) -> list[str]:
        found = []
        while key is not None and key not in found:
            found.append(key)
            key = outer.get(key)
        return found

    stories = [c for c in cooperations if c.get("status", "completed") in ("completed", "recurring")]
    if partner is not None:
        stories = [c for c in stories if any(p.get("organization") == partner for p in c["partners"])]
    totals: dict[str, Amount] = {}
    for figure in ("hours", "value_eur"):
        total: Amount = (0, 0, False)
        for story in stories:
            if any(figure in reports.get(key, {}) for key in chain(story.get("event"))):
                continue
            for p in story["partners"]:
                if p.get("state", "delivered") != "delivered" or p["kind"] in money:
                    continue
                if partner is not None and p.get("organization") != partner:
                    continue
                if figure == "hours" and p.get("hours") is not None:
                    total = plus(total, amount(p["hours"]))
                elif figure == "value_eur" and p.get("value_eur") is not None:
                    total = plus(total, amount(p["value_eur"]))
                elif figure == "value_eur" and p.get("hours") is not None:
                    low, high, approx = amount(p["hours"])
                    total = plus(total, (low * rate, high * rate, approx))
        for key, results in reports.items():
            if figure in results and not any(figure in reports.get(o, {}) for o in chain(key)[1:]):
                total = plus(total, amount(results[figure]))
        totals[figure] = total
    matches = sum(r["matches"] for key, r in reports.items() if "matches" in r and key not in outer)
    named = [p["organization"] for c in cooperations for p in c["partners"] if p.get("organization")]
    return {
        "open": (sum(p["status"] == "open" for p in proposals),) * 2 + (False,),
        "completed": (len(stories),) * 2 + (False,),
        "ongoing": (len(cooperations) - len([c for c in cooperations
                                             if c.get("status", "completed") in ("completed", "recurring")]),) * 2
        + (False,),
        "matches_reported": (matches, matches, False),
        "companies": (len({org for org in named if kinds[org] == "company"}),) * 2 + (False,),
        "hours": totals["hours"],
        "value": totals["value_eur"],
    }
