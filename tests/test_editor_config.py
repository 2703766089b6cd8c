"""The web editor's generated configuration, its place in the built site, the pinned bundle, and the pull-request
preview (`showcase preview --changed`). The editor itself, in a browser, is tested in test_editor.py."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import editor
from generator import model as m
from generator.catalogue import catalogue
from generator.cms import cms_config
from generator.gate import _decoded
from generator.kinds import KINDS
from generator.schema import CMS_CONFIG
from generator.validate import load_config

from .conftest import REAL_NETWORKS, REPO

CONFIG = load_config(REPO / "site_config.yml")
TEXTS = catalogue("de")
GENERATED = cms_config(CONFIG, TEXTS)
COLLECTIONS = {c["name"]: c for c in GENERATED["collections"]}


def fields_of(collection: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["name"]: f for f in collection["fields"]}


def options(field: dict[str, Any]) -> dict[str, str]:
    return {option["value"]: option["label"] for option in field["options"]}


# --- the configuration follows the models and site_config.yml ---------------------------------------------------


def test_one_collection_per_content_kind_in_its_folder_with_every_model_field():
    assert set(COLLECTIONS) == {kind.attribute for kind in KINDS}
    for kind in KINDS:
        collection = COLLECTIONS[kind.attribute]
        assert collection["folder"] == kind.folder and collection["extension"] == kind.suffix[1:]
        assert collection["format"] == ("frontmatter" if kind.front_matter else "yml")
        names = set(fields_of(collection)) - {"body"}
        assert names == set(kind.model.model_fields), kind.name
        assert ("body" in fields_of(collection)) == kind.front_matter


def test_required_fields_are_those_the_model_requires():
    for kind in KINDS:
        fields = fields_of(COLLECTIONS[kind.attribute])
        for name, info in kind.model.model_fields.items():
            assert fields[name]["required"] == info.is_required(), f"{kind.name}.{name}"


def test_themes_districts_and_kinds_of_need_are_choices_with_the_networks_labels():
    proposal = fields_of(COLLECTIONS["proposals"])
    assert options(proposal["themes"]) == CONFIG.themes and proposal["themes"]["multiple"] is True
    assert options(proposal["district"]) == CONFIG.districts
    need_kind = fields_of({"fields": proposal["needs"]["fields"]})["kind"]
    assert options(need_kind) == CONFIG.need_labels


def test_statuses_are_choices_in_german_and_internal_ones_say_so():
    status = fields_of(COLLECTIONS["proposals"])["status"]
    labels = options(status)
    assert set(labels) == set(m.Proposal.model_fields["status"].annotation.__args__)
    assert labels["open"] == TEXTS.text("round.status_open")
    for value, label in labels.items():
        assert ("intern" in label) == (value not in m.PUBLIC_STATUSES), label
    assert status["default"] == "submitted", "a new proposal is not published before the matching group saw it"


def test_organisations_are_picked_from_the_list_not_typed():
    proposal = fields_of(COLLECTIONS["proposals"])
    assert proposal["organization"]["widget"] == "relation"
    assert proposal["organization"]["collection"] == "organizations"
    assert proposal["organization"]["value_field"] == "{{slug}}", "the id is the file name, as the validator reads it"
    partners = fields_of({"fields": fields_of(COLLECTIONS["cooperations"])["partners"]["fields"]})
    assert partners["organization"]["widget"] == "relation"
    assert fields_of(COLLECTIONS["cooperations"])["recipients"]["multiple"] is True


@pytest.mark.parametrize(("typed", "accepted"), [
    ("2026-03-15", True), ("2026-03", True), ("2026", True),
    ("15.03.2026", False), ("März 2026", False), ("2026-3-15", False),
])
def test_dates_are_checked_in_the_form(typed: str, accepted: bool):
    submitted = fields_of(COLLECTIONS["proposals"])["submitted"]
    pattern, message = submitted["pattern"]
    assert bool(re.search(pattern, typed)) == accepted
    assert "JJJJ-MM-TT" in message


def test_uploaded_images_land_where_the_validator_looks_for_them():
    image = fields_of(COLLECTIONS["proposals"])["image"]
    assert image["widget"] == "image"
    assert image["media_folder"] == "/content/images/proposals" and image["public_folder"] == "proposals"
    logo = fields_of(COLLECTIONS["organizations"])["logo"]
    assert logo["media_folder"] == "/content/images/logos"
    sample_logo = yaml.safe_load((REPO / "content/organizations/waermestube.yml").read_text(encoding="utf-8"))["logo"]
    assert sample_logo.startswith(logo["public_folder"] + "/")


def test_every_change_becomes_a_pull_request_against_the_configured_repository():
    assert GENERATED["publish_mode"] == "editorial_workflow"
    backend = GENERATED["backend"]
    assert (backend["name"], backend["repo"], backend["branch"]) == ("github", CONFIG.editor.repo, "main")
    assert backend["base_url"] == CONFIG.editor.base_url
    assert GENERATED["locale"] == "de" and GENERATED["omit_empty_optional_fields"] is True


def test_labels_follow_the_site_language():
    english = cms_config(CONFIG, catalogue("en"))
    assert english["locale"] == "en"
    assert english["collections"][0]["label"] != GENERATED["collections"][0]["label"]


# --- in the built site ------------------------------------------------------------------------------------------


def test_built_site_has_the_editor_with_the_committed_config(sample_site: Path):
    admin = sample_site / "admin"
    assert (admin / "config.yml").read_text(encoding="utf-8") == (REPO / CMS_CONFIG).read_text(encoding="utf-8")
    assert (admin / editor.DECAP.main).stat().st_size > 1_000_000
    assert not list(admin.glob("*.map")), "source maps are not published"


def test_admin_page_is_not_indexed_and_loads_nothing_from_elsewhere(sample_site: Path):
    page = (sample_site / "admin/index.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert re.findall(r'(?:src|href)="([^"]+)"', page) == ["config.yml", editor.DECAP.main]
    assert "/admin/" not in (sample_site / "sitemap.xml").read_text(encoding="utf-8")
    index = [_decoded(path) for path in (sample_site / "search").rglob("*") if path.is_file()
             and path.suffix not in (".js", ".css")]
    assert index and not any("admin/" in text for text in index), "the editor is not in the search index"


def test_a_network_without_editor_section_gets_no_admin(real_site: Path):
    assert load_config(REAL_NETWORKS / "site_config.yml").editor is None
    assert not (real_site / "admin").exists()


def test_without_the_fetched_bundle_the_build_warns_and_strict_fails(tmp_path: Path):
    env = {"SHOWCASE_CACHE": str(tmp_path / "empty-cache"), "PATH": str(Path(sys.executable).parent)}
    command = [sys.executable, "-m", "generator", "build", "--quiet", "--out", str(tmp_path / "site")]
    result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "showcase cms" in result.stdout + result.stderr
    assert (tmp_path / "site/index.html").is_file() and not (tmp_path / "site/admin").exists()
    strict = subprocess.run([*command, "--strict"], cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert strict.returncode == 1


def test_a_tampered_bundle_is_refused():
    with pytest.raises(editor.BundleError, match="Prüfsumme"):
        editor.verify(b"not the editor", editor.DECAP.integrity)


def test_a_cache_without_the_right_integrity_marker_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SHOWCASE_CACHE", str(tmp_path))
    folder = editor.DECAP.folder
    folder.mkdir(parents=True)
    (folder / editor.DECAP.main).write_text("alert(1)")
    (folder / ".integrity").write_text("sha512-somethingelse\n")
    assert editor.installed() is None


# --- the pull request's preview ---------------------------------------------------------------------------------

NEW_PROPOSAL = """---
title: "Werkzeug für das <b>Repair-Café</b>"
organization: waermestube
summary: "Wir suchen Werkzeug."
status: submitted
submitted: 2026-11-20
themes: [nachbarschaft]
needs:
  - kind: sachspende
    description: "Schraubendreher und eine Lötstation"
    hours: 6
