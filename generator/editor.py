"""The web editor at /admin/: Decap CMS, pinned, fetched once by `showcase cms` with an integrity check, and
written into the built site beside its generated configuration.

Why Decap CMS (README, "Web editor"): German interface, a mature editorial workflow (every change a pull
request), image uploads in the same change, and in our test it made no request to any host but the page's own
and the git host's API; its in-memory `test-repo` backend lets the browser tests use the real editor offline.

The site never loads the editor from a CDN: the build copies the verified files from the local cache
(`SHOWCASE_CACHE`, else `$XDG_CACHE_HOME/cooperation-showcase` or `~/.cache/cooperation-showcase`).
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import os
import shutil
import tarfile
import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from . import model as m
from .catalogue import Catalogue
from .cms import render_cms_config


@dataclass(frozen=True)
class Bundle:
    """One pinned npm release of the editor, and which of its files the site needs."""

    package: str
    version: str
    integrity: str
    """The registry's Subresource Integrity string of the tarball (`npm view <package>@<version> dist.integrity`)."""
    main: str
    """The script the admin page loads; the others are chunks it loads from beside itself."""

    @property
    def tarball(self) -> str:
        registry = os.environ.get("NPM_CONFIG_REGISTRY", "https://registry.npmjs.org/").rstrip("/")
        return f"{registry}/{self.package}/-/{self.package}-{self.version}.tgz"

    @property
    def folder(self) -> Path:
        return cache_dir() / f"{self.package}-{self.version}"

    def wanted(self, member: str) -> bool:
        """Scripts and WebAssembly of `dist/`: no source maps (25 MB), no second copy under the old name `cms.js`."""
        name = member.removeprefix("package/dist/")
        return (member.startswith("package/dist/") and "/" not in name and name.endswith((".js", ".wasm"))
                and not (name == "cms.js" or name.endswith(".cms.js")))


DECAP = Bundle(
    package="decap-cms",
    version="3.16.3",
    integrity="sha512-hf+dPlCh7TJmWl8+6VRzHYOWhri5xgUknrZbDewaWe4s9B7xJ8PQugp2QHeSldMUKzav6+z0oIpwUYhUJDYtYw==",
    main="decap-cms.js",
)
class BundleError(Exception):
    """The editor could not be fetched or failed its integrity check."""


def cache_dir() -> Path:
    if os.environ.get("SHOWCASE_CACHE"):
        return Path(os.environ["SHOWCASE_CACHE"])
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "cooperation-showcase"


def installed(bundle: Bundle = DECAP) -> Path | None:
    """The folder holding the verified bundle, or None when `showcase cms` has not fetched it yet."""
    folder = bundle.folder
    marker = folder / ".integrity"
    if marker.is_file() and marker.read_text(encoding="utf-8").strip() == bundle.integrity:
        return folder
    return None


def install(bundle: Bundle = DECAP) -> Path:
    """Fetch the pinned tarball, check it against its integrity string, keep what the site needs."""
    if (folder := installed(bundle)) is not None:
        return folder
    try:
        with urllib.request.urlopen(bundle.tarball, timeout=120) as response:  # noqa: S310 (fixed https URL)
            data = response.read()
    except OSError as error:
        raise BundleError(f"{bundle.tarball}: {error}") from error
    verify(data, bundle.integrity)
    bundle.folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{bundle.package}-", dir=bundle.folder.parent))
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
            for member in archive.getmembers():
                if member.isfile() and bundle.wanted(member.name):
                    source = archive.extractfile(member)
                    assert source is not None
                    (staging / Path(member.name).name).write_bytes(source.read())
        if not (staging / bundle.main).is_file():
            raise BundleError(f"{bundle.tarball}: {bundle.main} fehlt im Paket")
        (staging / ".integrity").write_text(bundle.integrity + "\n", encoding="utf-8")
        shutil.rmtree(bundle.folder, ignore_errors=True)
        staging.rename(bundle.folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return bundle.folder


def verify(data: bytes, integrity: str) -> None:
    algorithm, _, expected = integrity.partition("-")
    digest = base64.b64encode(hashlib.new(algorithm, data).digest()).decode("ascii")
    if digest != expected:
        raise BundleError(f"Prüfsumme stimmt nicht: erwartet {integrity}, erhalten {algorithm}-{digest}")


# --- the admin page ----------------------------------------------------------------------------------------------

ADMIN_PAGE = """<!doctype html>
<html lang="{language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<title>{title}</title>
<link rel="cms-config-url" type="text/yaml" href="config.yml">
</head>
<body>
<noscript><p>{noscript}</p></noscript>
<script src="{script}"></script>
</body>
</html>
"""


def admin_files(config: m.SiteConfig, texts: Catalogue, bundle_folder: Path) -> dict[str, bytes | Path]:
    """Every file of /admin/, by name: generated text, or a bundle file to copy."""
    page = ADMIN_PAGE.format(language=texts.language, script=DECAP.main,
                             title=html.escape(texts.text("editor.title", network=config.network.name)),
                             noscript=html.escape(texts.text("editor.noscript")))
    files: dict[str, bytes | Path] = {
        "index.html": page.encode("utf-8"),
        "config.yml": render_cms_config(config, texts).encode("utf-8"),
    }
    files |= {path.name: path for path in sorted(bundle_folder.iterdir()) if not path.name.startswith(".")}
    return files


def write_admin(config: m.SiteConfig, texts: Catalogue, bundle_folder: Path, target: Path) -> list[Path]:
    """Write /admin/; the files copied unchanged from the verified package, which hold nothing of ours."""
    target.mkdir(parents=True, exist_ok=True)
    copied = []
    for name, source in admin_files(config, texts, bundle_folder).items():
        if isinstance(source, Path):
            shutil.copyfile(source, target / name)
            copied.append(target / name)
        else:
            (target / name).write_bytes(source)
    return copied
