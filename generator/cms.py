"""The web editor's configuration (Decap CMS at /admin/), generated from the models, the kinds registry and
site_config.yml.

Nothing here is written twice: collections come from `KINDS`, fields and their hints, required flags, limits and
patterns from each kind's JSON Schema (`schema.json_schema`, itself generated from the pydantic models), the
choices for themes, districts and kinds of need from site_config.yml, which fields name other entries from the
validator's own reference map (`rules.RAW_FIELDS`), and every label from the catalogue in the site's language.
A form built this way cannot produce most of the mistakes the validator reports (a date as 15.03.2026, `offen`
for `open`, an organisation's name instead of its id); whatever it still lets through, CI reports on the pull
request the editor opens.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from . import model as m
from .catalogue import Catalogue
from .kinds import KINDS, ContentKind
from .rules import RAW_FIELDS
from .schema import SchemaKind, _branches, _resolve, json_schema

IMAGE_FOLDERS = {"organization": "logos"}
"""Where uploaded images go, inside content/images/ (the validator accepts any path there); else `<kind>s`."""

TEXT_AREA_LENGTH = 300
"""Strings allowed to be longer than this are edited in a multi-line box."""

# Which catalogue texts name the values of a choice, tried in order: the site's own wording where it has one.
CHOICE_TEXTS: dict[tuple[str, str], tuple[str, ...]] = {
    ("proposal", "status"): ("round.status_{value}",),
    ("cooperation", "status"): ("story.status_{value}",),
    ("cooperation", "origin"): ("story.origin_{value}",),
    ("offer", "status"): ("offers.status_{value}", "round.status_{value}"),
    ("organization", "kind"): ("organizations.kind_{value}",),
    ("*", "unnamed_kind"): ("organizations.kind_{value}",),
    ("event", "kind"): ("events.kind_{value}",),
    ("*", "state"): ("editor.choices.state_{value}",),
    ("*", "scope"): ("editor.choices.scope_{value}",),
    ("*", "language"): ("editor.choices.language_{value}",),
}


def cms_config(config: m.SiteConfig, texts: Catalogue) -> dict[str, Any]:
    """The Decap CMS `config.yml` for this network, as data."""
    editor = config.editor
    backend: dict[str, Any] = {"name": "github", "repo": "", "branch": "main"}
    if editor is not None:
        backend = {"name": "github", "repo": editor.repo, "branch": editor.branch, "base_url": editor.base_url}
        if editor.auth_endpoint:
            backend["auth_endpoint"] = editor.auth_endpoint
    backend["commit_messages"] = {key: texts.text(f"editor.commits.{key}") for key in
                                  ("create", "update", "delete", "uploadMedia", "deleteMedia")}
    return {
        "backend": backend,
        # Every change becomes a branch and a pull request; CI checks it, and merging publishes it.
        "publish_mode": "editorial_workflow",
        "locale": texts.language,
        "site_url": config.site.url,
        "display_url": config.site.url,
        "media_folder": "content/images",
        "public_folder": "",
        # Left-empty optional fields are left out of the file, not written as "" (which the validator refuses).
        "omit_empty_optional_fields": True,
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [collection(kind, config, texts) for kind in editor_kinds()],
    }


def editor_kinds() -> list[ContentKind]:
    """The kinds in the order an editor meets them: what non-profits send first, organisations last."""
    order = ("proposal", "cooperation", "offer", "event", "organization", "page")
    return sorted(KINDS, key=lambda kind: order.index(kind.name))


def render_cms_config(config: m.SiteConfig, texts: Catalogue) -> str:
    note = f"# {texts.text('editor.generated')}\n"
    return note + yaml.safe_dump(cms_config(config, texts), allow_unicode=True, sort_keys=False, width=120)


# --- collections ------------------------------------------------------------------------------------------------


def collection(kind: ContentKind, config: m.SiteConfig, texts: Catalogue) -> dict[str, Any]:
    schema = json_schema(SchemaKind(kind.name, kind.model, kind.files, kind.title, kind.front_matter))
    identifier = "name" if "name" in schema.get("properties", {}) else "title"
    fields = Fields(kind, config, texts, schema.get("$defs", {})).of(schema, ())
    if kind.front_matter:
        fields.append({"name": "body", "label": texts.text("editor.body"), "widget": "markdown",
                       "required": False, "hint": texts.text("editor.body_hint")})
    filters = status_filters(fields)
    return {
        "name": kind.attribute,
        "label": texts.text(f"editor.collections.{kind.name}"),
        "label_singular": texts.text(f"editor.collections.{kind.name}_one"),
        "description": texts.text(f"editor.collections.{kind.name}_help"),
        "folder": kind.folder,
        "extension": kind.suffix.removeprefix("."),
        "format": "frontmatter" if kind.front_matter else "yml",
        "create": True,
        "identifier_field": identifier,
        "slug": "{{slug}}",
        "summary": "{{" + identifier + "}}",
        "sortable_fields": [identifier],
        **({"view_filters": filters} if filters else {}),  # Decap refuses an empty list
        # Decap's side preview shows raw stored values (`waermestube`, `submitted`); the pull request's summary
        # (`showcase preview`) shows the entry in the form's words instead.
        "editor": {"preview": False},
        "fields": fields,
    }


def status_filters(fields: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One filter per status above a collection's list, in the form's words (Decap's list summary could only
    show the stored English value)."""
    status = next((field for field in fields if field["name"] == "status"), None)
    if status is None:
        return []
    return [{"label": option["label"], "field": "status", "pattern": f"^{option['value']}$"}
            for option in status["options"]]


