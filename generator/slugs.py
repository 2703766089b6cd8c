"""Ids from titles and names: the file name of a new entry.

German umlauts are transliterated (ä → ae, ß → ss), everything else is reduced to a–z, 0–9 and hyphens, at most 80
characters; `candidate_ids` adds -2, -3 … when an id is taken. Whether an id's URL is free is the validator's
question (`rules.validate_addresses`), not answered here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from . import model as m

# Legal forms left out of organisation ids ("Malerei Koch GmbH" → malerei-koch), as they appear in a slug.
LEGAL_FORMS = (
    "e-v", "ev", "ggmbh", "gmbh", "mbh", "ag", "gag", "kg", "kgaa", "se", "gmbh-und-co-kg", "gmbh-co-kg", "ug",
    "ug-haftungsbeschraenkt", "eg", "gbr", "ohg", "e-k", "ek", "partg", "partg-mbb",
)
_TRANSLITERATION = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def slugify(title: str, max_length: int = m.MAX_ID_LENGTH) -> str:
    """`"Schlafsäcke für die Wärmestube!"` → `"schlafsaecke-fuer-die-waermestube"` (may be empty)."""
    lowered = title.lower().translate(_TRANSLITERATION)  # "ẞ".lower() is "ß"
    lowered = re.sub(r"\s*&\s*", " und ", lowered)
    ascii_text = unicodedata.normalize("NFKD", lowered).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    return shorten(slug, max_length)


def shorten(slug: str, max_length: int) -> str:
    """Cut an id to `max_length`, preferably at a hyphen, never leaving one at the end."""
    if len(slug) <= max_length:
        return slug
    cut = slug[:max_length]
    if slug[max_length] != "-" and "-" in cut and cut.rindex("-") >= max_length // 2:
        cut = cut[: cut.rindex("-")]
    return cut.strip("-")


def organization_slug(name: str) -> str:
    """Like slugify, without a trailing legal form: `"Malerei Koch GmbH"` → `"malerei-koch"`."""
    slug = slugify(name, max_length=10_000)
    for form in sorted(LEGAL_FORMS, key=len, reverse=True):
        suffix = "-" + form
        if slug.endswith(suffix) and len(slug) > len(suffix):
            slug = slug[: -len(suffix)]
            break
    return shorten(slug, m.MAX_ID_LENGTH)


def candidate_ids(base: str) -> Iterator[str]:
    """`base`, `base-2`, `base-3` … each at most 80 characters."""
    yield shorten(base, m.MAX_ID_LENGTH)
    number = 2
    while True:
        suffix = f"-{number}"
        yield shorten(base, m.MAX_ID_LENGTH - len(suffix)) + suffix
        number += 1
