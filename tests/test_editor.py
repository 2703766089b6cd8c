"""The web editor at /admin/ (Decap CMS), driven in Debian's chromium as a coordinator would use it.

The built sample site's /admin/ is served as it is, except that its config.yml is answered with the in-memory
`test-repo` backend instead of GitHub (Playwright routes that one request): the repository the editor sees is
the sample's own content/ folder, put into `window.repoFiles`. What the form saves is read back from the test
backend, written into a copy of the project and checked with `showcase validate` — the same check CI runs on the
pull request the editor would open. Screenshots for CONTRIBUTING.md: `pytest --update-screenshots`.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from playwright.sync_api import Page, expect

from generator.catalogue import catalogue
from generator.editor import installed
from generator.kinds import KINDS

from .conftest import REPO
from .test_browser import is_local

pytestmark = pytest.mark.browser

SCREENSHOTS = REPO / "docs/bilder"
ARTIFACTS = Path(__file__).resolve().parent / "_artifacts"
STRINGS = catalogue("de").strings
FIELDS = STRINGS["editor"]["fields"]


def repo_files(root: Path) -> dict[str, Any]:
    """content/ as the test backend's nested tree: folder → … → file name → {content, path}."""
    tree: dict[str, Any] = {}
    for path in sorted((root / "content").rglob("*")):
        if path.suffix not in (".md", ".yml") or not path.is_file():
            continue
        node = tree
        for part in path.relative_to(root).parts[:-1]:
            node = node.setdefault(part, {})
        node[path.name] = {"content": path.read_text(encoding="utf-8"), "path": path.relative_to(root).as_posix()}
    return tree