class Fields:
    """Turns a kind's JSON Schema into Decap widgets, one field at a time."""

    def __init__(self, kind: ContentKind, config: m.SiteConfig, texts: Catalogue, defs: dict[str, Any]):
        self.kind, self.config, self.texts, self.defs = kind, config, texts, defs
        self.references = {tuple(p for p in path if p != "*"): target
                           for path, target in RAW_FIELDS.get(kind.name, ())}

    def of(self, schema: dict[str, Any], path: tuple[str, ...], parent_required: bool = True
           ) -> list[dict[str, Any]]:
        """The fields of an object. Inside an optional group nothing is required in the form: Decap would insist
        on a contact's name even when there is no contact; the validator still asks for it once there is one."""
        schema = _resolve(schema, self.defs)
        required = set(schema.get("required", ())) if parent_required else set()
        return [self.field(name, node, (*path, name), name in required)
                for name, node in schema.get("properties", {}).items()]

    def field(self, name: str, node: dict[str, Any], path: tuple[str, ...], required: bool) -> dict[str, Any]:
        field: dict[str, Any] = {"name": name, "label": self.label(name), "required": required}
        field |= self.widget(node, path, required)
        if "default" in node and node["default"] not in (None, [], {}) and field["widget"] != "boolean":
            field["default"] = node["default"]
        elif required and name == "status":
            field["default"] = field["options"][0]["value"]  # a new entry starts at the first step
        hint = self.hint(path, node, field)
        if hint:
            field["hint"] = hint
        return field

    def hint(self, path: tuple[str, ...], node: dict[str, Any], field: dict[str, Any]) -> str | None:
        """The editor's own hint where it has one; else the model's description, unless the form already shows
        what that description explains in file terms (the values of a choice, an id, a path, `true`)."""
        hints = self.texts.strings["editor"]["hints"]
        keys = (f"{self.kind.name}.{'.'.join(path)}", ".".join(path), path[-1])
        own = next((hints[key] for key in keys if key in hints), None)
        if own or "hint" in field:
            return own or field.pop("hint")
        if field["widget"] in ("select", "relation", "image", "boolean") or "fields" in field:
            return None
        return _plain(node["description"]) if node.get("description") else None

    def label(self, name: str) -> str:
        return self.texts.strings["editor"]["fields"].get(name, name)

    # --- widgets ---------------------------------------------------------------------------------------------

    def widget(self, node: dict[str, Any], path: tuple[str, ...], required: bool = True) -> dict[str, Any]:
        target = self.references.get(path)
        if target is not None:
            return self.reference(target, _is_list(node, self.defs))
        if path[-1] in ("image", "logo", "src"):
            return self.image()
        branches = [_resolve(branch, self.defs) for branch in _branches(node)]
        if len(branches) == 2 and any(b.get("$ref", "").endswith("Estimate") for b in _branches(node)):
            return self.amount(branches[0])
        if len(branches) == 2 and {_shape(b) for b in branches} == {"string", "object"}:
            # A picture as a bare path or as `{src, alt}`: the form always writes the fuller one.
            return self.widget(next(b for b in branches if _shape(b) == "object"), path, required)
        leaf = branches[0] if branches else node
        if "enum" in leaf:
            return self.choice(path[-1], leaf["enum"], multiple=False)
        if leaf.get("format") == "partial-date":
            return {"widget": "string", "pattern": [_js(leaf["pattern"]), self.texts.text("editor.date_pattern")]}
        kind = leaf.get("type")
        if kind == "boolean":
            return {"widget": "boolean"}  # no default: an untouched switch writes nothing (the model's default)
        if kind in ("integer", "number"):
            return self.number(leaf)
        if kind == "array":
            return self.listing(leaf, path)
        if kind == "object" and "properties" in leaf:
            return {"widget": "object", "collapsed": not required, "fields": self.of(leaf, path, required)}
        return self.string(leaf)

    def reference(self, target: ContentKind | str, multiple: bool) -> dict[str, Any]:
        if isinstance(target, str):  # a key list of site_config.yml
            labels = {"themes": self.config.themes, "districts": self.config.districts,
                      "need_kinds": self.config.need_labels}[target]
            return {"widget": "select", "multiple": multiple,
                    "options": [{"label": label, "value": key} for key, label in labels.items()]}
        shown = "name" if target.name == "organization" else "title"
        return {"widget": "relation", "collection": target.attribute, "value_field": "{{slug}}",
                "search_fields": [shown], "display_fields": [shown], "multiple": multiple}

    def choice(self, name: str, values: list[Any], multiple: bool) -> dict[str, Any]:
        return {"widget": "select", "multiple": multiple,
                "options": [{"label": self.choice_label(name, value), "value": value} for value in values]}

    def choice_label(self, name: str, value: str) -> str:
        keys = CHOICE_TEXTS.get((self.kind.name, name)) or CHOICE_TEXTS.get(("*", name)) or ()
        for key in keys:
            try:
                label = self.texts.text(key.format(value=value))
            except KeyError:
                continue
            if name == "status" and self.kind.public_statuses and value not in self.kind.public_statuses:
                label = self.texts.text("editor.internal", label=label)
            return label
        return str(value)

    def image(self) -> dict[str, Any]:
        folder = IMAGE_FOLDERS.get(self.kind.name, self.kind.attribute)
        # The file goes to content/images/<folder>/ in the same change; the entry stores `<folder>/<file>`,
        # the path inside content/images/ that the validator expects.
        return {"widget": "image", "choose_url": False, "media_folder": f"/content/images/{folder}",
                "public_folder": folder}

    def amount(self, number: dict[str, Any]) -> dict[str, Any]:
        # The form writes exact numbers; estimates (`{approx: …}`, `{min, max}`) already in a file stay as they
        # are unless the number is typed anew.
        return self.number(number) | {"hint": self.texts.text("editor.amount_hint")}

    def number(self, node: dict[str, Any]) -> dict[str, Any]:
        field: dict[str, Any] = {"widget": "number",
                                 "value_type": "int" if node.get("type") == "integer" else "float"}
        for ours, theirs in (("minimum", "min"), ("maximum", "max")):
            if ours in node:
                field[theirs] = node[ours]
        return field

    def listing(self, node: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any]:
        items = [_resolve(branch, self.defs) for branch in _branches(node.get("items", {}))]
        field: dict[str, Any] = {"widget": "list"}
        singular = self.texts.strings["editor"]["singular"].get(path[-1])
        if singular:
            field["label_singular"] = singular  # „Bedarf hinzufügen“, not „Bedarfe hinzufügen“
        if "minItems" in node:
            field["min"] = node["minItems"]
        objects = [item for item in items if "properties" in item]
        if objects:
            return field | {"collapsed": False, "fields": self.of(objects[0], path)}
        inner = self.string(items[0]) if items else {"widget": "string"}
        return field | {"field": {"name": path[-1], "label": self.label(path[-1])} | inner}

    def string(self, node: dict[str, Any]) -> dict[str, Any]:
        long = node.get("maxLength", 0) > TEXT_AREA_LENGTH and not node.get("pattern")
        field: dict[str, Any] = {"widget": "text" if long else "string"}
        if node.get("pattern"):
            field["pattern"] = [_js(node["pattern"]), self.pattern_message(node["pattern"])]
        return field

    def pattern_message(self, pattern: str) -> str:
        messages = self.texts.strings["editor"]["patterns"]
        for name, known in (("key", m.KEY_PATTERN), ("id", m.ID_PATTERN), ("email", m.EMAIL_PATTERN),
                            ("url", m.URL_PATTERN), ("phone", m.PHONE_PATTERN), ("repo", m.REPO_PATTERN)):
            if _js(pattern) == _js(known):
                return messages[name]
        return messages["other"]


def _shape(node: dict[str, Any]) -> str:
    return "object" if "properties" in node else str(node.get("type"))


def _is_list(node: dict[str, Any], defs: dict[str, Any]) -> bool:
    return any(_resolve(branch, defs).get("type") == "array" for branch in _branches(node))


def _js(pattern: str) -> str:
    """A Python pattern as JavaScript reads it: the same characters, without escapes JS's Unicode mode refuses."""
    return re.sub(r"\\([\"'`])", r"\1", pattern)


def _plain(description: str) -> str:
    """A field description as a one-line hint: the form shows Markdown code marks literally."""
    return description.replace("`", "")
