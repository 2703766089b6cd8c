"""Files under content/ that would never be read, or that could publish something else: stray files, folders
no content kind uses, wrongly named files, symlinks; and the hints for image paths (wrong case, HEIC photos).

Symlinks are refused anywhere under content/, even when they stay inside it: an image that is a link to an
internal proposal file would publish that file.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

from .catalogue import message
from .diagnostics import Diagnostic, file_diagnostic
from .kinds import KINDS, ContentKind

IMAGES_FOLDER = "content/images"
# Names an editor gives files meant as content: all of them are read only as `*.md` / `*.yml` in a kind's folder.
CONTENT_SUFFIXES = (".md", ".markdown", ".yml", ".yaml", ".txt")
# Other spellings of a kind's suffix, and what the file should be called instead.
SUFFIX_VARIANTS = {".md": (".md", ".markdown"), ".yml": (".yml", ".yaml")}
HEIC_SUFFIXES = (".heic", ".heif")


def _ignored(name: str) -> bool:
    """README files and hidden files (`.gitkeep`) are not content."""
    return name.startswith(".") or name.lower().startswith("readme")


def _looks_like_content(name: str) -> bool:
    return name.lower().endswith(CONTENT_SUFFIXES) and not _ignored(name)


def validate_tree(root: Path, language: str) -> list[Diagnostic]:
    """Every symlink under content/, and every content-like file no kind reads (files directly in a kind's
    folder are `load_kind`'s: it reports their names)."""
    top = root / "content"
    if not top.is_dir() or top.is_symlink():
        return []
    return _walk(top, "content", "top", language)


def _walk(folder: Path, rel: str, place: str, language: str) -> list[Diagnostic]:
    diagnostics: list[Diagnostic] = []
    try:
        with os.scandir(folder) as scan:
            found = sorted(scan, key=lambda item: item.name)
    except OSError:
        return diagnostics
    for item in found:
        item_rel = f"{rel}/{item.name}"
        if item.is_symlink():
            diagnostics.append(file_diagnostic(item_rel, "symlink", language))
        elif item.is_dir():
            diagnostics += _walk(Path(item.path), item_rel, _place_of(item_rel, place), language)
        elif place in ("top", "other", "subfolder") and _looks_like_content(item.name):
            diagnostics.append(_never_read(item_rel, rel, place, language))
    return diagnostics


def _place_of(rel: str, parent: str) -> str:
    if parent == "top":
        if rel == IMAGES_FOLDER:
            return "images"
        return "kind" if any(kind.folder == rel for kind in KINDS) else "other"
    if parent == "kind":
        return "subfolder"
    return parent


def _never_read(rel: str, folder: str, place: str, language: str) -> Diagnostic:
    folders = ", ".join(f"`{kind.files}`" for kind in KINDS)
    if place == "top":
        return file_diagnostic(rel, "never-read-top", language, folders=folders)
    if place == "subfolder":
        kind_folder = "/".join(folder.split("/")[:2])
        return file_diagnostic(rel, "never-read-subfolder", language, folder=kind_folder)
    first = "/".join(folder.split("/")[:2])
    close = difflib.get_close_matches(first, [kind.folder for kind in KINDS], n=1, cutoff=0.6)
    suggestion = message("suggestion", language, name=close[0]) if close else ""
    return file_diagnostic(rel, "never-read-folder", language, folder=first, folders=folders,
                           suggestion=suggestion)


def misnamed_file(kind: ContentKind, rel: str, name: str, language: str) -> Diagnostic:
    """A file in a kind's folder that is not read because of its name: say what it should be called."""
    lowered = name.lower()
    base = lowered.removesuffix(".txt")
    for variant in SUFFIX_VARIANTS.get(kind.suffix, (kind.suffix,)):
        if base.endswith(variant):
            stem = name[: len(base) - len(variant)]
            return file_diagnostic(rel, "rename-file", language, folder=kind.folder, suffix=kind.suffix,
                                   name=f"{stem}{kind.suffix}")
    return file_diagnostic(rel, "unexpected-file", language, folder=kind.folder, suffix=kind.suffix)


# --- image paths -------------------------------------------------------------------------------------------------


class FolderNames:
    """The names in each folder, read once: an image path's exact spelling (case) is checked against them, so a
    site built on Linux finds the same files as an editor's Mac or Windows machine."""

    def __init__(self) -> None:
        self.names: dict[Path, list[str]] = {}

    def __call__(self, folder: Path) -> list[str]:
        if folder not in self.names:
            try:
                self.names[folder] = sorted(os.listdir(folder))
            except OSError:
                self.names[folder] = []
        return self.names[folder]

    def exact(self, base: Path, parts: list[str]) -> str | None:
        """The path as it is spelt on disk when `parts` match it only up to case; None when it matches exactly
        or not at all."""
        spelt, folder = [], base
        for part in parts:
            names = self(folder)
            if part in names:
                match = part
            else:
                match = next((name for name in names if name.lower() == part.lower()), None)
                if match is None:
                    return None
            spelt.append(match)
            folder = folder / match
        return None if spelt == parts else "/".join(spelt)


def is_heic(value: str) -> bool:
    return value.lower().endswith(HEIC_SUFFIXES)
