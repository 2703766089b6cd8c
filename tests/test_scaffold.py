"""`showcase new`: files that validate, ids from titles, never an overwrite, clear refusals."""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import model as m
from generator.catalogue import catalogue
from generator.cli import build_parser, main
from generator.load import load_markdown_document, load_yaml_document, parse_yaml
from generator.model import DEFAULT_NEED_KINDS
from generator.scaffold import run
from generator.scaffold_file import dump_yaml
from generator.slugs import organization_slug, slugify

from .conftest import REPO

DATE = "2026-03-01"

RECIPIENT_KINDS = ("`nonprofit`, `public`, `association`, `foundation` oder `school` (Unternehmen und Einzelpersonen "
                   "bekommen keine Hilfe, sie geben sie) nötig.")


def new(capsys, root: Path, *args: str) -> tuple[int, str, str]:
    code = main(["new", *args, "--config", str(root / "site_config.yml"), "--date", DATE])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def validate(capsys, root: Path) -> tuple[int, str]:
    code = main(["validate", "--config", str(root / "site_config.yml")])
    return code, capsys.readouterr().out


def unfilled(capsys, root: Path) -> list[str]:
    """What `validate` says besides the fill-in prompts of new stories (errors until the editor writes the story)."""
    main(["validate", "--config", str(root / "site_config.yml"), "--format", "json"])
    found = json.loads(capsys.readouterr().out)
    return [d["message"] for d in found if d["code"] != "placeholder" and d["severity"] == "error"]


def front_matter(path: Path) -> dict:
    document, problems = load_markdown_document(path, path.name, "de")
    assert problems == []
    return document.data


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in (root / "content").rglob("*") if p.is_file()}


PROPOSAL = ("proposal", "--title", "Schlafsäcke für die Wärmestube", "--organization", "jugendtreff",
            "--summary", "Vierzig Schlafsäcke für den Winter.", "--need-kind", "sachspende",
            "--need", "40 winterfeste Schlafsäcke")


# --- ids -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("title", "expected"), [
    ("Schlafsäcke für die Wärmestube", "schlafsaecke-fuer-die-waermestube"),
    ("Größere Öfen & Übergänge", "groessere-oefen-und-uebergaenge"),
    ("STRASSE ẞ Ärger", "strasse-ss-aerger"),
    ("Café für Senioren (60+)", "cafe-fuer-senioren-60"),
    ("  --Hallo,   Welt!--  ", "hallo-welt"),
    ("2. Sportfest 2026", "2-sportfest-2026"),
    ("!!! ???", ""),
])
def test_id_from_title_transliterates_german(title, expected):
    assert slugify(title) == expected


def test_long_title_is_cut_at_a_word_boundary_to_80_characters():
    title = "Gemeinsam anpacken " * 10
    slug = slugify(title)
    assert len(slug) <= 80
    assert re.fullmatch(m.ID_PATTERN, slug)
    assert ("gemeinsam-anpacken-" * 10).startswith(slug + "-")


def test_organization_ids_leave_out_the_legal_form():
    assert organization_slug("Malerei Koch GmbH") == "malerei-koch"
    assert organization_slug("Jugendtreff Mitte e. V.") == "jugendtreff-mitte"
    assert organization_slug("Bäckerei Müller GmbH & Co. KG") == "baeckerei-mueller"
    assert organization_slug("GmbH") == "gmbh"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_every_derived_id_is_valid_or_empty(title):
    for slug in (slugify(title), organization_slug(title)):
        assert slug == "" or (len(slug) <= m.MAX_ID_LENGTH and re.fullmatch(m.ID_PATTERN, slug))


_SAFE_TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"),
                  blacklist_characters="\x85\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"),
    min_size=1, max_size=120,
).map(str.strip).filter(bool)


@settings(max_examples=300, deadline=None)
@given(_SAFE_TEXT, st.lists(_SAFE_TEXT, max_size=3))
def test_written_yaml_reads_back_exactly(title, descriptions):
    data = {"title": title, "needs": [{"kind": "sachspende", "description": d} for d in descriptions],
            "submitted": dt.date(2026, 3, 1), "contact": {"name": title, "public": False}}
    document, problems = parse_yaml(dump_yaml(data), "x.yml", "de")
    assert problems == []
    assert document.data == data


# --- writing files with options --------------------------------------------------------------------------------


