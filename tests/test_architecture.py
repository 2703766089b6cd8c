"""The URL scheme, the catalogue override and aliases, as an editor or a re-branding network meets them."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator import pipeline
from generator.catalogue import catalogue
from generator.cli import main

from .conftest import FIXTURES


@pytest.fixture
def root(tmp_path: Path) -> Path:
    target = tmp_path / "netz"
    shutil.copytree(FIXTURES / "minimal", target)
    return target


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def errors_of(root: Path) -> list:
    checked = pipeline.check(root / "site_config.yml")
    return [d for d in checked.diagnostics if d.severity == "error"]


def test_renamed_listing_and_a_page_of_the_same_name_is_an_error_naming_both_files(root, capsys, in_dir):
    write(root / "templates/i18n/de.yml", "sections:\n  proposals: aufgaben\n")
    write(root / "content/pages/aufgaben.md", "---\ntitle: Unsere Angebote\n---\nText der Redaktion.\n")
    in_dir(root)
    assert main(["validate"]) == 1
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if "url-taken" in line)
    assert line.startswith("content/pages/aufgaben.md:1:1: error[url-taken]")
    assert "templates/i18n/de.yml" in line and "/aufgaben/" in line
    assert main(["build", "--strict", "--out", str(root.parent / "site")]) == 1
    assert not (root.parent / "site").exists()


@pytest.mark.parametrize(("folder", "name"), [
    ("proposals", "index"),          # would replace the list of open challenges
    ("proposals", "thema"),          # the folder of the lists by theme
    ("cooperations", "seite"),       # the folder of the further pages of the stories list
    ("pages", "herausforderungen"),  # the listing itself
    ("pages", "bilder"),             # the published images
    ("pages", "assets"),             # the theme's files
])
def test_an_id_that_takes_a_generated_address_is_an_error(root, folder, name):
    source = root / "content" / folder
    template = next(source.glob("*.md"))
    shutil.copy(template, source / f"{name}.md")
    problems = [d for d in errors_of(root) if d.code == "url-taken"]
    assert [d.path for d in problems] == [f"content/{folder}/{name}.md"]


def test_slugs_follow_the_override_wherever_they_are_renamed(root):
    write(root / "templates/i18n/de.yml", "sections:\n  theme: gebiet\n")
    shutil.copy(root / "content/proposals/raum-streichen.md", root / "content/proposals/thema.md")
    assert not [d for d in errors_of(root) if d.code == "url-taken"]  # `thema` is free once renamed
    shutil.copy(root / "content/proposals/raum-streichen.md", root / "content/proposals/gebiet.md")
    assert [d.path for d in errors_of(root) if d.code == "url-taken"] == ["content/proposals/gebiet.md"]


def test_a_bad_or_repeated_slug_is_reported_at_its_line(root):
    write(root / "templates/i18n/de.yml", "home:\n  title: Start\nsections:\n  proposals: Angebote!\n"
          "  organizations: wirkung\n")
    checked = pipeline.check(root / "site_config.yml")
    assert checked.exit_code == pipeline.ExitCode.USAGE
    found = {(d.path, d.line, d.field, d.code) for d in checked.diagnostics}
    assert ("templates/i18n/de.yml", 4, "sections.proposals", "slug-invalid") in found
    assert any(d.field in ("sections.organizations", "sections.impact") and d.code == "slug-duplicate"
               for d in checked.diagnostics)


def test_override_merges_key_by_key(root, tmp_path):
    write(root / "templates/i18n/de.yml", "sections:\n  proposals: aufgaben\nnav:\n  proposals: Aufgaben\n")
    assert main(["build", "--config", str(root / "site_config.yml"), "--out", str(tmp_path / "site"),
                 "--quiet"]) == 0
    site = tmp_path / "site"
    listing = (site / "aufgaben/index.html").read_text(encoding="utf-8")
    assert re.search(r">\s*Aufgaben\s*<", listing)
    # Everything the override does not name keeps the package's text and address.
    assert "Erfolgsgeschichten" in listing and (site / "erfolgsgeschichten/index.html").is_file()
    assert not (site / "herausforderungen").exists()


def build_with_alias(root: Path, proposal: str, alias: str, out: Path) -> Path:
    """Give a proposal a former id and build the site into `out`."""
    path = root / "content/proposals" / f"{proposal}.md"
    path.write_text(path.read_text(encoding="utf-8").replace("---\n", f"---\naliases: [{alias}]\n", 1),
                    encoding="utf-8")
    assert main(["build", "--config", str(root / "site_config.yml"), "--out", str(out), "--quiet"]) == 0
    return out


def test_an_alias_sends_visitors_to_the_current_page(root, tmp_path):
    site = build_with_alias(root, "raum-streichen", "alter-raum", tmp_path / "site")
    redirect = (site / "herausforderungen/alter-raum/index.html").read_text(encoding="utf-8")
    assert 'content="0; url=../../herausforderungen/raum-streichen/"' in redirect
    assert 'name="robots" content="noindex"' in redirect
    assert (site / "herausforderungen/raum-streichen/index.html").is_file()


def test_an_alias_of_an_internal_proposal_writes_nothing(root, tmp_path):
    site = build_with_alias(root, "geheimer-antrag", "alter-antrag", tmp_path / "site")
    assert not (site / "herausforderungen/alter-antrag").exists()
    assert not any("alter-antrag" in path.read_text(encoding="utf-8") for path in site.rglob("*.html"))


def test_an_alias_that_takes_a_live_address_is_an_error(root):
    proposal = root / "content/proposals/raum-streichen.md"
    text = proposal.read_text(encoding="utf-8")
    proposal.write_text(text.replace("---\n", "---\naliases:\n  - laptops-fuer-den-jugendtreff\n  - index\n", 1),
                        encoding="utf-8")
    problems = [d for d in errors_of(root) if d.code == "alias-taken"]
    assert [(d.path, d.line, d.field) for d in problems] == [
        ("content/proposals/raum-streichen.md", 3, "aliases[0]"),
        ("content/proposals/raum-streichen.md", 4, "aliases[1]"),
    ]
    assert "content/proposals/laptops-fuer-den-jugendtreff.md" in problems[0].message


def test_numbers_and_dates_follow_the_language():
    import datetime as dt

    assert catalogue("de").number(12345.5) == "12.345,5"
    assert catalogue("en").number(12345.5) == "12,345.5"
    assert catalogue("de").number(40) == "40"
    assert catalogue("de").date(dt.date(2026, 3, 1)) == "1. März 2026"
    assert catalogue("en").plural("cli.warnings", 1) == "1 warning"
    assert catalogue("de").plural("cli.warnings", 2) == "2 Warnungen"


@pytest.mark.parametrize(("lang", "expected", "absent"), [
    ("de_DE.UTF-8", "alle Inhalte prüfen", "check all content"),
    ("en_GB.UTF-8", "check all content", "alle Inhalte prüfen"),
])
def test_help_follows_lang_without_a_configuration(tmp_path, lang, expected, absent):
    env = {"LANG": lang, "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-m", "generator", "--help"], capture_output=True, text=True,
                            cwd=tmp_path, env=env, timeout=60)
    assert result.returncode == 0
    assert expected in result.stdout and absent not in result.stdout


def test_help_follows_the_site_language(root):
    config = root / "site_config.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("language: de", "language: en"), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "generator", "validate", "--help"], capture_output=True,
                            text=True, cwd=root, env={"LANG": "de_DE.UTF-8", "PATH": "/usr/bin:/bin"}, timeout=60)
    assert "fail on warnings too" in result.stdout


def test_every_path_of_the_sample_site_is_in_the_catalogue_only():
    """The slugs are written once: in the catalogue. Code and templates ask the URL scheme."""
    generator = Path(__file__).resolve().parents[1] / "generator"
    slugs = catalogue("de").strings["sections"].values()
    # As a path segment: `herausforderungen/…` or `…/herausforderungen` (a field name `stadtteil` is no path).
    pattern = re.compile("|".join(rf"\b{re.escape(slug)}/|/{re.escape(slug)}\b" for slug in slugs))
    offenders = [
        str(path.relative_to(generator)) for path in generator.rglob("*")
        if path.is_file() and path.suffix in (".py", ".html", ".css", ".js")
        and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
