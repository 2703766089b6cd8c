"""`showcase schema`: JSON Schemas and the editors' field reference, both generated from the pydantic models.

The models in model.py are the single source of truth. From them this module writes
- one JSON Schema per kind of file (`schemas/*.schema.json`): the front matter of proposals, cooperations
  and pages, organisations and site_config.yml — for editors' tools (VS Code's YAML extension) and
  check-jsonschema;
- the field reference for editors in German (`docs/felder.md`), built from the same schemas, so the two never
  disagree with each other or with the validator.

Both are committed; `showcase schema --check` (and a test) fails when they are stale.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema

from . import model as m
from .catalogue import catalogue
from .diagnostics import display_path
from .kinds import KINDS
from .pipeline import ExitCode

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
GENERATED_NOTE = "Erzeugt mit `showcase schema` aus generator/model.py – bitte nicht von Hand ändern."


@dataclass(frozen=True)
class SchemaKind:
    """One kind of file the editors write, and the model that describes it."""

    name: str
    model: type[BaseModel]
    files: str
    """Glob of the files, relative to the project root."""
    title: str
    front_matter: bool

    @property
    def filename(self) -> str:
        return f"{self.name}.schema.json"


SCHEMA_KINDS = (
    *(SchemaKind(kind.name, kind.model, kind.files, kind.title, kind.front_matter) for kind in KINDS),
    SchemaKind("site_config", m.SiteConfig, "site_config.yml", "Konfiguration des Netzwerks", False),
)

# Fields whose model gives no description get one from the kind of value they hold.
_FALLBACK_DESCRIPTIONS = {m.PHONE_PATTERN: "Telefonnummer, in Anführungszeichen."}


# --- JSON Schema --------------------------------------------------------------------------------------------


class _Generator(GenerateJsonSchema):
    # pydantic would title every field after its Python name ("Value Eur"); editors should see the German
    # description instead.
    def field_title_should_be_set(self, schema: Any) -> bool:
        return False


def json_schema(kind: SchemaKind) -> dict[str, Any]:
    """The JSON Schema of one kind of file, generated from its model."""
    generated = kind.model.model_json_schema(schema_generator=_Generator)
    defs = generated.get("$defs", {})
    _walk(generated, defs)
    for definition in defs.values():
        _walk(definition, defs)
    what = f"Kopfbereich (Front Matter) von {kind.files}" if kind.front_matter else kind.files
    head = {
        "$schema": JSON_SCHEMA_DIALECT,
        "$comment": GENERATED_NOTE,
        "title": f"{kind.title} – {what}",
    }
    generated.pop("title", None)
    return head | generated


def _walk(node: Any, defs: dict[str, Any]) -> None:
    """Make the generated schema friendlier and portable, in place.

    - every property gets a description (lifted from an `anyOf` branch or a referenced model), so editors'
      tools show it on hover;
    - mappings with key patterns refuse other keys, as the model does;
    - patterns are written so that ECMAScript regexes in Unicode mode accept them (`\\"` → `"`), as VS Code
      and check-jsonschema compile them that way; the meaning does not change.
    """
    if isinstance(node, list):
        for item in node:
            _walk(item, defs)
        return
    if not isinstance(node, dict):
        return
    if isinstance(node.get("pattern"), str):
        node["pattern"] = _portable_pattern(node["pattern"])
    if isinstance(node.get("patternProperties"), dict):
        # pydantic describes `dict[Key, …]` with patternProperties alone, which lets any other key through;
        # the model refuses keys that do not match, so must the schema.
        node["patternProperties"] = {_portable_pattern(k): v for k, v in node["patternProperties"].items()}
        node.setdefault("additionalProperties", False)
    for name, value in node.items():
        if name == "properties" and isinstance(value, dict):
            for prop in value.values():
                _lift_description(prop, defs)
        _walk(value, defs)


def _portable_pattern(pattern: str) -> str:
    out, index = [], 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern):
            following = pattern[index + 1]
            out.append(following if following in "\"'`" else char + following)
            index += 2
            continue
        out.append(char)
        index += 1
    return "".join(out)


def _lift_description(prop: dict[str, Any], defs: dict[str, Any]) -> None:
    if "description" in prop:
        return
    # The nearest description first: an optional amount's own (on its `oneOf`), not that of a branch inside it.
    near = [branch for key in ("anyOf", "oneOf") for branch in prop.get(key, ()) if branch.get("type") != "null"]
    for branch in [*near, *_branches(prop)]:
        target = _resolve(branch, defs)
        if target.get("description"):
            prop["description"] = target["description"]
            return
    for branch in _branches(prop):
        pattern = _resolve(branch, defs).get("pattern")
        if pattern in _FALLBACK_DESCRIPTIONS:
            prop["description"] = _FALLBACK_DESCRIPTIONS[pattern]
            return


def _branches(node: dict[str, Any]) -> list[dict[str, Any]]:
    """The alternatives a value may take, without `null`."""
    for key in ("anyOf", "oneOf"):
        if key in node:
            return [leaf for branch in node[key] if branch.get("type") != "null" for leaf in _branches(branch)]
    return [node]


def _resolve(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        return defs[ref.removeprefix("#/$defs/")]
    return node


def render_json(schema: dict[str, Any]) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


# --- field reference ----------------------------------------------------------------------------------------

_PATTERN_NAMES = {
    m.KEY_PATTERN: "Schlüssel (a–z, 0–9, `-`, `_`)",
    m.EMAIL_PATTERN: "E-Mail-Adresse",
    m.URL_PATTERN: "Webadresse (`https://…`)",
    m.PHONE_PATTERN: "Telefonnummer",
}
_PATTERN_NAMES = {_portable_pattern(pattern): name for pattern, name in _PATTERN_NAMES.items()}

_INTRO = """\
# Feldreferenz für Redakteurinnen und Redakteure

