"""Issue 9, content rules: wrong data that would go online silently is an error at the line the editor wrote."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from pydantic import TypeAdapter, ValidationError

from generator import model as m
from generator.build import mkdocs_config
from generator.cli import main
from generator.publish import publish
from generator.rules_content import domain_suggestion, placeholder_in

from .conftest import REPO, checked_project

LAPTOPS = "content/proposals/laptops-fuer-den-jugendtreff.md"
SECRET = "content/proposals/geheimer-antrag.md"
STORY = "content/cooperations/frischer-anstrich.md"


def validate(capsys, root: Path) -> tuple[int, list[dict]]:
    code = main(["validate", "--config", str(root / "site_config.yml"), "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


def found(diagnostics: list[dict]) -> set[tuple[str, int, str, str, str]]:
    return {(d["path"], d["line"], d["field"], d["code"], d["severity"]) for d in diagnostics}


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(root: Path, rel: str, text: str, nth: int = 1) -> int:
    lines = (root / rel).read_text(encoding="utf-8").splitlines()
    return [number for number, line in enumerate(lines, 1) if text in line][nth - 1]


@pytest.fixture
def root(project, in_dir):
    return in_dir(project())


# --- 1. placeholders block a public status ---------------------------------------------------------------------


def test_a_template_prompt_in_a_public_proposal_is_an_error_at_its_line(capsys, root):
    edit(root, LAPTOPS, "Der Jugendtreff hilft bei Hausaufgaben.", "Wer sind wir, was machen wir?")
    code, diagnostics = validate(capsys, root)
    assert code == 1
    line = line_of(root, LAPTOPS, "Wer sind wir")
    assert (LAPTOPS, line, "", "placeholder", "error") in found(diagnostics)
    assert "Wer sind wir, was machen wir?" in diagnostics[0]["message"]


def test_showcase_new_markers_in_a_story_and_a_field_are_errors(capsys, root):
    edit(root, STORY, "Ein Tag, sechs Leute, viel Farbe.", "_Bitte ausfüllen: Worum ging es, was fehlte?_")
    edit(root, STORY, 'contribution: "Leihgerüst"', 'contribution: "Bitte ausfüllen"')
    code, diagnostics = validate(capsys, root)
    assert code == 1
    assert {(STORY, line_of(root, STORY, "Worum ging es"), "", "placeholder", "error"),
            (STORY, line_of(root, STORY, "contribution: \"Bitte"), "partners[1].contribution", "placeholder",
             "error")} <= found(diagnostics)


def test_placeholders_in_an_internal_proposal_are_allowed(capsys, root):
    text = (root / SECRET).read_text(encoding="utf-8")
    (root / SECRET).write_text(text + "\nWer sind wir, was machen wir?\n\n_Bitte ausfüllen: …_\n", encoding="utf-8")
    assert validate(capsys, root) == (0, [])


def test_the_example_person_and_example_addresses_of_a_published_contact_are_errors(capsys, root):
    edit(root, LAPTOPS, 'name: "Erika Muster"', 'name: "Leonie Beispiel"')
    edit(root, LAPTOPS, "public: false", "public: true")
    code, diagnostics = validate(capsys, root)
    assert code == 1
    assert {(LAPTOPS, line_of(root, LAPTOPS, "Leonie"), "contact.name", "placeholder-person", "error"),
            (LAPTOPS, line_of(root, LAPTOPS, "erika@"), "contact.email", "example-domain", "error")
            } <= found(diagnostics)


def test_example_addresses_in_a_page_are_errors_unless_the_network_is_example_data(capsys, root):
    page = "content/pages/ueber-uns.md"
    with (root / page).open("a", encoding="utf-8") as handle:
        handle.write("\nMehr unter <https://www.example.com/verein>.\n")
    code, diagnostics = validate(capsys, root)
    assert code == 1
    assert (page, line_of(root, page, "example.com"), "", "example-domain", "error") in found(diagnostics)
    edit(root, "site_config.yml", "network:\n", "network:\n  example: true\n")
    assert validate(capsys, root) == (0, [])


def test_a_private_contact_with_an_example_address_is_not_published_and_allowed(capsys, root):
    assert 'email: "erika@example.org"' in (root / LAPTOPS).read_text(encoding="utf-8")
    assert validate(capsys, root) == (0, [])


def test_every_prompt_of_the_guide_template_is_recognised_but_not_its_headings():
    guide = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    template = re.search(r"```markdown\n(.*?)```", guide, flags=re.S).group(1)
    body = template.split("---")[2]
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    headings = [line for line in lines if line.startswith("#")]
    assert headings and all(placeholder_in(line) is None for line in headings)
    prompts = [line for line in lines if not line.startswith("#")]
    assert prompts and all(placeholder_in(line) for line in prompts), prompts
    assert placeholder_in('name: "Leonie Beispiel"') == "Leonie Beispiel"


def test_the_sample_is_example_data_in_its_configuration():
    from generator.validate import load_config

    assert load_config(REPO / "site_config.yml").network.example is True


# --- 2. files that are never read ------------------------------------------------------------------------------


def test_files_that_are_never_read_are_errors(capsys, root):
    files = {
        "content/proposals/notizen.txt": "unexpected-file",
        "content/proposals/laptops.md.txt": "rename-file",
        "content/proposals/Laptops.MD": "rename-file",
        "content/organizations/verein.yaml": "rename-file",
        "content/notizen.md": "never-read-top",
        "content/daten.yml": "never-read-top",
        "content/proposal/neuer-vorschlag.md": "never-read-folder",
        "content/proposals/2026/neuer-vorschlag.md": "never-read-subfolder",
    }
    for rel in files:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("---\ntitle: x\n---\n", encoding="utf-8")
    for ignored in ("content/README.md", "content/proposals/README.md", "content/images/notiz.txt", "notizen.md"):
        (root / ignored).write_text("nicht gelesen", encoding="utf-8")
    code, diagnostics = validate(capsys, root)
    assert code == 1
    assert found(diagnostics) == {(rel, 1, "", code, "error") for rel, code in files.items()}
    messages = {d["path"]: d["message"] for d in diagnostics}
    assert "`laptops.md`" in messages["content/proposals/laptops.md.txt"]
    assert "`Laptops.md`" in messages["content/proposals/Laptops.MD"]
    assert "`verein.yml`" in messages["content/organizations/verein.yaml"]
    assert "Meinten Sie `content/proposals`?" in messages["content/proposal/neuer-vorschlag.md"]


# --- 3. duplicate list entries ---------------------------------------------------------------------------------


def test_duplicate_themes_needs_and_partners_are_errors(capsys, root):
    edit(root, LAPTOPS, "themes: [bildung, jugend]", "themes: [bildung, jugend, bildung]")
    edit(root, LAPTOPS, "  - kind: fachkompetenz", '  - kind: sachspende\n    description: "Fünf gebrauchte Laptops'
         ' mit Netzteil"\n  - kind: fachkompetenz')
    edit(root, STORY, "  - organization: stadt\n    kind: logistik",
         "  - organization: malerei-koch\n    kind: anpacken")
    code, diagnostics = validate(capsys, root)
    assert code == 1
    assert found(diagnostics) == {
        (LAPTOPS, line_of(root, LAPTOPS, "themes:"), "themes[2]", "duplicate-entry", "error"),
        (LAPTOPS, line_of(root, LAPTOPS, "description: \"Fünf") + 2, "needs[1]", "duplicate-need", "error"),
        (STORY, line_of(root, STORY, "- organization: malerei-koch", nth=2), "partners[1]", "duplicate-partner",
         "error"),
    }


def test_one_partner_with_two_kinds_of_contribution_is_fine(capsys, root):
    edit(root, STORY, "  - organization: stadt\n    kind: logistik",
         "  - organization: malerei-koch\n    kind: logistik")
    assert validate(capsys, root) == (0, [])


# --- 4. e-mail domain typos ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("domain", "meant"), [
    ("gmail.con", "gmail.com"), ("gmial.com", "gmail.com"), ("wbe.de", "web.de"), ("web.dr", "web.de"),
    ("gmx.ed", "gmx.de"), ("t-onlin.de", "t-online.de"), ("tonline.de", "t-online.de"), ("hotmial.com", "hotmail.com"),
])
def test_common_mail_domain_typos_are_recognised(domain, meant):
    assert domain_suggestion(domain) == meant


@pytest.mark.parametrize("domain", ["gmail.com", "web.de", "gmx.net", "gmx.at", "mail.de", "online.de", "weg.de",
                                    "jugendtreff-musterstadt.de", "example.org"])
def test_real_domains_are_not_typos(domain):
    assert domain_suggestion(domain) is None


def test_an_email_typo_is_a_warning_with_the_suggestion(capsys, root):
    edit(root, LAPTOPS, "erika@example.org", "erika@gmail.con")
    code, diagnostics = validate(capsys, root)
    assert code == 0
    assert found(diagnostics) == {(LAPTOPS, line_of(root, LAPTOPS, "gmail.con"), "contact.email", "email-typo",
                                   "warning")}
    assert "`erika@gmail.com`" in diagnostics[0]["message"]


# --- 5. and 6. images ------------------------------------------------------------------------------------------


def test_a_proposal_image_without_alt_text_is_an_error(capsys, root):
    edit(root, LAPTOPS, 'image_alt: "Jugendliche an einem Tisch"\n', "")
    code, diagnostics = validate(capsys, root)
    assert code == 1
    assert found(diagnostics) == {(LAPTOPS, line_of(root, LAPTOPS, "image:"), "image", "image-alt-missing",
                                   "error")}


def test_a_wrong_case_image_path_names_the_file_that_exists(capsys, root):
    edit(root, LAPTOPS, 'image: "laptops.png"', 'image: "Laptops.PNG"')
    code, diagnostics = validate(capsys, root)
    assert code == 1
    assert found(diagnostics) == {(LAPTOPS, line_of(root, LAPTOPS, "image:"), "image", "image-wrong-case", "error")}
    assert "`content/images/laptops.png`" in diagnostics[0]["message"]


def test_a_heic_photo_says_how_to_convert_it(capsys, root):
    (root / "content/images/foto.HEIC").write_bytes(b"\0" * 16)
    edit(root, LAPTOPS, 'image: "laptops.png"', 'image: "foto.HEIC"')
    code, diagnostics = validate(capsys, root)
    assert code == 1
    assert found(diagnostics) == {(LAPTOPS, line_of(root, LAPTOPS, "image:"), "image", "image-heic", "error")}
    assert "JPEG" in diagnostics[0]["message"]


# --- 7. money is configuration, not a word list (issue 13) ------------------------------------------------------


@pytest.mark.parametrize("kind", ["Geldspende", "money", "spende", "Geld Spende"])
def test_a_need_kind_that_is_not_configured_is_an_unknown_key_whatever_its_words(capsys, root, kind):
    """`Geldspende` is refused because site_config.yml does not define it, like any other word; a network that
    brokers money defines its money kinds there (`monetary: true`)."""
    edit(root, LAPTOPS, "  - kind: sachspende", f'  - kind: "{kind}"')
    code, diagnostics = validate(capsys, root)
    assert code == 1
    line = line_of(root, LAPTOPS, f'kind: "{kind}"')
    [(path, at, field, code_, severity)] = found(diagnostics)
    assert (path, at, field, severity) == (LAPTOPS, line, "needs[0].kind", "error")
    assert code_ in ("unknown-key", "invalid-key")


# --- 8. symlinks anywhere under content/ -----------------------------------------------------------------------


def test_symlinks_under_content_are_refused_even_inside_content(capsys, root):
    links = {
        "content/images/vorschlag.png": Path("../proposals/geheimer-antrag.md"),
        "content/images/bilder": Path("."),
        "content/proposals/kopie.md": Path("geheimer-antrag.md"),
        "content/pages/intern": Path("../proposals"),
    }
    for rel, target in links.items():
        os.symlink(target, root / rel)
    code, diagnostics = validate(capsys, root)
    assert code == 1
    assert found(diagnostics) == {(rel, 1, "", "symlink", "error") for rel in links}


# --- 9. contact e-mails are plain addresses --------------------------------------------------------------------


@pytest.mark.parametrize("address", [
    "a@b.de?bcc=c@d.de", "info@verein.de?subject=x", "a&b@verein.de", "a%0Abcc@verein.de", "a=b@verein.de",
    "a@verein.de\n", "a\nBcc: b@c.de", "a..b@verein.de", "<a@verein.de>", "a@verein",
])
def test_email_fields_refuse_anything_but_a_plain_address(address):
    with pytest.raises(ValidationError):
        TypeAdapter(m.Email).validate_python(address)


@pytest.mark.parametrize("address", ["erika@example.org", "erika.muster+lerncafe@t-online.de", "info@jugend-treff.de",
                                     "müller@verein.de", "o_k@sub.verein.de"])
def test_plain_addresses_stay_valid(address):
    assert TypeAdapter(m.Email).validate_python(address) == address


def test_an_email_with_header_parameters_is_an_error_at_its_line(capsys, root):
    edit(root, LAPTOPS, "erika@example.org", "erika@example.org?bcc=alle@example.org")
    code, diagnostics = validate(capsys, root)
    assert code == 1
    assert found(diagnostics) == {(LAPTOPS, line_of(root, LAPTOPS, "bcc"), "contact.email", "invalid-email", "error")}


# --- 10. a public repository -----------------------------------------------------------------------------------


def test_a_public_repository_refuses_internal_proposals_and_private_contacts(capsys, root):
    edit(root, "site_config.yml", "  language: de\n", "  language: de\n  repo_public: true\n")
    code, diagnostics = validate(capsys, root)
    assert code == 1
    assert found(diagnostics) == {
        (SECRET, line_of(root, SECRET, "status:"), "status", "repo-public-status", "error"),
        (SECRET, line_of(root, SECRET, "public:"), "contact.public", "repo-public-contact", "error"),
        (LAPTOPS, line_of(root, LAPTOPS, "public: false"), "contact.public", "repo-public-contact", "error"),
    }
    assert "jeder lesen" in diagnostics[0]["message"]
    edit(root, "site_config.yml", "network:\n", "network:\n  example: true\n")
    assert validate(capsys, root) == (0, [])


@pytest.mark.parametrize(("public", "linked"), [(False, None), (True, "https://github.com/netz/inhalte")])
def test_the_site_links_the_repository_only_when_it_is_public(root, tmp_path, public, linked):
    site = f'  repo_url: "https://github.com/netz/inhalte"\n  repo_public: {str(public).lower()}\n'
    edit(root, "site_config.yml", "  language: de\n", "  language: de\n" + site)
    edit(root, "content/pages/ueber-uns.md", "---\n", "---\nimprint: true\n")
    if public:  # a public repository holds only public entries
        (root / SECRET).unlink()
        edit(root, LAPTOPS, "public: false", "public: true")
        edit(root, "site_config.yml", "network:\n", "network:\n  example: true\n")
    checked = checked_project(root)
    assert checked.content is not None and checked.theme is not None, checked.diagnostics
    site = publish(checked.content, checked.theme.urls)
    config = mkdocs_config(site, checked.theme, tmp_path, tmp_path / "out")
    assert "https://github.com/netz/inhalte" not in str(config), "never in the frame of every page"
    # Only the imprint names the repository, and only a public one.
    assert [page.repo_url for page in site.pages] == [linked]