def test_new_proposal_from_options_validates(capsys, project, in_dir):
    root = in_dir(project())
    code, out, err = new(capsys, root, *PROPOSAL, "--need-kind", "Logistik", "--need", "Transport",
                         "--theme", "bildung,jugend", "--district", "mitte",
                         "--contact-name", "Erika Muster", "--contact-email", "erika@example.org")
    assert code == 0, err
    assert out == "content/proposals/schlafsaecke-fuer-die-waermestube.md\n"
    data = front_matter(root / out.strip())
    assert data == {
        "title": "Schlafsäcke für die Wärmestube",
        "organization": "jugendtreff",
        "summary": "Vierzig Schlafsäcke für den Winter.",
        "status": "submitted",
        "submitted": dt.date(2026, 3, 1),
        "themes": ["bildung", "jugend"],
        "district": "mitte",
        "needs": [{"kind": "sachspende", "description": "40 winterfeste Schlafsäcke"},
                  {"kind": "logistik", "description": "Transport"}],  # label "Logistik" → key
        "contact": {"name": "Erika Muster", "email": "erika@example.org", "public": False},
    }
    assert "- 40 winterfeste Schlafsäcke\n- Transport" in (root / out.strip()).read_text()
    assert validate(capsys, root) == (0, "")


def test_a_title_whose_file_exists_is_refused_never_numbered(capsys, project, in_dir):
    root = in_dir(project())
    assert new(capsys, root, *PROPOSAL)[0] == 0
    before = files(root)
    code, out, err = new(capsys, root, *PROPOSAL)
    assert (code, out) == (2, "")
    assert err == ("Fehler: --title: Einen Eintrag mit diesem Titel gibt es schon: "
                   "content/proposals/schlafsaecke-fuer-die-waermestube.md. Bitte einen anderen Titel wählen oder mit "
                   "--id einen anderen Dateinamen angeben.\n")
    assert files(root) == before  # no `-2`
    code, out, err = new(capsys, root, *PROPOSAL, "--id", "schlafsaecke-fuer-die-notunterkunft")
    assert (code, out) == (0, "content/proposals/schlafsaecke-fuer-die-notunterkunft.md\n"), err
    assert validate(capsys, root) == (0, "")


def test_a_taken_title_is_asked_for_again_at_the_terminal(capsys, project):
    root = project()
    answers = Answers("Raum streichen", "Raum streichen im Keller", "jugendtreff", "Kurz.", "anpacken", "Ein Team",
                      "", "", "", "", "", "")
    code, out, err = run_interactive(root, answers, "proposal")
    assert code == 0, err
    assert "Einen Eintrag mit diesem Titel gibt es schon: " in err and "raum-streichen.md." in err
    assert [p.split(" (")[0] for p in answers.prompts[:2]] == ["Titel", "Titel"]
    assert out.strip().endswith("content/proposals/raum-streichen-im-keller.md")
    assert validate(capsys, root) == (0, "")


@pytest.mark.parametrize("name", ["Malerei Koch GmbH", "MALEREI KOCH", "Malerei-Koch G.m.b.H.", "malerei koch e.V."])
def test_a_second_organization_with_the_same_name_is_refused(capsys, project, name):
    root = project()
    before = files(root)
    for extra in ((), ("--id", "malerei-koch-zwei")):
        code, out, err = new(capsys, root, "organization", "--name", name, "--kind", "company", *extra)
        assert (code, out) == (2, "")
        assert err.startswith("Fehler: --name: Die Organisation „Malerei Koch GmbH“ gibt es schon: ")
        assert "content/organizations/malerei-koch.yml" in err and "Kennung `malerei-koch`" in err
    assert files(root) == before


def test_an_organization_whose_id_is_taken_needs_another_name_or_id(capsys, project):
    root = project()
    code, out, err = new(capsys, root, "organization", "--name", "Jugendtreff", "--kind", "nonprofit")
    assert (code, out) == (2, "")
    assert "Einen Eintrag mit diesem Namen gibt es schon: " in err and "jugendtreff.yml" in err
    code, out, err = new(capsys, root, "organization", "--name", "Jugendtreff", "--kind", "nonprofit", "--id",
                         "jugendtreff-sued")
    assert code == 0, err
    assert validate(capsys, root) == (0, "")


def test_an_explicit_id_that_exists_is_refused(capsys, project):
    root = project()
    before = files(root)
    code, out, err = new(capsys, root, *PROPOSAL, "--id", "raum-streichen")
    assert (code, out) == (2, "")
    assert "raum-streichen.md gibt es schon; sie wird nicht überschrieben" in err
    assert files(root) == before


@pytest.mark.parametrize(("organization", "message"), [
    ("malerei-koch", "`malerei-koch` ist als `company` eingetragen; hier ist eine Organisation der Art "
                     "`nonprofit`, `public`, `association`, `foundation` oder `school`"),
    ("jugendtref", "Eine Organisation mit der Kennung `jugendtref` gibt es nicht"),
])
def test_proposal_needs_an_existing_nonprofit(capsys, project, organization, message):
    root = project()
    before = files(root)
    args = list(PROPOSAL)
    args[args.index("--organization") + 1] = organization
    code, out, err = new(capsys, root, *args)
    assert (code, out) == (2, "")
    assert err.startswith("Fehler: --organization: ")
    assert message in err
    assert files(root) == before


