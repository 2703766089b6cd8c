"""One wording per concept, everywhere: the glossary in each catalogue (`glossary:`) is the reference for the
statuses, the two calls to action and the words a site must not use; the built sample is checked against it."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from generator.catalogue import LANGUAGES, package_strings

from .conftest import REPO


def strings_of(value, path=""):
    """(dotted key, text) for every text of a catalogue."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from strings_of(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from strings_of(item, f"{path}[{index}]")
    elif isinstance(value, str):
        yield path, value


def avoid_list(language: str) -> list[str]:
    """The variants a catalogue's glossary rules out (`avoid: "a | b"`: the catalogue holds texts only)."""
    return [word.strip() for word in package_strings(language)["glossary"]["avoid"].split("|")]


def avoided(text: str, words: list[str]) -> list[str]:
    return [word for word in words if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, flags=re.IGNORECASE)]


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_status_labels_are_the_glossary_words(language: str):
    strings = package_strings(language)
    glossary = strings["glossary"]
    for status in ("open", "matched", "completed"):
        word = glossary[f"status_{status}"].casefold()
        assert strings["proposal"][f"status_{status}"].casefold() == word, (language, status)
        assert strings["round"][f"status_{status}"].casefold() == word, (language, status)
    assert strings["story"]["status_completed"].casefold() == glossary["status_completed"].casefold()


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_the_two_calls_to_action_read_the_same_everywhere(language: str):
    strings = package_strings(language)
    glossary = strings["glossary"]
    assert strings["proposal"]["cta_button"] == strings["home"]["cta_companies"] == glossary["cta_companies"]
    assert strings["home"]["cta_nonprofits"] == strings["submit"]["title"] == glossary["cta_nonprofits"]


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_no_catalogue_text_uses_an_avoided_variant(language: str):
    strings = package_strings(language)
    words = avoid_list(language)
    found = [(key, avoided(text, words)) for key, text in strings_of(strings)
             if not key.startswith("glossary.") and avoided(text, words)]
    assert found == []


def visible_text(page: Path) -> str:
    text = page.read_text(encoding="utf-8")
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", text))


def test_the_sample_site_uses_no_avoided_variant(sample_site: Path):
    words = avoid_list("de")
    pages = [p for p in sample_site.rglob("*.html") if "admin" not in p.parts]
    found = {p.relative_to(sample_site).as_posix(): avoided(visible_text(p), words) for p in pages}
    assert {page: hits for page, hits in found.items() if hits} == {}


def test_the_editors_guide_uses_the_glossary_words():
    words = avoid_list("de")
    for name in ("CONTRIBUTING.md", ".github/pull_request_template.md"):
        assert avoided((REPO / name).read_text(encoding="utf-8"), words) == [], name
