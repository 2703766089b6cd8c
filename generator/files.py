"""Files on disk: which ones stay inside content/ (symlinks), where images live, and reading many of them fast."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def image_file(root: Path, value: str) -> Path:
    """The file of an image reference (a path inside content/images/)."""
    return root / "content" / "images" / value


@contextmanager
def paused_garbage_collection() -> Iterator[None]:
    """Loading thousands of files creates millions of long-lived objects, and the cyclic garbage collector would
    rescan them again and again (5 of 13 s for 10,000 proposals). Reference counting still frees everything
    that is dropped; the collector resumes afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()



def _inside(path: Path, folder: Path) -> bool:
    """True when `path`, with every symlink followed, stays inside `folder`."""
    try:
        path.resolve(strict=True).relative_to(folder.resolve())
    except (OSError, ValueError):
        return False
    return True


class Inside:
    """`_inside` for many files: each directory is resolved once, a file only when it is a symlink itself."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.directories: dict[Path, bool] = {}

    def __call__(self, path: Path, is_symlink: bool | None = None) -> bool:
        directory = path.parent
        if directory not in self.directories:
            self.directories[directory] = _inside(directory, self.folder)
        if not self.directories[directory]:
            return False
        if is_symlink is None:
            is_symlink = path.is_symlink()
        return not is_symlink or _inside(path, self.folder)