@pytest.mark.parametrize(("option", "value", "message"), [
    ("--need-kind", "geldspende", "`geldspende` ist in site_config.yml unter `need_kinds` nicht definiert."),
    ("--theme", "sport", "`sport` ist in site_config.yml unter `themes` nicht definiert. Möglich: `bildung`, "
                         "`jugend`."),
    ("--district", "sued", "unter `districts` nicht definiert"),
    ("--title", "x" * 121, "`title` ist 121 Zeichen lang; erlaubt sind höchstens 120."),
    ("--contact-email", "keine-adresse", "ist keine gültige E-Mail-Adresse"),
])
def test_bad_values_are_refused_with_a_german_message(capsys, project, option, value, message):
    root = project()
    args = [*PROPOSAL, "--contact-name", "Erika"]
    if option in args:
        args[args.index(option) + 1] = value
    else:
        args += [option, value]
    code, out, err = new(capsys, root, *args)
    assert (code, out) == (2, "")
    assert message in err


def test_missing_essentials_are_not_asked_for_without_a_terminal(capsys, project):
    root = project()
    code, out, err = new(capsys, root, "proposal", "--title", "Nur ein Titel", "--no-input")
    assert (code, out) == (2, "")
    assert "Es fehlt die Angabe --organization" in err
    assert err.endswith("Mit --no-input wird nichts gefragt: dann müssen diese Angaben als Optionen kommen: "
                        "--organization, --summary, --need-kind, --need.\n")


@pytest.mark.parametrize("args", [
    (*PROPOSAL, "--date", "2026-02-30"),
    ("organization", "--name", "X", "--kind", "verein-xyz"),
])
def test_bad_input_is_one_plain_sentence(capsys, project, args):
    root = project()
    code = main(["new", *args, "--config", str(root / "site_config.yml")])
    captured = capsys.readouterr()
    assert (code, captured.out) == (2, "")
    assert re.fullmatch(r"Fehler: --(date|kind): `[^`]+` (ist|hat) [^\n]+\.\n", captured.err)


def test_the_real_command_exits_2_without_a_traceback(project):
    root = project()
    args = [*PROPOSAL[:4], "malerei-koch", *PROPOSAL[5:]]
    result = subprocess.run([sys.executable, "-m", "generator", "new", *args, "--config",
                             str(root / "site_config.yml")], capture_output=True, text=True,
                            stdin=subprocess.DEVNULL, timeout=120)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == ("Fehler: --organization: `organization`: `malerei-koch` ist als `company` eingetragen; "
                             "hier ist eine Organisation der Art " + RECIPIENT_KINDS + "\n")


# --- interactive -----------------------------------------------------------------------------------------------


class Answers:
    def __init__(self, *answers: str):
        self.answers, self.prompts = list(answers), []

    def __call__(self, prompt: str) -> str:
        self.prompts.append(prompt)
        if not self.answers:
            raise EOFError
        return self.answers.pop(0)


