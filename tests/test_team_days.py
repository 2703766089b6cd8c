"""Team days a company can plan (helpers, duration, time window, deadline) and a call to action that reaches a
person: the CSR manager's questions answered on the card, and an e-mail that says which challenge it is about."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import yaml

from generator.catalogue import catalogue
from generator.kinds import PROPOSAL
from generator.publish import publish

from .conftest import REPO, checked_project

DE = catalogue("de")
WORDS = DE.strings["proposal"]


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n", 2)[1])


def team_day_files() -> dict[str, dict]:
    """Open sample proposals that state a team size, from the files themselves."""
    found = {}
    for path in sorted((REPO / "content/proposals").glob("*.md")):
        data = front_matter(path)
        if data["status"] == "open" and "helpers" in data:
            found[path.stem] = data
    assert found, "the sample should show team-day fields"
    return found


def page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def expected_team(helpers: dict) -> str:
    if "max" not in helpers:
        return WORDS["helpers_from"].format(min=helpers["min"])
    return WORDS["helpers_range"].format(min=helpers["min"], max=helpers["max"])


def test_cards_and_pages_answer_how_many_how_long_and_until_when(sample_site: Path):
    urls = checked_project(REPO).theme.urls
    listing = page(sample_site, urls.url(urls.listing()))
    for entry_id, data in team_day_files().items():
        detail = page(sample_site, urls.detail_url(PROPOSAL, entry_id))
        team = expected_team(data["helpers"])
        assert f"<dt>{WORDS['team']}</dt><dd>{team}</dd>" in detail
        card = listing.split(f'{entry_id}/"', 1)[1].split("</article>", 1)[0]
        assert team in card
        duration = data.get("duration")
        if isinstance(duration, str):
            assert WORDS[f"duration_{duration}"] in card
        elif duration is not None:
            assert WORDS["hours"].format(value=DE.number(duration)) in card
        if "deadline" in data:
            assert DE.period(checked_project(REPO).content.proposals[entry_id].data.deadline) in card


def mailto_of(html: str) -> tuple[str, dict[str, str]]:
    href = re.search(r'class="md-button md-button--primary sc-cta__button" href="([^"]+)"', html).group(1)
    parts = urlsplit(href.replace("&amp;", "&"))
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    return unquote(parts.path), query


def test_the_button_opens_a_prefilled_mail_to_a_named_person(sample_site: Path):
    checked = checked_project(REPO)
    urls, config = checked.theme.urls, checked.content.config
    entry_id = next(iter(team_day_files()))
    title = checked.content.proposals[entry_id].data.title
    html = page(sample_site, urls.detail_url(PROPOSAL, entry_id))
    address, query = mailto_of(html)
    assert address == config.network.contact.email
    assert query["subject"] == WORDS["cta_subject"].format(title=title)
    body = query["body"]
    assert title in body and config.site.url + urls.detail_url(PROPOSAL, entry_id) in body
    assert "\r\n" in body and "\n" not in body.replace("\r\n", ""), "RFC 6068: CRLF line breaks"
    contact = config.network.contact
    assert contact.person in html and contact.response_time in html
    tel = re.search(r'href="tel:([^"]+)"', html.split("sc-cta__contact", 1)[1]).group(1)
    assert tel == re.sub(r"[^0-9+]", "", contact.phone) and tel.startswith("+")


# --- deadlines ------------------------------------------------------------------------------------------------


@pytest.fixture
def expiring(tmp_path: Path) -> tuple[Path, str, dt.date]:
    """The sample with one open proposal whose deadline is its own; returns (root, id, deadline)."""
    root = tmp_path / "netz"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy2(REPO / "site_config.yml", root / "site_config.yml")
    entry_id = "gartengeraete-gemeinschaftsgarten"
    path = root / f"content/proposals/{entry_id}.md"
    text = path.read_text(encoding="utf-8")
    assert "deadline:" not in text
    path.write_text(text.replace("\nbeneficiaries:", "\ndeadline: 2026-12-01\nbeneficiaries:", 1), encoding="utf-8")
    return root, entry_id, dt.date(2026, 12, 1)


def epoch(day: dt.date) -> str:
    return str(int(dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC).timestamp()))


def test_a_passed_deadline_leaves_the_open_listing_and_shows_as_expired(expiring):
    root, entry_id, deadline = expiring
    content, urls = checked_project(root).content, checked_project(root).theme.urls
    before = publish(content, urls, deadline)
    after = publish(content, urls, deadline + dt.timedelta(days=1))
    assert entry_id in {p.id for p in before.open_proposals}, "still open on its last day"
    assert entry_id not in {p.id for p in after.open_proposals}
    assert after.figures.open == before.figures.open - 1
    expired = next(p for p in after.proposals if p.id == entry_id)
    assert expired.expired and expired.shown_status == "expired" and not expired.call_to_action


def test_the_expired_page_says_so_without_a_call_to_action(expiring, tmp_path: Path, monkeypatch):
    root, entry_id, deadline = expiring
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(deadline + dt.timedelta(days=3)))
    result = subprocess.run([sys.executable, "-m", "generator", "build", "--quiet", "--out", str(tmp_path / "site")],
                            cwd=root, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    urls = checked_project(root).theme.urls
    html = page(tmp_path / "site", urls.detail_url(PROPOSAL, entry_id))
    assert WORDS["expired_note"].format(date=DE.period(checked_project(root).content.proposals[entry_id]
                                                        .data.deadline)) in html
    assert "sc-cta__button" not in html
    assert WORDS["status_expired"] in html
    assert f'{entry_id}/"' not in page(tmp_path / "site", urls.url(urls.listing()))


def test_validate_warns_at_the_deadline_line_once_it_has_passed(expiring, monkeypatch):
    root, entry_id, deadline = expiring
    command = [sys.executable, "-m", "generator", "validate", "--format", "human"]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(deadline))
    assert "deadline-passed" not in subprocess.run(command, cwd=root, capture_output=True, text=True).stdout
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(deadline + dt.timedelta(days=1)))
    result = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, "a warning, not an error: the site still builds"
    line = next(number for number, text in enumerate(
        (root / f"content/proposals/{entry_id}.md").read_text(encoding="utf-8").splitlines(), start=1)
        if text.startswith("deadline:"))
    assert f"content/proposals/{entry_id}.md:{line}:1: warning[deadline-passed]" in result.stdout


@pytest.mark.parametrize(("value", "code"), [
    ("helpers: {min: 6, max: 2}", "estimate-order"),
    ("duration: zwei Stunden", "invalid-value"),
    ("window: {start: 15.01.2027}", "invalid-date"),
])
def test_wrong_team_day_values_are_reported_at_their_field(project, value: str, code: str):
    root = project("minimal")
    path = next((root / "content/proposals").glob("*.md"))
    text = path.read_text(encoding="utf-8")
    head, rest = text.split("\n---\n", 1)
    path.write_text(f"{head}\n{value}\n---\n{rest}", encoding="utf-8")
    line = head.count("\n") + 2
    result = subprocess.run([sys.executable, "-m", "generator", "validate", "--format", "human"], cwd=root,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    assert f"{path.relative_to(root).as_posix()}:{line}:" in result.stdout and f"error[{code}]" in result.stdout
    assert "duration-" not in result.stdout and "Traceback" not in result.stderr
