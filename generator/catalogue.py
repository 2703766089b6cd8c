"""The message catalogue: every text the tool and the site show, in German and English, in one place.

The catalogue is the theme's `i18n/<language>.yml` inside this package: UI strings and URL slugs (`sections`),
diagnostics (`messages`), the names used inside them (`nouns`), command-line help (`cli`), progress lines
(`progress`) and `showcase new`'s prompts (`new`). For the site, a network's own `templates/i18n/<language>.yml` is
merged over it key by key (project.py), so a city that changes one slug keeps every other string, including keys
added in later versions; the tool's own voice (diagnostics, CLI) always comes from the package.
Numbers and dates are formatted with Babel in the site's language, never by hand.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from babel.dates import format_date as babel_date
from babel.numbers import format_decimal

from .periods import Period
from .quantities import Quantity, Total

THEME = Path(__file__).with_name("theme")
LANGUAGES = ("de", "en", "nl")
DEFAULT_LANGUAGE = "de"


def merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """`override` over `base`, key by key at every level (a list or text replaces the whole value)."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = value
    return merged


@functools.cache
def package_strings(language: str) -> dict[str, Any]:
    """The theme's own catalogue for `language` (German for any language the theme does not know)."""
    name = language if language in LANGUAGES else DEFAULT_LANGUAGE
    with (THEME / "i18n" / f"{name}.yml").open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=yaml.CSafeLoader)  # the C parser: the catalogue is large


class Catalogue:
    """Texts and formats of one language; `strings` is the merged tree the templates see as `t`."""

    def __init__(self, language: str, strings: dict[str, Any] | None = None):
        self.language = language if language in LANGUAGES else DEFAULT_LANGUAGE
        self.strings = strings if strings is not None else package_strings(self.language)

    def message(self, code: str, **ctx: Any) -> str:
        """A diagnostic's text; `yaml-syntax` with a known problem gets that problem's own message."""
        messages = self.strings["messages"]
        if code == "yaml-syntax" and f"yaml-syntax-{ctx.get('problem')}" in messages:
            code = f"yaml-syntax-{ctx['problem']}"
        return messages[code].format(**ctx)

    def noun(self, key: str) -> str:
        return self.strings["nouns"].get(key, key)

    def text(self, dotted: str, **ctx: Any) -> str:
        """Any text by its dotted key, e.g. `progress.render` or `cli.validate`."""
        value: Any = self.strings
        for part in dotted.split("."):
            value = value[part]
        return value.format(**ctx) if ctx else value

    def plural(self, dotted: str, count: int) -> str:
        """`cli.warnings`, 2 → `2 Warnungen` (the catalogue has `one` and `other` forms)."""
        return self.text(f"{dotted}.{'one' if count == 1 else 'other'}", n=self.number(count))

    def number(self, value: float) -> str:
        """`1234.5` → `1.234,5` (de) / `1,234.5` (en); whole numbers without decimals."""
        return _formatted_number(value, self.language)

    def date(self, value: dt.date) -> str:
        """`2026-03-01` → `1. März 2026` (de) / `March 1, 2026` (en)."""
        return _formatted_date(value, "long", self.language)

    def month(self, value: dt.date) -> str:
        """`2026-03-01` → `März 2026`."""
        return _formatted_date(value, "LLLL y", self.language)

    def period(self, value: Period | dt.date | None) -> str:
        """As precise as it was written: `1. März 2026`, `März 2026` or `2026`; `keine Angabe` when unknown."""
        if value is None:
            return self.text("values.unknown")
        if isinstance(value, dt.date):
            return self.date(value)
        if value.precision == "day":
            return self.date(value.start)
        return self.month(value.start) if value.precision == "month" else str(value.year)

    def quantity(self, value: Quantity | Total | None, unit: str = "") -> str:
        """`600`, `ca. 35.000 €`, `20–40`; `keine Angabe` when unknown (never 0)."""
        if isinstance(value, Total):
            value = value.value
        if value is None:
            return self.text("values.unknown")
        suffix = f"\u00a0{unit}" if unit else ""
        if not value.ranged:
            shown = self.number(value.low)
        elif value.high - value.low > 0.05 * value.high:
            shown = f"{self.number(value.low)}–{self.number(value.high)}"
        else:  # a range narrower than 5 % (2–3 hours within 1,575) reads better as its middle
            shown = self.number(round((value.low + value.high) / 2))
        return (self.text("values.approx", value=shown) if value.approx else shown) + suffix

    def coverage(self, total: Total, noun: str = "cooperations") -> str:
        """What a sum covers: `Angaben zu 14 von 23 Kooperationen` (empty when it covers everything)."""
        parts = []
        # Nothing known at all already reads "keine Angabe"; "0 von 3" would only repeat it.
        if 0 < total.known < total.count or (total.known < total.count and total.reported):
            form = "one" if total.count == 1 else "other"
            parts.append(self.text(f"values.coverage_{noun}.{form}", known=self.number(total.known),
                                   n=self.number(total.count)))
        if total.reported:
            parts.append(self.plural("values.reported", total.reported))
        return "; ".join(parts)


@functools.cache
def catalogue(language: str) -> Catalogue:
    """The package's catalogue: the tool's own voice (diagnostics, CLI, progress)."""
    return Catalogue(language)


def sort_key(text: str, language: str = DEFAULT_LANGUAGE) -> tuple[str, str]:
    """Alphabetical order as a reader of `language` expects it (DIN 5007 for German): umlauts and accents sort
    with their base letter, `ß` as `ss`, case ignored – `Wärmestube` before `Woonzorggroep`."""
    folded = unicodedata.normalize("NFKD", text.casefold().replace("ß", "ss"))
    base = "".join(char for char in folded if not unicodedata.combining(char))
    return (base, text)


def message(code: str, language: str, **ctx: Any) -> str:
    return catalogue(language).message(code, **ctx)


def noun(key: str, language: str) -> str:
    return catalogue(language).noun(key)


def environment_language() -> str:
    """The language of the person at the terminal, from LANG/LC_ALL/LC_MESSAGES (German by default)."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value and value not in ("C", "POSIX") and not value.startswith("C."):
            lowered = value.lower()
            return next((code for code in ("de", "nl") if lowered.startswith(code)), "en")
    return DEFAULT_LANGUAGE


# Babel formats a number or a date in about 0.1 ms; a site of thousands of pages shows the same few hundred dates
# and figures tens of thousands of times (a fifth of the render time before these caches).
@functools.lru_cache(maxsize=8192)
def _formatted_number(value: float, language: str) -> str:
    return format_decimal(value, format="#,##0.#", locale=language)


@functools.lru_cache(maxsize=8192)
def _formatted_date(value: dt.date, pattern: str, language: str) -> str:
    return babel_date(value, format=pattern, locale=language)