def run_interactive(root: Path, answers: Answers, *args: str) -> tuple[int, str, str]:
    parsed = build_parser().parse_args(["new", *args, "--config", str(root / "site_config.yml"), "--date", DATE])
    out, err = io.StringIO(), io.StringIO()
    code = run(parsed, read=answers, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_interactive_proposal_asks_in_german_and_asks_again_after_a_wrong_answer(capsys, project):
    root = project()
    answers = Answers("Ein neuer Anstrich", "malerei-koch", "jugendtreff", "Der Flur braucht Farbe.",
                      "geld", "Anpacken (Teamtag)", "anpacken", "Ein Team für einen Tag", "", "", "", "", "", "")
    code, out, err = run_interactive(root, answers, "proposal")
    assert code == 0, err
    assert out == f"{root / 'content/proposals/ein-neuer-anstrich.md'}\n"
    assert [p.split(" (")[0].split(":")[0].split(",")[0] for p in answers.prompts] == [
        "Titel", "Kennung der gemeinnützigen Organisation", "Kennung der gemeinnützigen Organisation",
        "Kurzfassung in ein", "Art des Bedarfs", "Art des Bedarfs", "Art des Bedarfs",
        "Was genau gebraucht wird", "Weiterer Bedarf – Art", "Themen", "Stadtteil", "Ansprechperson – Name",
        "Wer profitiert", "Bild",
    ]
    assert "`malerei-koch` ist als `company` eingetragen" in err
    assert "`geld` ist in site_config.yml unter `need_kinds` nicht definiert" in err
    assert "`Anpacken (Teamtag)` ist in site_config.yml unter `need_kinds` nicht definiert" in err
    data = front_matter(root / "content/proposals/ein-neuer-anstrich.md")
    assert data["needs"] == [{"kind": "anpacken", "description": "Ein Team für einen Tag"}]
    assert validate(capsys, root) == (0, "")


def test_interactive_prompts_follow_the_site_language(project):
    root = project()
    config = root / "site_config.yml"
    config.write_text(config.read_text().replace("language: de", "language: en"))
    answers = Answers("A new coat of paint", "malerei-koch", "jugendtreff", "The hall needs paint.", "anpacken",
                      "A team for a day", "", "Jugend", "Nord", "Erika Muster", "", "yes", "", "")
    code, out, err = run_interactive(root, answers, "proposal")
    assert code == 0, err
    assert answers.prompts[0].startswith("Title (at most 120 characters)")
    assert "`malerei-koch` is registered as `company`" in err
    assert "## What exactly is needed\n\n- A team for a day" in Path(root / "content/proposals/a-new-coat-of-paint.md"
                                                                     ).read_text()
    assert any(p.startswith("Show the contact person on the site? yes or no – with no the contact stays private: it "
                            "is never published") for p in answers.prompts)
    data = front_matter(root / "content/proposals/a-new-coat-of-paint.md")
    assert (data["themes"], data["district"], data["contact"]) == (["jugend"], "nord",
                                                                   {"name": "Erika Muster", "public": True})


def test_closed_input_is_treated_like_no_input(project):
    root = project()
    code, out, err = run_interactive(root, Answers("Nur ein Titel"), "proposal")
    assert (code, out) == (2, "")
    assert "Es fehlt die Angabe --organization" in err


# --- cooperations and organisations ----------------------------------------------------------------------------


def test_cooperation_from_a_proposal_prefills_the_story(capsys, project):
    root = project()
    code, out, err = new(capsys, root, "cooperation", "--from-proposal", "laptops-fuer-den-jugendtreff",
                         "--partner", "malerei-koch")
    assert code == 0, err
    assert out == f"{root / 'content/cooperations/laptops-fuer-den-jugendtreff.md'}\n"
    path = root / "content/cooperations/laptops-fuer-den-jugendtreff.md"
    document, _ = load_markdown_document(path, "x", "de")
    assert document.data == {
        "title": "Laptops für den Jugendtreff",
        "organization": "jugendtreff",
        "proposal": "laptops-fuer-den-jugendtreff",
        "partners": [{"organization": "malerei-koch", "kind": "sachspende",
                      "contribution": "Fünf gebrauchte Laptops mit Netzteil"}],
        "started": dt.date(2026, 2, 1),  # the proposal was reviewed then (it has no `matched` date yet)
        "completed": dt.date(2026, 3, 1),
        "themes": ["bildung", "jugend"],
        "district": "mitte",
    }
    # The proposal's story, its headings one level down, under the first section.
    assert document.body.startswith("## Ausgangslage\n\n### Hintergrund\n\nDer Jugendtreff hilft bei Hausaufgaben.")
    assert ("Hinweis: Der verknüpfte Vorschlag `laptops-fuer-den-jugendtreff` hat noch den Status `open` und wird "
            "weiter als offen gezeigt") in err  # the warning `showcase validate` gives for the new file
    code, report = validate(capsys, root)
    assert "warning[proposal-not-completed]" in report
    # The story's fill-in prompts are errors until the editor writes it (a story is always published).
    assert "error[placeholder]" in report
    assert unfilled(capsys, root) == []


def test_cooperation_from_a_completed_proposal_validates_without_warnings(capsys, project):
    root = project()
    code, out, err = new(capsys, root, "cooperation", "--from-proposal", "raum-streichen", "--title",
                         "Noch ein Anstrich", "--partner", "stadt", "--partner", "malerei-koch", "--partner-kind",
                         "logistik", "--contribution", "Leihgerüst", "--partner-kind", "anpacken",
                         "--contribution", "Ein Team")
    assert code == 0, err
    data = front_matter(root / "content/cooperations/noch-ein-anstrich.md")
    assert data["partners"] == [
        {"organization": "stadt", "kind": "logistik", "contribution": "Leihgerüst"},
        {"organization": "malerei-koch", "kind": "anpacken", "contribution": "Ein Team"},
    ]
    assert data["started"] == dt.date(2025, 4, 20)
    assert "Hinweis" not in err
    assert unfilled(capsys, root) == []


@pytest.mark.parametrize(("args", "message"), [
    (("--partner", "jugendtref"), "Eine Organisation mit der Kennung `jugendtref` gibt es nicht"),
    (("--partner", "stadt", "--started", "2026-04-01", "--completed", "2026-03-31"),
     "`completed` (2026-03-31) liegt vor `started` (2026-04-01)."),
    (("--from-proposal", "gibt-es-nicht", "--partner", "stadt"),
     "mit der Kennung `gibt-es-nicht` gibt es nicht (Datei `content/proposals/gibt-es-nicht.md`)."),
])
def test_cooperation_refusals(capsys, project, args, message):
    root = project()
    before = files(root)
    base = ["--title", "Etwas", "--organization", "jugendtreff", "--partner-kind", "anpacken",
            "--contribution", "Hilfe"]
    code, out, err = new(capsys, root, "cooperation", *base, *args)
    assert (code, out) == (2, "")
    assert message in err
    assert files(root) == before


def test_new_organization_validates_and_can_be_referenced(capsys, project):
    root = project()
    code, out, err = new(capsys, root, "organization", "--name", "Bäckerei Müller GmbH", "--kind", "company",
                         "--website", "https://baeckerei.example.com", "--district", "nord")
    assert code == 0, err
    path = root / "content/organizations/baeckerei-mueller.yml"
    assert out == f"{path}\n"
    document, problems = load_yaml_document(path, "x", "de")
    assert problems == []
    assert document.data == {"name": "Bäckerei Müller GmbH", "kind": "company",
                             "website": "https://baeckerei.example.com", "district": "nord"}
    code, _, err = new(capsys, root, "cooperation", "--title", "Brot", "--organization", "jugendtreff",
                       "--partner", "baeckerei-mueller", "--partner-kind", "sachspende", "--contribution", "Brot")
    assert code == 0, err
    assert unfilled(capsys, root) == []


def test_text_that_looks_like_yaml_is_written_safely(capsys, project):
    root = project()
    tricky = ['no', '"Zitat": mit # und: Doppelpunkt', "- * & ! % @ ` | > {a: b} [c]", "01067", "1:30"]
    code, out, err = new(capsys, root, "proposal", "--title", tricky[0], "--organization", "jugendtreff",
                         "--summary", tricky[1], "--need-kind", "sachspende", "--need", tricky[2],
                         "--need-kind", "logistik", "--need", tricky[3], "--contact-name", tricky[4])
    assert code == 0, err
    data = front_matter(root / out.strip())
    assert [data["title"], data["summary"], data["needs"][0]["description"], data["needs"][1]["description"],
            data["contact"]["name"]] == tricky
    assert validate(capsys, root) == (0, "")


# --- the editor guide's examples -------------------------------------------------------------------------------


def test_the_guide_template_and_command_examples_validate(capsys, tmp_path):
    """CONTRIBUTING.md shows a proposal template and `showcase new` commands: they must work on the sample."""
    root = tmp_path / "network"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "site_config.yml", root / "site_config.yml")
    guide = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")

    template = re.search(r"```markdown\n(.*?)```", guide, flags=re.S).group(1)
    template = re.sub(r"^   ", "", template, flags=re.M)  # the block is indented inside a list item
    (root / "content/proposals/vorlage-aus-der-anleitung.md").write_text(template, encoding="utf-8")

    commands = re.search(r"```sh\n(showcase new proposal --title.*?)```", guide, flags=re.S).group(1)
    commands = [shlex.split(line) for line in commands.replace("\\\n", " ").splitlines() if line.strip()]
    assert len(commands) == 3
    for words in commands:
        assert words[:2] == ["showcase", "new"]
        code, out, err = new(capsys, root, *words[2:])
        assert code == 0, (words, err)
    assert (root / "content/proposals/zehn-laptops-fuer-das-lerncafe.md").is_file()
    assert (root / "content/cooperations/zehn-laptops-fuer-das-lerncafe.md").is_file()
    name = commands[2][commands[2].index("--name") + 1]  # one the sample does not have: never a second one
    assert (root / f"content/organizations/{organization_slug(name)}.yml").is_file()
    assert unfilled(capsys, root) == []


