"""Every message catalogue of the theme has exactly the German catalogue's keys, placeholders and valid slugs.

de.yml is the reference: a key added there must be added to every other catalogue (a missing key is a KeyError at
the moment a site or a diagnostic needs it, an extra key is a typo or a leftover), and every text must take the same
`{placeholders}` (a renamed or forgotten one is a KeyError, or a value silently left out, in that language only).
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

I18N = Path(__file__).resolve().parent.parent / "generator" / "theme" / "i18n"
REFERENCE = "de"
CATALOGUES = sorted(path.stem for path in I18N.glob("*.yml"))

SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
"""A path segment: lowercase a–z, 0–9 and single hyphens inside (the rule of generator.urls.slug_problems)."""
THEME_FOLDERS = {"assets", "search"}
"""Written by the theme into the site root, so never a section's name."""


def load(language: str) -> dict[str, Any]:
    with (I18N / f"{language}.yml").open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    assert isinstance(data, dict), f"{language}.yml: not a mapping"
    return data


def leaves(tree: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """(dotted key, value) for every text; a nested mapping's own key is not a leaf."""
    for key, value in tree.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, Mapping):
            yield from leaves(value, f"{dotted}.")
        else:
            yield dotted, value


def placeholders(text: str) -> set[str]:
    """`{name}` fields as str.format sees them (so `{{` is no placeholder)."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


@pytest.fixture(scope="module")
def reference() -> dict[str, Any]:
    return dict(leaves(load(REFERENCE)))


def test_the_reference_and_the_english_catalogue_are_there():
    assert {REFERENCE, "en"} <= set(CATALOGUES)


@pytest.mark.parametrize("language", CATALOGUES)
def test_same_keys_as_the_german_catalogue(language, reference):
    keys = dict(leaves(load(language)))
    missing = sorted(set(reference) - set(keys))
    extra = sorted(set(keys) - set(reference))
    assert not missing and not extra, (
        f"{language}.yml differs from {REFERENCE}.yml:\n"
        f"  missing ({len(missing)}): {', '.join(missing) or '-'}\n"
        f"  extra ({len(extra)}): {', '.join(extra) or '-'}")


@pytest.mark.parametrize("language", CATALOGUES)
def test_every_text_is_a_non_empty_string(language):
    wrong = [key for key, value in leaves(load(language)) if not isinstance(value, str) or not value.strip()]
    assert wrong == [], f"{language}.yml: not a non-empty text: {', '.join(wrong)}"


@pytest.mark.parametrize("language", CATALOGUES)
def test_same_placeholders_as_the_german_catalogue(language, reference):
    differing = []
    for key, value in leaves(load(language)):
        german = reference.get(key)
        if not isinstance(value, str) or not isinstance(german, str):
            continue
        try:
            found, expected = placeholders(value), placeholders(german)
        except ValueError as error:  # an unbalanced brace: str.format would fail on it too
            differing.append(f"{key}: {error}")
            continue
        if found != expected:
            differing.append(f"{key}: {sorted(found)} instead of {sorted(expected)}")
    assert differing == [], f"{language}.yml:\n  " + "\n  ".join(differing)


def plural_keys(tree: Mapping[str, Any], prefix: str = "") -> Iterator[str]:
    """Dotted keys of the texts with `one` and `other` forms (`cli.errors`), at any depth."""
    for key, value in tree.items():
        if isinstance(value, Mapping):
            if set(value) == {"one", "other"}:
                yield f"{prefix}{key}"
            else:
                yield from plural_keys(value, f"{prefix}{key}.")


def subtree(tree: Mapping[str, Any], dotted: str) -> Any:
    for part in dotted.split("."):
        tree = tree.get(part) if isinstance(tree, Mapping) else None
    return tree


@pytest.mark.parametrize("language", CATALOGUES)
def test_plural_forms_are_one_and_other(language):
    """`Catalogue.plural` picks `one` or `other`; the German catalogue decides which texts are plurals."""
    catalogue = load(language)
    wrong = [key for key in plural_keys(load(REFERENCE))
             if not isinstance(subtree(catalogue, key), Mapping) or set(subtree(catalogue, key)) != {"one", "other"}]
    assert wrong == [], f"{language}.yml: these need exactly `one` and `other`: {', '.join(wrong)}"


@pytest.mark.parametrize("language", CATALOGUES)
def test_section_slugs_are_valid_and_unique(language):
    slugs = load(language)["sections"]
    invalid = {key: value for key, value in slugs.items()
               if not isinstance(value, str) or not SLUG.fullmatch(value) or value in THEME_FOLDERS}
    assert invalid == {}, f"{language}.yml: invalid slugs (only a–z, 0–9, -; not assets/search): {invalid}"
    taken: dict[str, str] = {}
    repeated = []
    for key, value in slugs.items():
        if value in taken:
            repeated.append(f"{key} and {taken[value]}: {value}")
        taken.setdefault(value, key)
    assert repeated == [], f"{language}.yml: repeated slugs: {'; '.join(repeated)}"