contact:
  name: "Jana Beispiel"
  public: false
---
Unser Repair-Café öffnet jeden Samstag. <script>alert(1)</script>
"""

BROKEN = """---
title: "Kaputt"
organization: gibt-es-nicht
summary: "x"
status: offen
needs:
  - kind: sachspende
    description: "y"
---
"""


@pytest.fixture
def changed_project(tmp_path: Path) -> Path:
    root = tmp_path / "netz"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy2(REPO / "site_config.yml", root / "site_config.yml")
    (root / "content/proposals/repair-cafe.md").write_text(NEW_PROPOSAL, encoding="utf-8")
    (root / "content/proposals/kaputt.md").write_text(BROKEN, encoding="utf-8")
    (root / "content/proposals/tablet-sprechstunde-senioren.md").unlink()
    return root


def preview(root: Path, *changed: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", "preview", "--changed", *changed], cwd=root,
                          capture_output=True, text=True, timeout=300)


def test_preview_shows_each_changed_entry_as_the_form_names_it(changed_project: Path):
    result = preview(changed_project, "content/proposals/repair-cafe.md", "README.md")
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert text.startswith("## " + TEXTS.text("preview.title"))
    assert "### Vorschlag: Werkzeug für das &lt;b&gt;Repair-Café&lt;/b&gt;" in text
    assert TEXTS.text("preview.internal") in text, "a submitted proposal is shown, marked as internal"
    assert "| Status | eingereicht (intern, nicht auf der Website) |" in text
    assert "| Organisation | Wärmestube Beispielstadt e. V. |" in text
    assert "| Themen | Nachbarschaft |" in text
    assert "- Art: Sachspende; Beschreibung: Schraubendreher und eine Lötstation; Stunden: 6" in text
    assert "- Name: Jana Beispiel; Öffentlich zeigen: nein" in text
    assert "> Unser Repair-Café öffnet jeden Samstag. &lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert TEXTS.text("preview.ok") in text
    assert "README" not in text and "Kaputt" not in text, "only changed entries are shown"


def test_preview_lists_problems_with_line_and_field_in_plain_german(changed_project: Path):
    text = preview(changed_project, "content/proposals/kaputt.md").stdout
    assert "### Vorschlag: Kaputt" in text
    assert "❌ Fehler (Zeile 5, Feld `status`)" in text
    assert "`offen`" in text and "open" in text, "the validator's suggestion reaches the coordinator"
    assert "Feld `organization`" in text and "gibt-es-nicht" in text


def test_preview_names_deleted_entries(changed_project: Path):
    text = preview(changed_project, "content/proposals/tablet-sprechstunde-senioren.md").stdout
    assert "`content/proposals/tablet-sprechstunde-senioren.md` – gelöscht" in text


def test_preview_without_changed_entries_says_so(changed_project: Path):
    text = preview(changed_project, "generator/cli.py").stdout
    assert TEXTS.text("preview.nothing") in text