# --- the validator's rules, the validator's words -----------------------------------------------------------------


def validator_messages(capsys, root: Path, rel: str) -> list[str]:
    """What `showcase validate` says about one file (as JSON, so the message stands alone)."""
    main(["validate", "--config", str(root / "site_config.yml"), "--format", "json"])
    found = json.loads(capsys.readouterr().out)
    return [d["message"] for d in found if d["path"].endswith(rel) and d["severity"] == "error"]


@pytest.mark.parametrize(("title", "url"), [
    ("Index", "/herausforderungen/"),  # the listing of all proposals
    ("Thema", "/herausforderungen/thema/"),  # the folder of the lists by theme (a facet's slug)
])
def test_an_id_whose_address_the_generator_owns_is_refused_as_validate_refuses_it(capsys, project, title, url):
    root = project()
    before = files(root)
    code, out, err = new(capsys, root, "proposal", "--no-input", "--title", title, "--organization", "jugendtreff",
                         "--summary", "Kurz.", "--need-kind", "sachspende", "--need", "Etwas")
    assert (code, out) == (2, "")
    assert files(root) == before
    # The same file written by hand: `showcase validate` refuses it with the very same sentence.
    rel = f"content/proposals/{slugify(title)}.md"
    shutil.copy(root / "content/proposals/raum-streichen.md", root / rel)
    [expected] = validator_messages(capsys, root, rel)
    assert f"`{url}`" in expected
    assert err == f"Fehler: {expected}\n"