> {note}
> Anleitung für Einsteigerinnen und Einsteiger: [CONTRIBUTING.md](../CONTRIBUTING.md).

Hier steht jedes Feld, das in den Inhaltsdateien erlaubt ist. Andere Felder meldet `showcase validate` als
Fehler (oft mit einem Vorschlag, z. B. „Meinten Sie `title`?“).

So liest man die Tabellen:

- **Feld**: der Name, genau so zu schreiben. `needs[].kind` bedeutet: das Feld `kind` in jedem Eintrag der
  Liste `needs`; `contact.email` bedeutet: das Feld `email` innerhalb von `contact` (eingerückt).
- **Pflicht**: „ja“ heißt, das Feld muss angegeben werden – bei eingerückten Feldern nur dann, wenn es das
  übergeordnete Feld gibt.
- **Art**: welche Werte erlaubt sind. Texte mit Doppelpunkt, `#` oder am Anfang mit Sonderzeichen bitte in
  Anführungszeichen setzen; Daten immer als JJJJ-MM-TT.
- **Schlüssel** (Themen, Stadtteile, Arten von Bedarf) müssen in `site_config.yml` definiert sein.
"""


def field_reference() -> str:
    """The German field reference for editors, generated from the JSON Schemas (and so from the models)."""
    parts = [_INTRO.format(note=GENERATED_NOTE)]
    for kind in SCHEMA_KINDS:
        schema = json_schema(kind)
        defs = schema.get("$defs", {})
        parts.append(f"\n## {kind.title}: `{kind.files}`\n\n")
        if schema.get("description"):
            parts.append(f"{schema['description']}\n\n")
        if kind.front_matter:
            parts.append("Die Felder stehen im Kopfbereich zwischen zwei Zeilen `---` am Anfang der Datei; "
                         "darunter folgt der Text in Markdown.\n\n")
        parts.append(f"JSON Schema: [`schemas/{kind.filename}`](../schemas/{kind.filename})\n\n")
        parts.append("| Feld | Pflicht | Art | Bedeutung |\n| --- | --- | --- | --- |\n")
        for path, required, node in _rows(schema, defs, ""):
            description = node.get("description", "")
            parts.append(f"| `{path}` | {'ja' if required else 'nein'} | {_cell(_describe(node, defs))} "
                         f"| {_cell(description)} |\n")
    return "".join(parts)


def _rows(schema: dict[str, Any], defs: dict[str, Any], prefix: str):
    """(field path, required, schema node) for every field, nested fields right after their parent."""
    schema = _resolve(schema, defs)
    required = set(schema.get("required", []))
    for name, node in schema.get("properties", {}).items():
        path = prefix + name
        yield path, name in required, node
        yield from _nested(node, defs, path)


def _nested(node: dict[str, Any], defs: dict[str, Any], path: str):
    for branch in _branches(node):
        target = _resolve(branch, defs)
        if "properties" in target:
            yield from _rows(target, defs, path + ".")
        elif target.get("type") == "array" and isinstance(target.get("items"), dict):
            for item in _branches(target["items"]):
                item_target = _resolve(item, defs)
                if "properties" in item_target:
                    yield from _rows(item_target, defs, path + "[].")


def _describe(node: dict[str, Any], defs: dict[str, Any]) -> str:
    """What values a field takes, in German."""
    kinds = [_describe_one(_resolve(branch, defs), defs) for branch in _branches(node)]
    text = " oder ".join(kinds)
    default = node.get("default")
    if default is not None and default != [] and default != {}:
        shown = json.dumps(default, ensure_ascii=False) if not isinstance(default, str) else default
        text += f"; Standard: `{shown}`"
    return text


def _describe_one(node: dict[str, Any], defs: dict[str, Any]) -> str:
    if "enum" in node:
        return "einer der Werte " + ", ".join(f"`{value}`" for value in node["enum"])
    if node.get("format") == "partial-date":
        return "Datum (JJJJ-MM-TT), Monat (JJJJ-MM) oder Jahr (JJJJ)"
    kind = node.get("type")
    limits = []
    if kind == "string":
        if node.get("format") == "date":
            return "Datum (JJJJ-MM-TT)"
        text = _PATTERN_NAMES.get(node.get("pattern", ""), "Text")
        if "maxLength" in node and node.get("pattern") is None:
            limits.append(f"höchstens {node['maxLength']} Zeichen")
    elif kind in ("integer", "number"):
        text = "ganze Zahl" if kind == "integer" else "Zahl"
        if "minimum" in node:
            limits.append(f"mindestens {_number(node['minimum'])}")
        if "maximum" in node:
            limits.append(f"höchstens {_number(node['maximum'])}")
    elif kind == "boolean":
        text = "`true` oder `false`"
    elif kind == "array":
        items = node.get("items", {})
        inner = " oder ".join(_describe_item(_resolve(b, defs), defs) for b in _branches(items))
        count = node.get("minItems")
        text = f"Liste (mindestens {count} Eintrag{'' if count == 1 else 'e'})" if count else "Liste"
        return f"{text}; je Eintrag {inner}" if inner else text
    elif kind == "object" and "properties" in node:
        names = ", ".join(f"`{name}`" for name in node["properties"])
        text = f"Gruppe von Feldern: {names}"
    elif kind == "object":
        patterns = list(node.get("patternProperties", {}).items())
        keys = _PATTERN_NAMES.get(patterns[0][0], "Name") if patterns else "Name"
        values = patterns[0][1] if patterns else node.get("additionalProperties")
        inner = _describe_one(_resolve(values, defs), defs) if isinstance(values, dict) else "Wert"
        text = f"Zuordnung, je Zeile `schlüssel: bezeichnung` – {keys} → {inner}"
    else:
        text = "Wert"
    return f"{text} ({', '.join(limits)})" if limits else text


def _describe_item(node: dict[str, Any], defs: dict[str, Any]) -> str:
    if "properties" in node:
        return "eine Gruppe von Feldern (siehe die folgenden Zeilen)"
    return _describe_one(node, defs)


def _number(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


# --- writing ------------------------------------------------------------------------------------------------


CMS_CONFIG = "schemas/cms-config.yml"
"""The web editor's configuration as committed, so that a pull request shows how a change alters the form."""


