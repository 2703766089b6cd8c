"""`showcase preview --changed FILE…`: the changed entries of a pull request as Markdown, for the run's job
summary (`$GITHUB_STEP_SUMMARY`).

A coordinator reviewing a pull request sees each changed entry as the editor's form names it — title, status,
needs, text — with the validator's findings in plain language underneath. Internal entries (a `submitted`
proposal) are shown too: the summary belongs to the repository's run, never to the public site. Field names,
option labels and which fields name other entries come from the web editor's configuration (`cms.py`), so the
preview speaks the same words as the form.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from . import model as m
from . import pipeline
from .catalogue import Catalogue, catalogue
from .cms import cms_config
from .diagnostics import Diagnostic
from .kinds import KINDS, ContentKind
from .quantities import Quantity

MAX_BODY_LINES = 40
"""A long text is cut in the summary (GitHub limits a summary to 1 MiB); the file itself is untouched."""


def preview(config_path: Path, changed: list[str]) -> tuple[str, pipeline.ExitCode]:
    """Markdown for the changed files, and whether the content could be read at all."""
    checked = pipeline.check(config_path)
    texts = catalogue(checked.language)
    root = checked.project.root
    lines = [f"## {texts.text('preview.title')}\n"]
    if checked.content is None:
        lines += [texts.text("preview.unreadable"), "", *_findings(checked.diagnostics, texts)]
        return "\n".join(lines) + "\n", checked.exit_code
    collections = {c["name"]: c for c in cms_config(checked.content.config, texts)["collections"]}
    shown = 0
    for rel in dict.fromkeys(_relative(root, path) for path in changed):
        kind = _kind_of(rel)
        if kind is None and rel != checked.project.config_path.name:
            continue
        found = [d for d in checked.diagnostics if d.path == rel]
        if kind is None:
            lines += _config_section(rel, found, texts)
        else:
            lines += EntryPreview(checked.content, kind, collections[kind.attribute], texts).section(rel, found)
        shown += 1
    if not shown:
        lines.append(texts.text("preview.nothing"))
    return "\n".join(lines) + "\n", pipeline.ExitCode.OK


def _relative(root: Path, path: str) -> str:
    candidate = Path(path)
    if candidate.is_absolute():
        try:
            candidate = candidate.resolve().relative_to(root.resolve())
        except ValueError:
            return candidate.as_posix()
    return candidate.as_posix().removeprefix("./")


def _kind_of(rel: str) -> ContentKind | None:
    for kind in KINDS:
        folder, _, name = rel.rpartition("/")
        if folder == kind.folder and name.endswith(kind.suffix):
            return kind
    return None


def _config_section(rel: str, found: list[Diagnostic], texts: Catalogue) -> list[str]:
    return [f"### {texts.text('preview.config')} (`{rel}`)", "", *_findings(found, texts), ""]


class EntryPreview:
    """One changed entry, described with the labels of its collection in the web editor."""

    def __init__(self, content, kind: ContentKind, collection: dict[str, Any], texts: Catalogue):
        self.content, self.kind, self.collection, self.texts = content, kind, collection, texts

    def section(self, rel: str, found: list[Diagnostic]) -> list[str]:
        entry_id = rel.rpartition("/")[2].removesuffix(self.kind.suffix)
        data, body = self._data(entry_id)
        noun = self.collection["label_singular"]
        if data is None:
            state = "preview.deleted" if not (self.content.root / rel).exists() else "preview.unparsed"
            return [f"### {noun}: `{entry_id}`", "", f"`{rel}` – {self.texts.text(state)}", "",
                    *_findings(found, self.texts), ""]
        title = data.get(self.collection["identifier_field"]) or entry_id
        lines = [f"### {noun}: {_inline(title)}", "", f"`{rel}` · {self._visibility(data)}", ""]
        lines += self._table(data)
        lines += self._lists(data)
        if body.strip():
            lines += [f"**{self.texts.text('editor.body')}**", "", *_quoted(body), ""]
        lines += [f"**{self.texts.text('preview.check')}**", "", *_findings(found, self.texts), ""]
        return lines

    def _data(self, entry_id: str) -> tuple[dict[str, Any] | None, str]:
        entry = self.content.of_kind(self.kind).get(entry_id)
        if entry is not None:
            return entry.fields, entry.body
        document = self.content.invalid.get(self.kind.name, {}).get(entry_id)
        if document is not None and isinstance(document.data, dict):
            return document.data, document.body
        return None, ""

    def _visibility(self, data: dict[str, Any]) -> str:
        statuses = self.kind.public_statuses
        public = statuses is None or data.get("status") in statuses
        return self.texts.text("preview.public" if public else "preview.internal")

    def _table(self, data: dict[str, Any]) -> list[str]:
        rows = []
        for field in self.collection["fields"]:
            name = field["name"]
            if name in (self.collection["identifier_field"], "body") or name not in data or "fields" in field:
                continue
            rows.append(f"| {field['label']} | {_cell(self.value(field, data[name]))} |")
        if not rows:
            return []
        return [f"| {self.texts.text('preview.field')} | {self.texts.text('preview.value')} |", "| --- | --- |",
                *rows, ""]

    def _lists(self, data: dict[str, Any]) -> list[str]:
        """Groups and lists of groups (needs, partners, contact): one bullet per item, `label: value; …`."""
        lines = []
        for field in self.collection["fields"]:
            value = data.get(field["name"])
            if "fields" not in field or value in (None, [], {}):
                continue
            items = value if isinstance(value, list) else [value]
            lines += [f"**{field['label']}**", ""]
            lines += [f"- {self._group(field['fields'], item)}" for item in items]
            lines.append("")
        return lines

    def _group(self, fields: list[dict[str, Any]], item: Any) -> str:
        if not isinstance(item, dict):
            return _inline(item)
        parts = [f"{f['label']}: {self.value(f, item[f['name']])}" for f in fields if f["name"] in item]
        return _inline("; ".join(parts))

    def value(self, field: dict[str, Any], value: Any) -> str:
        """A value as the form shows it: option labels for choices, names for linked entries."""
        if isinstance(value, list):
            return ", ".join(self.value(field, item) for item in value)
        if field.get("widget") == "select":
            labels = {option["value"]: option["label"] for option in field["options"]}
            return labels.get(value, str(value))
        if field.get("widget") == "relation":
            linked = getattr(self.content, field["collection"], {}).get(str(value))
            if linked is not None:
                return str(linked.fields.get(field["display_fields"][0], value))
        if field.get("widget") == "boolean":
            return self.texts.text("preview.yes" if value else "preview.no")
        if isinstance(value, dict):  # an estimate: {approx: …} or {min, max}
            estimate = _estimate(value)
            return self.texts.quantity(estimate) if estimate is not None else str(value)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return self.texts.number(value) if isinstance(value, (int, float)) and not isinstance(value, bool) \
            else str(value)


def _estimate(value: dict[str, Any]) -> Quantity | None:
    try:
        return Quantity.of(m.Estimate.model_validate(value))
    except ValidationError:
        return None


def _findings(found: list[Diagnostic], texts: Catalogue) -> list[str]:
    if not found:
        return [texts.text("preview.ok")]
    return [f"- {texts.text('preview.' + d.severity)} " + _inline(texts.text(
        "preview.where", line=d.line, field=d.field or "–", message=d.message)) for d in found]


def _quoted(body: str) -> list[str]:
    lines = body.strip().splitlines()
    shown = lines[:MAX_BODY_LINES]
    quoted = [("> " + _escape_html(line)).rstrip() for line in shown]
    if len(lines) > len(shown):
        quoted.append("> …")
    return quoted


def _escape_html(text: str) -> str:
    # The summary renders Markdown; raw HTML from a file must show as text, not as markup.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _inline(value: Any) -> str:
    return re.sub(r"\s+", " ", _escape_html(str(value))).strip()


def _cell(text: str) -> str:
    return _inline(text).replace("|", "\\|")

