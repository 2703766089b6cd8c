"""Ids from titles and names: the file name of a new entry.

German umlauts are transliterated (ä → ae, ß → ss), everything else is reduced to a–z, 0–9 and hyphens, at most 80
characters. A taken id is never made unique with a number: `showcase new` asks for another title or an explicit
id instead. Whether an id's URL is free is the validator's question (`rules.validate_addresses`), not answered here.
"""

from __future__ import annotations

import re
import unicodedata

from . import model as m

# Legal forms left out of organisation ids ("Malerei Koch GmbH" → malerei-koch), as they appear in a slug.
LEGAL_FORMS = (
    "e-v", "ev", "ggmbh", "gmbh", "mbh", "ag", "gag", "kg", "kgaa", "se", "gmbh-und-co-kg", "gmbh-co-kg", "ug",
    "ug-haftungsbeschraenkt", "eg", "gbr", "ohg", "e-k", "ek", "partg", "partg-mbb",
)
_FORMS = {form.replace("-", "") for form in LEGAL_FORMS}
_LONGEST_FORM = max(form.count("-") + 1 for form in LEGAL_FORMS)
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


def organization_key(name: str) -> str:
    """What makes two organisations' names the same: case, punctuation and a trailing legal form do not count.

    `"Malerei Koch GmbH"`, `"malerei koch"` and `"MALEREI-KOCH G.m.b.H."` → `"malerei-koch"`."""
    slug = slugify(name, max_length=10_000)
    if not slug:  # no Latin letters or digits at all
        return " ".join(name.casefold().split())
    words = slug.split("-")
    for count in range(min(len(words) - 1, _LONGEST_FORM), 0, -1):
        if "".join(words[-count:]) in _FORMS:  # `GmbH`, `G.m.b.H.` and `gmbh` alike
            return "-".join(words[:-count])
    return slug


def organization_slug(name: str) -> str:
    """Like slugify, without a trailing legal form: `"Malerei Koch GmbH"` → `"malerei-koch"`."""
    slug = slugify(name, max_length=10_000)
    return shorten(organization_key(name), m.MAX_ID_LENGTH) if slug else ""