def test_an_explicit_id_is_checked_for_its_address_too(capsys, project):
    root = project()
    code, out, err = new(capsys, root, "organization", "--name", "Lauter Leute", "--kind", "company",
                         "--id", "index")
    assert (code, out) == (2, "")
    assert "Die Adresse `/organisationen/` dieser Datei ist schon vergeben" in err
    assert not (root / "content/organizations/index.yml").exists()


def test_an_id_a_former_address_of_another_entry_uses_is_refused(capsys, project):
    root = project()
    path = root / "content/proposals/raum-streichen.md"
    path.write_text(path.read_text().replace("status:", "aliases: [neuer-anstrich]\nstatus:", 1))
    assert validate(capsys, root) == (0, "")
    code, out, err = new(capsys, root, *PROPOSAL[:2], "Neuer Anstrich", *PROPOSAL[3:])
    assert (code, out) == (2, "")
    # validate would now blame the alias in the other file: that is what `new` says.
    assert err.startswith("Fehler: `aliases[0]`: Die frühere Adresse `/herausforderungen/neuer-anstrich/` ist schon "
                          "vergeben")
    assert not (root / "content/proposals/neuer-anstrich.md").exists()


def test_refusals_of_answers_are_the_validators_messages(capsys, project):
    root = project()
    language = "de"
    cases = [
        (("--organization", "malerei-koch"), catalogue(language).message(
            "wrong-organization-kind", field="organization", value="malerei-koch", actual="company",
            expected=catalogue(language).noun("recipient"))),
        (("--need-kind", "geld"), catalogue(language).message(
            "unknown-key", field="needs[0].kind", value="geld", section="need_kinds",
            allowed=", ".join(f"`{key}`" for key in DEFAULT_NEED_KINDS))),
        (("--summary", "   "), catalogue(language).message("empty", field="summary")),
    ]
    for (option, value), expected in cases:
        args = list(PROPOSAL)
        args[args.index(option) + 1] = value
        code, out, err = new(capsys, root, *args)
        assert (code, out, err) == (2, "", f"Fehler: {option}: {expected}\n")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=st.text(min_size=1, max_size=130), summary=st.text(min_size=1, max_size=60))
def test_whatever_is_typed_new_refuses_or_writes_a_file_that_validates(capsys, tmp_path_factory, title, summary):
    root = tmp_path_factory.mktemp("network")
    shutil.copytree(Path(__file__).parent / "fixtures/minimal", root, dirs_exist_ok=True, symlinks=True)
    code, out, err = new(capsys, root, "proposal", "--no-input", f"--title={title}", "--organization", "jugendtreff",
                         f"--summary={summary}", "--need-kind", "sachspende", "--need", "Etwas")
    if code != 0:
        assert (code, out) == (2, "")
        assert err.startswith("Fehler: ") and "Traceback" not in err
        return
    written = Path(out.strip())
    text = written.read_text(encoding="utf-8")
    assert validate(capsys, root) == (0, "")
    assert written.read_text(encoding="utf-8") == text
    assert front_matter(written)["title"] == title.strip()


def test_every_kind_writes_plain_yaml_that_validates_unchanged(capsys, project):
    root = project()
    runs = [
        ("organization", "--name", "Ja", "--kind", "öffentlich", "--description", "Nein: # kein Kommentar"),
        (*PROPOSAL, "--theme", "jugend", "--theme", "Bildung"),
        ("cooperation", "--title", "On", "--organization", "jugendtreff", "--partner", "stadt", "--partner-kind",
         "logistik", "--contribution", "- ein Wagen", "--started", DATE),
    ]
    written = []
    for args in runs:
        code, out, err = new(capsys, root, *args)
        assert code == 0, err
        written.append(Path(out.strip()))
    texts = [path.read_text(encoding="utf-8") for path in written]
    assert texts[0] == "name: Ja\nkind: public\ndescription: 'Nein: # kein Kommentar'\n"
    assert "submitted: 2026-03-01\nthemes: [jugend, bildung]\nneeds:\n  - kind: sachspende\n" in texts[1]
    assert "started: 2026-03-01\ncompleted: 2026-03-01\n" in texts[2]  # one date twice: no YAML alias
    assert "title: 'On'\n" in texts[2]
    assert unfilled(capsys, root) == []
    assert [path.read_text(encoding="utf-8") for path in written] == texts


