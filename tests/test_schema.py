"""`showcase schema`: JSON Schemas and the field reference come from the models and never drift from them."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import subprocess
import sys
import typing
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel

from generator.cli import main
from generator.load import load_markdown_document, load_yaml_document, split_front_matter
from generator.schema import CMS_CONFIG, SCHEMA_KINDS, generated_files
from generator.validate import ConfigError, load_config, validate_schema

from .conftest import FIXTURES, REPO

BIN = Path(sys.executable).parent


# --- the committed files are what `showcase schema` generates --------------------------------------------------


def test_committed_schemas_field_reference_and_editor_config_are_current():
    generated = generated_files(REPO / "site_config.yml")
    assert CMS_CONFIG in generated
    for rel, text in generated.items():
        path = REPO / rel
        assert path.is_file(), f"{rel} is missing: run `showcase schema`"
        assert path.read_text(encoding="utf-8") == text, f"{rel} is stale: run `showcase schema` and commit"
    assert sorted(p.name for p in (REPO / "schemas").iterdir()) == sorted(
        [k.filename for k in SCHEMA_KINDS] + [Path(CMS_CONFIG).name])


def test_schema_writes_the_files_and_check_reports_stale_ones(capsys, tmp_path):
    config = str(tmp_path / "site_config.yml")
    assert main(["schema", "--config", config, "--check"]) == 1
    assert not (tmp_path / "schemas").exists()
    assert main(["schema", "--config", config]) == 0
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert written == sorted(generated_files())
    capsys.readouterr()
    assert main(["schema", "--config", config, "--check"]) == 0
    assert capsys.readouterr().out == ""

    stale = tmp_path / "schemas/proposal.schema.json"
    stale.write_text("{}\n")
    assert main(["schema", "--config", config, "--check"]) == 1
    assert "schemas/proposal.schema.json: veraltet – bitte `showcase schema` ausführen" in capsys.readouterr().out
    assert stale.read_text() == "{}\n"
    assert main(["schema", "--config", config]) == 0
    assert capsys.readouterr().out.splitlines() == [f"{stale}: neu erzeugt"]
    assert main(["schema", "--config", config, "--check"]) == 0


# --- check-jsonschema and the validator agree ------------------------------------------------------------------

PROPOSAL = {
    "title": "Laptops", "organization": "jugendtreff", "summary": "Fünf Laptops.", "status": "open",
    "submitted": dt.date(2026, 1, 10), "reviewed": dt.date(2026, 2, 1),
    "needs": [{"kind": "sachspende", "description": "Fünf Laptops", "hours": 2}],
    "contact": {"name": "Erika", "email": "erika@example.org"},
    "beneficiaries": {"description": "Jugendliche", "count": 60},
}
COOPERATION = {
    "title": "Anstrich", "organization": "jugendtreff",
    "partners": [{"organization": "malerei-koch", "kind": "anpacken", "contribution": "Teamtag"}],
    "started": dt.date(2025, 5, 10), "completed": dt.date(2025, 5, 10),
    "quote": {"text": "Schön", "author": "Eine Besucherin"}, "images": ["a.png", {"src": "b.png", "alt": "B"}],
}
ORGANIZATION = {"name": "Jugendtreff", "kind": "nonprofit", "website": "https://example.org"}
PAGE = {"title": "Über uns", "nav": True}
SITE_CONFIG = yaml.safe_load((FIXTURES / "minimal/site_config.yml").read_text(encoding="utf-8"))


def changed(base: dict, path: str, value=...) -> dict:
    """A copy of `base` with the field at dotted `path` (list indexes as numbers) set, or removed with `...`."""
    data = copy.deepcopy(base)
    *parents, last = [int(p) if p.isdigit() else p for p in path.split(".")]
    target = data
    for part in parents:
        target = target[part]
    if value is ...:
        del target[last]
    else:
        target[last] = value
    return data


# (kind, name, data, diagnostic code the validator must report) — all rejected for schema reasons.
INVALID = [
    ("proposal", "unknown-field", changed(PROPOSAL, "titel", "Laptops"), "unknown-field"),
    ("proposal", "nested-unknown-field", changed(PROPOSAL, "needs.0.stunden", 3), "unknown-field"),
    ("proposal", "wrong-enum", changed(PROPOSAL, "status", "offen"), "invalid-value"),
    ("proposal", "missing-required", changed(PROPOSAL, "needs"), "missing-field"),
    ("proposal", "missing-nested", changed(PROPOSAL, "needs.0.description"), "missing-field"),
    ("proposal", "empty-list", changed(PROPOSAL, "needs", []), "empty"),
    ("proposal", "empty-text", changed(PROPOSAL, "summary", ""), "empty"),
    ("proposal", "too-long", changed(PROPOSAL, "title", "x" * 121), "too-long"),
    ("proposal", "bad-email", changed(PROPOSAL, "contact.email", "keine-adresse"), "invalid-email"),
    ("proposal", "negative", changed(PROPOSAL, "needs.0.hours", -1), "out-of-range"),
    ("proposal", "wrong-type", changed(PROPOSAL, "beneficiaries.count", "viele"), "wrong-type"),
    ("proposal", "bad-key", changed(PROPOSAL, "themes", ["Sport und Spiel"]), "invalid-key"),
    ("proposal", "bad-date", changed(PROPOSAL, "submitted", "10.01.2026"), "invalid-date"),
    ("proposal", "bad-phone", changed(PROPOSAL, "contact.phone", "ruf mich an"), "invalid-phone"),
    ("cooperation", "missing-partners", changed(COOPERATION, "partners"), "missing-field"),
    ("cooperation", "partner-without-org", changed(COOPERATION, "partners.0.organization"), "contributor-missing"),
    ("cooperation", "image-without-alt", changed(COOPERATION, "images.1.alt"), "missing-field"),
    ("cooperation", "image-wrong-type", changed(COOPERATION, "images.0", 5), "wrong-type"),
    ("cooperation", "negative-people", changed(COOPERATION, "people_reached", -5), "out-of-range"),
    ("cooperation", "quote-extra", changed(COOPERATION, "quote.quelle", "x"), "unknown-field"),
    ("cooperation", "date-as-list", changed(COOPERATION, "completed", ["2025-05-10"]), "invalid-date"),
    ("organization", "wrong-kind", changed(ORGANIZATION, "kind", "verein"), "invalid-value"),
    ("organization", "script-url", changed(ORGANIZATION, "website", "javascript:alert(1)"), "invalid-url"),
    ("organization", "extra", changed(ORGANIZATION, "adresse", "Hauptstraße 1"), "unknown-field"),
    ("organization", "empty-name", changed(ORGANIZATION, "name", ""), "empty"),
    ("page", "missing-title", changed(PAGE, "title"), "missing-field"),
    ("page", "nav-not-bool", changed(PAGE, "nav", "vielleicht"), "wrong-type"),
    ("page", "extra", changed(PAGE, "menu", True), "unknown-field"),
    ("site_config", "wrong-language", changed(SITE_CONFIG, "site.language", "fr"), "invalid-value"),
    ("site_config", "per-page-zero", changed(SITE_CONFIG, "site.per_page", 0), "out-of-range"),
    ("site_config", "per-page-large", changed(SITE_CONFIG, "site.per_page", 500), "too-large"),
    ("site_config", "bad-theme-key", changed(SITE_CONFIG, "themes.Sport und Spiel", "Sport"), "invalid-key"),
    ("site_config", "missing-value", changed(SITE_CONFIG, "value"), "missing-field"),
    ("site_config", "bad-contact-email", changed(SITE_CONFIG, "network.contact.email", "x"), "invalid-email"),
    ("site_config", "unknown-section", changed(SITE_CONFIG, "farben", {"a": "b"}), "unknown-field"),
]


def sample_front_matters(kind) -> list[tuple[str, str]]:
    """(name, YAML text) of every sample file of a kind: the sample network and the minimal fixture."""
    found = []
    for root in (REPO, FIXTURES / "minimal"):
        for path in sorted(root.glob(kind.files)):
            text = path.read_text(encoding="utf-8")
            if kind.front_matter:
                text = split_front_matter(text)[0]
            found.append((f"{root.name}-{path.stem}", text))
    return found


def validator_codes(kind, text: str, tmp_path: Path) -> set[str]:
    """Diagnostic codes our validator reports for one file of `kind` (schema stage)."""
    if kind.name == "site_config":
        path = tmp_path / "site_config.yml"
        path.write_text(text, encoding="utf-8")
        try:
            load_config(path)
        except ConfigError as error:
            return {d.code for d in error.diagnostics}
        return set()
    path = tmp_path / ("entry.md" if kind.front_matter else "entry.yml")
    if kind.front_matter:
        path.write_text(f"---\n{text}---\nText.\n", encoding="utf-8")
        document, problems = load_markdown_document(path, path.name, "de")
    else:
        path.write_text(text, encoding="utf-8")
        document, problems = load_yaml_document(path, path.name, "de")
    if document.data is None:
        return {d.code for d in problems}
    _, diagnostics = validate_schema(document, kind.model, "de")
    return {d.code for d in problems + diagnostics}


def test_check_jsonschema_accepts_the_samples_and_rejects_what_the_validator_rejects(tmp_path):
    kinds = {kind.name: kind for kind in SCHEMA_KINDS}
    expected_failures: dict[str, set[str]] = {name: set() for name in kinds}
    instances: dict[str, list[Path]] = {name: [] for name in kinds}
    scratch = tmp_path / "scratch"
    scratch.mkdir()

    for name, kind in kinds.items():
        samples = sample_front_matters(kind)
        assert samples, f"no sample files for {name}"
        for sample, text in samples:
            assert validator_codes(kind, text, scratch) == set(), f"sample {sample} should be valid"
            path = tmp_path / name / f"valid-{sample}.yml"
            path.parent.mkdir(exist_ok=True)
            path.write_text(text, encoding="utf-8")
            instances[name].append(path)

    for name, case, data, code in INVALID:
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        found = validator_codes(kinds[name], text, scratch)
        assert code in found, f"{name}/{case}: the validator reported {found}, expected {code}"
        path = tmp_path / name / f"invalid-{case}.yml"
        path.write_text(text, encoding="utf-8")
        instances[name].append(path)
        expected_failures[name].add(str(path))

    # One check-jsonschema run per schema, all at once (the default ECMAScript regexes, as editors use).
    runs = {
        name: subprocess.Popen(
            [str(BIN / "check-jsonschema"), "--output-format", "json", "--schemafile",
             str(REPO / "schemas" / kinds[name].filename), *map(str, paths)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for name, paths in instances.items()
    }
    for name, process in runs.items():
        out, err = process.communicate(timeout=120)
        report = json.loads(out)
        assert report.get("parse_errors", []) == [], err
        failed = {error["filename"] for error in report["errors"]}
        assert failed == expected_failures[name], (
            f"{name}: accepted although invalid: {sorted(expected_failures[name] - failed)}; "
            f"rejected although valid: {sorted(failed - expected_failures[name])}")


def test_schemas_are_valid_json_schema_documents():
    result = subprocess.run([str(BIN / "check-jsonschema"), "--check-metaschema",
                             *sorted(map(str, (REPO / "schemas").glob("*.json")))],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


# --- VS Code ---------------------------------------------------------------------------------------------------


def test_vscode_maps_every_plain_yaml_schema_to_its_files():
    settings = json.loads((REPO / ".vscode/settings.json").read_text(encoding="utf-8"))
    mapping = settings["yaml.schemas"]
    expected = {f"./schemas/{kind.filename}": [kind.files] for kind in SCHEMA_KINDS if not kind.front_matter}
    assert mapping == expected
    for schema, globs in mapping.items():
        assert (REPO / schema).is_file()
        for pattern in globs:
            assert list(REPO.glob(pattern)), f"{pattern} matches no file"


# --- the field reference ---------------------------------------------------------------------------------------


def model_fields(model: type[BaseModel], prefix: str = "") -> list[str]:
    """Every field path of a model, found by walking the pydantic annotations (independent of schema.py)."""
    paths = []
    for name, info in model.model_fields.items():
        path = prefix + name
        paths.append(path)
        for inner, in_list in _inner_models(info.annotation):
            paths += model_fields(inner, path + ("[]." if in_list else "."))
    return paths


def _inner_models(annotation, in_list: bool = False):
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation, in_list
        return
    origin = typing.get_origin(annotation)
    for arg in typing.get_args(annotation):
        if origin is dict:
            continue
        yield from _inner_models(arg, in_list or origin is list)


@pytest.mark.parametrize("kind", SCHEMA_KINDS, ids=lambda kind: kind.name)
def test_field_reference_describes_every_field_of_the_model(kind):
    reference = (REPO / "docs/felder.md").read_text(encoding="utf-8")
    section = reference.split(f"`{kind.files}`\n", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        match = re.fullmatch(r"\| `([^`]+)` \| (ja|nein) \| (.+?) \| (.*) \|", line)
        if match:
            rows[match.group(1)] = match.groups()[1:]
    assert list(rows) == model_fields(kind.model)
    for path, (_, kind_text, description) in rows.items():
        assert kind_text.strip() and description.strip(), f"{path} has no description"
    for name, info in kind.model.model_fields.items():
        assert rows[name][0] == ("ja" if info.is_required() else "nein"), name


def test_field_reference_states_required_fields_and_limits():
    reference = (REPO / "docs/felder.md").read_text(encoding="utf-8")
    assert "| `status` | ja | einer der Werte `submitted`, `under_review`, `open`, `matched`, `completed`, " \
           "`archived`, `declined`, `withdrawn` |" in reference
    assert "| `needs` | ja | Liste (mindestens 1 Eintrag); je Eintrag eine Gruppe von Feldern" in reference
    assert ("| `needs[].hours` | nein | Zahl (mindestens 0, höchstens 1000000) oder Gruppe von Feldern: `approx`, "
            "`min`, `max` | Stunden. Genau (`600`), ungefähr (`{approx: 600}`) oder als Spanne") in reference
    assert "| `started` | nein | Datum (JJJJ-MM-TT), Monat (JJJJ-MM) oder Jahr (JJJJ) |" in reference
    assert "| `contact.public` | nein | `true` oder `false`; Standard: `false` |" in reference
    assert "| `site.per_page` | nein | ganze Zahl (mindestens 1, höchstens 100); Standard: `12` |" in reference
