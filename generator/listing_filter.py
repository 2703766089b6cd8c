"""The data behind the combinable filter of open challenges (theme × kind of help × place × team size).

The listing pages show one page of cards at a time, and one facet at a time without JavaScript (the static facet
pages stay the fallback). The small script `assets/filter.js` fetches this file only when a visitor first uses the
filter, and then filters *all* open challenges. The file is compact on purpose (about 30 KB compressed at 1,000
open challenges, see benchmarks/bench_filter.py): facets as indices into one table, each challenge as a short
array with the text its card needs, prepared here in the site's language. Public views only: the privacy gate
reads this file like every other.
"""

from __future__ import annotations

import json
from typing import Any

from .catalogue import Catalogue
from .kinds import PROPOSAL
from .render import team_facts
from .urls import FACETS, UrlScheme
from .views import PublicProposal, PublicSite

FORMAT = 1
"""Bumped when the layout of a row changes, so a cached old file is never misread."""


def filter_data(site: PublicSite, texts: Catalogue, strings: dict[str, Any], urls: UrlScheme) -> bytes:
    facets: dict[str, list[list[str]]] = {facet: [] for facet in FACETS}
    index: dict[tuple[str, str], int] = {}
    for listing in site.listings:
        if listing.facet is not None and listing.proposals:
            index[listing.facet, listing.key] = len(facets[listing.facet])
            facets[listing.facet].append([listing.key, listing.label])
    organizations: dict[str, int] = {}
    rows = [_row(proposal, index, organizations, texts, strings) for proposal in site.open_proposals]
    data = {"v": FORMAT, "base": urls.detail_url(PROPOSAL, ""), "facets": facets, "orgs": list(organizations),
            "rows": rows}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _row(proposal: PublicProposal, index: dict[tuple[str, str], int], organizations: dict[str, int],
         texts: Catalogue, strings: dict[str, Any]) -> list[Any]:
    """[id, title, organisation (index into `orgs`), fact line, themes, kinds of help, place, fewest, most
    helpers]; facets as indices into `facets`, the page at `base` + id + `/`."""
    kinds = list(dict.fromkeys(need.kind for need in proposal.needs))
    helpers = proposal.helpers
    organization = organizations.setdefault(proposal.organization.name, len(organizations))
    facts = " · ".join(fact.inline for fact in team_facts(proposal, strings, texts))
    return [
        proposal.id, proposal.title, organization, facts,
        [index["theme", theme.key] for theme in proposal.themes],
        [index["need", kind] for kind in kinds],
        index["district", proposal.district.key] if proposal.district else -1,
        helpers.min if helpers else 0,
        (helpers.max or 0) if helpers else 0,
    ]