def showcase_new(root: Path, *args: str, piped: str) -> subprocess.CompletedProcess:
    """The real command, its answers piped in (stdin is not a terminal)."""
    return subprocess.run([sys.executable, "-m", "generator", "new", *args, "--config", str(root / "site_config.yml"),
                           "--date", DATE], input=piped, capture_output=True, text=True, timeout=120, cwd=root)


def test_piped_answers_are_read_line_by_line_in_the_order_of_the_prompts(capsys, project):
    root = project()
    piped = "\n".join([
        "Aus einem Skript", "jugendtreff", "Kurz.", "sachspende", "Zehn Stühle", "Logistik", "Transport", "",
        "Bildung, jugend", "Mitte", "Erika Muster", "erika@example.org", "nein",
        "Zwölf Jugendliche", "12", "content/images/laptops.png", "Zwei Laptops auf einem Tisch",
    ]) + "\n"
    result = showcase_new(root, "proposal", piped=piped)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "content/proposals/aus-einem-skript.md\n"  # stdout is only the path
    prompts = result.stderr.splitlines()
    assert prompts[0] == "Titel (höchstens 120 Zeichen):"
    assert "Themen, mit Kommas getrennt (Bildung, Jugend; leer lassen zum Überspringen):" in prompts
    assert any(line.startswith("Ansprechperson auf der Website zeigen? ja oder nein") and "nie veröffentlicht" in line
               for line in prompts)
    data = front_matter(root / "content/proposals/aus-einem-skript.md")
    assert data == {
        "title": "Aus einem Skript", "organization": "jugendtreff", "summary": "Kurz.", "status": "submitted",
        "submitted": dt.date(2026, 3, 1), "themes": ["bildung", "jugend"], "district": "mitte",
        "needs": [{"kind": "sachspende", "description": "Zehn Stühle"},
                  {"kind": "logistik", "description": "Transport"}],
        "beneficiaries": {"description": "Zwölf Jugendliche", "count": 12},
        "contact": {"name": "Erika Muster", "email": "erika@example.org", "public": False},
        "image": "laptops.png", "image_alt": "Zwei Laptops auf einem Tisch",
    }
    assert validate(capsys, root) == (0, "")


def test_piped_input_that_ends_before_an_essential_says_which_options_no_input_needs(project):
    root = project()
    before = files(root)
    result = showcase_new(root, "proposal", "--title", "Aus einem Skript", piped="jugendtreff\nKurz.\n")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.splitlines()[-1] == (
        "Fehler: Die Eingabe endete vor der Angabe --need-kind (Art des Bedarfs). Bitte eine Zeile je Frage "
        "weiterleiten oder mit --no-input diese Angaben als Optionen übergeben: --organization, --summary, "
        "--need-kind, --need.")
    assert files(root) == before
    result = showcase_new(root, "organization", piped="")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == ("Fehler: Die Eingabe endete vor der Angabe --name (Name der Organisation). Bitte eine "
                             "Zeile je Frage weiterleiten oder mit --no-input diese Angaben als Optionen übergeben: "
                             "--name, --kind.\n")


def test_a_refused_piped_answer_ends_the_command(project):
    root = project()
    before = files(root)
    result = showcase_new(root, "proposal", "--title", "Aus einem Skript", piped="malerei-koch\njugendtreff\n")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.splitlines()[-1] == (
        "Fehler: Antwort 1 der Eingabe (Kennung der gemeinnützigen Organisation): `organization`: `malerei-koch` ist "
        "als `company` eingetragen; hier ist eine Organisation der Art " + RECIPIENT_KINDS)
    assert files(root) == before


def test_piped_input_after_the_essentials_skips_the_optional_questions(capsys, project):
    root = project()
    result = showcase_new(root, *PROPOSAL, piped="")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "content/proposals/schlafsaecke-fuer-die-waermestube.md\n"
    assert result.stderr.startswith("Angelegt.")  # no prompt shown once the input has ended
    assert set(front_matter(root / result.stdout.strip())) == {"title", "organization", "summary", "status",
                                                              "submitted", "needs"}
    assert validate(capsys, root) == (0, "")


