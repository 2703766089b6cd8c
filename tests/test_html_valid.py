"""The public site is valid HTML: the Nu Html Checker (the W3C's validator, vnu.jar) finds no error that our
templates cause, on one page of every kind of the sample site, in one run of the checker (a few seconds).

Errors from mkdocs-material's own base template that the theme cannot override are listed in
`tests/nu_html.MATERIAL` and do not fail the test; any other error does. Needs Java and vnu.jar (from npm):
scripts/setup.sh --test installs both; missing, the test fails rather than skips, as CI has them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build import reproducible_time
from generator.publish import publish
from generator.urls import url_of

from . import nu_html
from .conftest import REPO, checked_project


def page_kinds(site: Path) -> dict[str, Path]:
    """One built page of every kind the sample has (found through the URL scheme and the published view, never
    by slug): home, listings (all, each facet, a facet without open challenges, page 2 if there is one), proposals
    by status, stories (delivered and ongoing), organisations, offers, events, impact, submit, data, free pages,
    404."""
    checked = checked_project(REPO)
    assert checked.content is not None and checked.theme is not None, checked.diagnostics
    urls = checked.theme.urls
    with reproducible_time(checked.project.root):  # as of the build's day (the last commit's), as the build is
        view = publish(checked.content, urls)
    chosen: dict[str, str] = {"home": view.links["home"], "listing": view.links["proposals"]}
    for facet in ("theme", "need", "district"):
        listing = next((item for item in view.listings if item.facet == facet and item.proposals), None)
        if listing:
            chosen[f"listing by {facet}"] = listing.url
    empty = next((item for item in view.listings if item.facet and not item.proposals), None)
    if empty:
        chosen["listing without open challenges"] = empty.url
    if len(view.open_proposals) > view.config.site.per_page:
        chosen["listing page 2"] = url_of(urls.listing(None, "", 2))
    for label, proposal in (("open", next(iter(view.open_proposals), None)),
                            ("matched", next(iter(view.matched_proposals), None)),
                            ("expired", next((p for p in view.proposals if p.expired), None)),
                            ("completed", next((p for p in view.proposals if p.status == "completed"), None))):
        if proposal:
            chosen[f"proposal {label}"] = proposal.url
    chosen["stories"] = view.links["cooperations"]
    if len(view.cooperations) > view.config.site.per_page:
        chosen["stories page 2"] = url_of(urls.cooperations(2))
    if view.cooperations:
        chosen["story"] = view.cooperations[0].url
    if view.ongoing:
        chosen["cooperation ongoing"] = view.ongoing[0].url
    chosen["organisations"] = view.links["organizations"]
    if view.organizations:
        chosen["organisation"] = view.organizations[0].url
    chosen["offers"] = view.links["offers"]
    if view.offers:
        chosen["offer"] = view.offers[0].url
    chosen["events"] = view.links["events"]
    if view.events:
        chosen["event"] = view.events[0].url
    for key in ("impact", "submit", "data"):
        chosen[key] = view.links[key]
    for page in view.pages:
        chosen[f"page {page.id}"] = page.url
    files = {kind: site / url / "index.html" for kind, url in chosen.items()}
    files["404"] = site / "404.html"
    return files


def test_no_html_error_from_our_templates(sample_site: Path) -> None:
    reason = nu_html.missing()
    if reason:
        pytest.fail(f"the Nu Html Checker cannot run: {reason}", pytrace=False)
    kinds = page_kinds(sample_site)
    absent = [f"{kind}: {path}" for kind, path in kinds.items() if not path.is_file()]
    assert not absent, "pages missing from the built sample site:\n" + "\n".join(absent)
    for kind in ("home", "listing", "listing by theme", "proposal open", "story", "offer", "event", "404"):
        assert kind in kinds, f"the sample site has no page of the kind {kind!r} any more"
    files = sorted(set(kinds.values())) + sorted(sample_site.rglob("showcase.css"))
    errors, _ = nu_html.check(sample_site, files)
    ours = [error for error in errors if error.material is None]
    assert not ours, (f"{len(ours)} Nu Html Checker error(s) from our templates (generator/theme/, render.py, "
                      "bodies.py, metadata.py):\n" + "\n".join(map(str, ours)))