def generated_files(config_path: Path | None = None) -> dict[str, str]:
    """Every generated file: path relative to the project root → content. The web editor's configuration also
    depends on site_config.yml (labels of themes, districts, kinds of need), so it needs a readable one."""
    files = {f"schemas/{kind.filename}": render_json(json_schema(kind)) for kind in SCHEMA_KINDS}
    files["docs/felder.md"] = field_reference()
    if config_path is not None:
        editor_config = _cms_config_text(config_path)
        if editor_config is not None:
            files[CMS_CONFIG] = editor_config
    return files


def _cms_config_text(config_path: Path) -> str | None:
    # Imported here: cms.py builds its forms from this module's JSON Schemas.
    from .cms import render_cms_config
    from .project import Project
    from .validate import ConfigError, load_config

    try:
        config = load_config(config_path)
    except ConfigError:
        return None  # `showcase validate` reports why; the schemas do not depend on it
    theme, problems = Project(config_path).load_theme(config.site.language)
    return None if problems else render_cms_config(config, theme.catalogue)


def write_schemas(config_path: Path, check: bool = False, out: TextIO | None = None, language: str = "de") -> int:
    """Write (or with `check`, compare) the generated files beside `config_path`; return the exit code."""
    out = out or sys.stdout
    texts = catalogue(language)
    root = config_path.absolute().parent
    generated = generated_files(config_path)
    stale = [rel for rel, text in generated.items() if _current(root / rel) != text]
    if check:
        for rel in stale:
            print(texts.text("cli.schema_stale", path=display_path(root, rel)), file=out)
        return ExitCode.CONTENT if stale else ExitCode.OK
    for rel in stale:
        path = root / rel
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(generated[rel], encoding="utf-8")
        except OSError as error:
            print(texts.text("cli.schema_unwritable", path=display_path(root, rel), reason=error.strerror or error),
                  file=out)
            return ExitCode.USAGE
        print(texts.text("cli.schema_written", path=display_path(root, rel)), file=out)
    return ExitCode.OK


def _current(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8") if path.is_file() else None
    except (OSError, UnicodeDecodeError):
        return None