@pytest.fixture
def screenshot(request: pytest.FixtureRequest):
    """Save a screenshot to tests/_artifacts/, and with `--update-screenshots` to docs/bilder/ for the guide."""
    update = bool(request.config.getoption("--update-screenshots"))

    def take(target, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        target.screenshot(path=str(ARTIFACTS / f"editor-{name}.png"))
        if update:
            SCREENSHOTS.mkdir(exist_ok=True)
            shutil.copyfile(ARTIFACTS / f"editor-{name}.png", SCREENSHOTS / f"editor-{name}.png")

    return take


@pytest.fixture
def editor(chromium, site_url: str, sample_site: Path) -> Page:
    assert installed() is not None, "run `showcase cms` (scripts/setup.sh does)"
    config = yaml.safe_load((sample_site / "admin/config.yml").read_text(encoding="utf-8"))
    config["backend"] = {"name": "test-repo"}
    context = chromium.new_context(viewport={"width": 1366, "height": 900}, locale="de-DE")
    context.route("**/admin/config.yml", lambda route: route.fulfill(
        status=200, content_type="text/yaml", body=yaml.safe_dump(config, allow_unicode=True)))
    # The test backend reads a file through its nested path, but lists a collection's folder under the folder's
    # whole path as one key: both names must lead to the same object.
    aliases = "".join(f"window.repoFiles[{json.dumps(kind.folder)}] = "
                      f"window.repoFiles.content.{kind.folder.split('/')[1]};" for kind in KINDS)
    context.add_init_script(f"window.repoFiles = {json.dumps(repo_files(REPO))};{aliases}")
    page = context.new_page()
    page.foreign = []  # type: ignore[attr-defined]
    page.errors = []  # type: ignore[attr-defined]
    page.on("request", lambda request: None if is_local(request.url) else page.foreign.append(request.url))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(site_url + "admin/")
    login = page.get_by_role("button", name="Login")
    refused = page.get_by_text("Config Errors")
    login.or_(refused).first.wait_for(timeout=30_000)
    if refused.count():  # Decap checked the generated config against its own schema and refused it
        pytest.fail(page.inner_text("body"), pytrace=False)
    login.click()
    expect(page.get_by_text(STRINGS["editor"]["collections"]["proposal"]).first).to_be_visible(timeout=30_000)
    yield page
    context.close()


def test_the_editor_loads_our_generated_config_and_speaks_german(editor: Page):
    """Decap checks its configuration against its own schema when it starts, and shows „Config Errors“ instead of
    the editor when something is wrong: reaching the collections means the generated config passed that check."""
    names = STRINGS["editor"]["collections"]
    for kind in KINDS:
        expect(editor.get_by_role("link", name=names[kind.name], exact=True)).to_be_visible()
    expect(editor.get_by_text("Config Error", exact=False)).to_have_count(0)
    expect(editor.get_by_text("Inhaltstypen")).to_be_visible()  # Decap's own German interface
    editor.get_by_role("link", name=names["proposal"], exact=True).click()
    expect(editor.get_by_text(STRINGS["editor"]["collections"]["proposal_help"])).to_be_visible()
    assert editor.foreign == [] and editor.errors == []


def field(scope, label: str):
    """A form field by its label; optional fields add „(optional)“ to it."""
    return scope.get_by_label(re.compile(rf"^{re.escape(label)}( \(optional\))?$", re.IGNORECASE))


def choose(page: Page, label: str, option: str, scope=None) -> None:
    """Pick an option of a select or relation widget (react-select) by the label of its field."""
    combobox = field(scope or page, label)
    combobox.click()
    combobox.fill(option)
    page.get_by_role("option", name=option, exact=True).first.click()


def saved_files(page: Page) -> dict[str, str]:
    """What the editorial workflow saved: path → file text, from the test backend's unpublished entries."""
    # An array used as a map (keys `collection/slug`): read its values in the page.
    pairs = page.evaluate("Object.values(window.repoFilesUnpublished).flatMap("
                          "entry => entry.diffs.map(diff => [diff.path, diff.content]))")
    return {path: content for path, content in pairs if isinstance(content, str)}


def save(page: Page) -> dict[str, str]:
    """Press „Speichern“ and wait until the editorial workflow holds the change."""
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_function("Object.keys(window.repoFilesUnpublished).length > 0")
    return saved_files(page)


def front_matter(text: str) -> dict[str, Any]:
    return yaml.safe_load(text.split("---\n", 2)[1])


def project_with(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "project"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy2(REPO / "site_config.yml", root / "site_config.yml")
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def validate(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", "validate", "--format", "human"], cwd=root,
                          capture_output=True, text=True, timeout=300)


def test_a_new_proposal_from_the_form_passes_validation_unchanged(editor: Page, tmp_path: Path, screenshot):
    screenshot(editor, "uebersicht")
    editor.goto(editor.url.split("#")[0] + "#/collections/proposals/new")
    field(editor, FIELDS["title"]).fill("Werkzeug für das Repair-Café")
    choose(editor, FIELDS["organization"], "Wärmestube Beispielstadt e. V.")
    field(editor, FIELDS["summary"]).fill("Wir suchen Werkzeug und zwei Nachmittage Hilfe.")
    field(editor, FIELDS["submitted"]).fill("2026-11-20")
    choose(editor, FIELDS["themes"], "Nachbarschaft")
    editor.get_by_role("button", name=f"{STRINGS['editor']['singular']['needs']} hinzufügen", exact=False).click()
    needs = editor.locator("[aria-label='list field']", has=editor.locator("label", has_text=FIELDS["needs"]))
    choose(editor, FIELDS["kind"], "Sachspende", scope=needs)
    field(needs, FIELDS["description"]).fill("Ein Satz Schraubendreher und eine Lötstation")
    field(needs, FIELDS["hours"]).fill("6")
    screenshot(editor, "neuer-vorschlag")
    screenshot(needs, "bedarfe")
    files = save(editor)
    editor.goto(editor.url.split("#")[0] + "#/workflow")
    expect(editor.get_by_text("Werkzeug für das Repair-Café")).to_be_visible()
    screenshot(editor, "arbeitsablauf")

    assert list(files) == ["content/proposals/werkzeug-fur-das-repair-cafe.md"]
    data = front_matter(files["content/proposals/werkzeug-fur-das-repair-cafe.md"])
    assert data["status"] == "submitted", "a new proposal starts as submitted (internal), never public"
    assert data["organization"] == "waermestube" and data["themes"] == ["nachbarschaft"]
    assert data["needs"] == [{"kind": "sachspende", "description": "Ein Satz Schraubendreher und eine Lötstation",
                              "hours": 6}]
    result = validate(project_with(tmp_path, files))
    assert result.returncode == 0, result.stdout + result.stderr
    assert editor.foreign == [] and editor.errors == []


def test_a_date_as_word_writes_it_is_refused_in_the_form_with_a_german_hint(editor: Page, screenshot):
    editor.goto(editor.url.split("#")[0] + "#/collections/proposals/new")
    field(editor, FIELDS["title"]).fill("Ein Vorschlag mit falschem Datum")
    choose(editor, FIELDS["organization"], "Wärmestube Beispielstadt e. V.")
    field(editor, FIELDS["summary"]).fill("Kurz.")
    field(editor, FIELDS["submitted"]).fill("15.03.2026")
    editor.get_by_role("button", name=f"{STRINGS['editor']['singular']['needs']} hinzufügen", exact=False).click()
    editor.get_by_role("button", name="Speichern").click()
    expect(editor.get_by_text(STRINGS["editor"]["date_pattern"])).to_be_visible()
    field(editor, FIELDS["submitted"]).scroll_into_view_if_needed()
    editor.mouse.wheel(0, -250)
    screenshot(editor, "fehler-datum")
    assert editor.evaluate("Object.keys(window.repoFilesUnpublished).length") == 0, "nothing saved"


def test_editing_status_and_needs_of_a_proposal_passes_validation(editor: Page, tmp_path: Path):
    rel = "content/proposals/gartengeraete-gemeinschaftsgarten.md"
    before = front_matter((REPO / rel).read_text(encoding="utf-8"))
    assert before["status"] == "open"
    editor.goto(editor.url.split("#")[0] + "#/collections/proposals/entries/gartengeraete-gemeinschaftsgarten")
    choose(editor, FIELDS["status"], STRINGS["round"]["status_matched"])
    field(editor, FIELDS["matched"]).fill("2026-11-21")
    needs = editor.locator("[aria-label='list field']", has=editor.locator("label", has_text=FIELDS["needs"]))
    first = field(needs, FIELDS["description"]).first
    first.fill("Zehn Spaten und fünf Schubkarren")
    files = save(editor)

    after = front_matter(files[rel])
    assert after["status"] == "matched" and str(after["matched"]) == "2026-11-21"
    assert after["needs"][0]["description"] == "Zehn Spaten und fünf Schubkarren"
    unchanged = {key: value for key, value in before.items() if key not in ("status", "matched", "needs")}
    assert {key: after.get(key) for key in unchanged} == unchanged, "fields the form did not touch stay as they were"
    assert [{k: v for k, v in need.items() if k != "description"} for need in after["needs"]] == \
        [{k: v for k, v in need.items() if k != "description"} for need in before["needs"]]
    result = validate(project_with(tmp_path, files))
    assert result.returncode == 0, result.stdout + result.stderr


def test_estimates_survive_an_edit_of_another_field(editor: Page, tmp_path: Path):
    """The form writes exact numbers only; an estimate already in the file must not be lost or turned into 0."""
    rel = "content/cooperations/seife-fuer-drei-einrichtungen.md"
    before = front_matter((REPO / rel).read_text(encoding="utf-8"))
    editor.goto(editor.url.split("#")[0] + "#/collections/cooperations/entries/seife-fuer-drei-einrichtungen")
    field(editor, FIELDS["title"]).first.fill(before["title"] + " (ergänzt)")
    files = save(editor)

    after = front_matter(files[rel])
    assert after["partners"] == before["partners"]
    assert {k: v for k, v in after.items() if k != "title"} == {k: v for k, v in before.items() if k != "title"}
    result = validate(project_with(tmp_path, files))
    assert result.returncode == 0, result.stdout + result.stderr