def test_proposal_options_for_themes_district_contact_beneficiaries_and_image(capsys, project):
    root = project()
    code, out, err = new(capsys, root, *PROPOSAL, "--no-input", "--theme", "Jugend", "--district", "Nord",
                         "--contact-name", "Erika Muster", "--contact-public", "--beneficiaries",
                         "Jugendliche aus dem Viertel", "--beneficiaries-count", "40", "--image", "laptops.png",
                         "--image-alt", "Ein Stapel Schlafsäcke")
    assert code == 0, err
    data = front_matter(root / out.strip())
    assert {key: data[key] for key in ("themes", "district", "contact", "beneficiaries", "image", "image_alt")} == {
        "themes": ["jugend"], "district": "nord", "contact": {"name": "Erika Muster", "public": True},
        "beneficiaries": {"description": "Jugendliche aus dem Viertel", "count": 40}, "image": "laptops.png",
        "image_alt": "Ein Stapel Schlafsäcke"}
    assert validate(capsys, root) == (0, "")


@pytest.mark.parametrize(("args", "message"), [
    (("--image", "fehlt.png", "--image-alt", "x"), "--image: `image`: Das Bild `content/images/fehlt.png` gibt es "
                                                   "nicht."),
    (("--image", "laptops.png"), "Es fehlt die Angabe --image-alt (Bildbeschreibung für Menschen, die das Bild nicht "
                                 "sehen)."),
    (("--image-alt", "Ein Bild"), "--image-alt geht nur zusammen mit --image."),
    (("--contact-public", "ja"), "--contact-public geht nur zusammen mit --contact-name."),
    (("--contact-name", "Erika", "--contact-public", "vielleicht"), "`contact.public` muss `true` oder `false` sein."),
    (("--beneficiaries", "Viele", "--beneficiaries-count", "1.200"), "`beneficiaries.count` muss eine ganze Zahl"),
    (("--beneficiaries-count", "12"), "--beneficiaries-count geht nur zusammen mit --beneficiaries."),
])
def test_proposal_option_refusals(capsys, project, args, message):
    root = project()
    before = files(root)
    code, out, err = new(capsys, root, *PROPOSAL, "--no-input", *args)
    assert (code, out) == (2, "")
    assert message in err
    assert files(root) == before


def test_at_the_terminal_an_image_must_exist_and_needs_its_alt_text(capsys, project):
    root = project()
    answers = Answers("", "", "", "", "fehlt.png", "laptops.png", "", "Zwei Laptops")
    code, out, err = run_interactive(root, answers, *PROPOSAL)
    assert code == 0, err
    assert "Das Bild `content/images/fehlt.png` gibt es nicht." in err
    assert "`image_alt` darf nicht leer sein." in err
    data = front_matter(Path(out.strip()))
    assert (data["image"], data["image_alt"]) == ("laptops.png", "Zwei Laptops")
    assert validate(capsys, root) == (0, "")


def _new_subcommands(language: str):
    parser = build_parser(catalogue(language))
    [commands] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    [kinds] = [a for a in commands.choices["new"]._actions if isinstance(a, argparse._SubParsersAction)]
    return kinds.choices


def test_every_option_of_new_has_help_in_german_and_english():
    german, english = _new_subcommands("de"), _new_subcommands("en")
    assert set(german) == set(english) == {"proposal", "cooperation", "organization", "offer", "event"}
    for kind, parser in german.items():
        helps = {a.option_strings[-1]: a.help for a in parser._actions}
        english_helps = {a.option_strings[-1]: a.help for a in english[kind]._actions}
        assert set(helps) == set(english_helps)
        for option, text in helps.items():
            assert text and english_helps[option], (kind, option)
            if option not in ("--website", "--help"):
                assert text != english_helps[option], (kind, option)  # translated, not a copy
    proposal_options = {a.option_strings[-1] for a in german["proposal"]._actions}
    assert {"--theme", "--district", "--contact-name", "--contact-email", "--contact-public", "--beneficiaries",
            "--beneficiaries-count", "--image", "--image-alt"} <= proposal_options


@pytest.mark.parametrize(("language", "expected"), [
    ("de", "Titel (höchstens 120 Zeichen); daraus wird der Dateiname gebildet"),
    ("en", "title (at most 120 characters); the id is derived from it"),
])
def test_help_of_new_is_in_the_site_language(capsys, language, expected):
    with pytest.raises(SystemExit):
        build_parser(catalogue(language)).parse_args(["new", "proposal", "--help"])
    shown = " ".join(capsys.readouterr().out.split())
    assert expected in shown
    assert catalogue(language).text("new.help.no-input").split()[0] in shown

