"""Published images, re-encoded so that nothing but the pixels leaves: no EXIF (camera, GPS, owner), no XMP, no
IPTC, no PNG text chunks, no comments, no ICC profile with its free-text fields.

Each image is opened with Pillow (only the formats content may use), turned upright by its EXIF orientation and
saved as a fresh image of the same format without any metadata argument. Pillow copies some metadata from the
source image's `info` by default (JPEG and GIF comments, PNG ICC profiles), so the fresh image gets an `info` of
its own that keeps only what the pixels need (transparency, animation timing). The privacy gate checks the
result (`metadata_found`), so a theme file or a future code path cannot publish metadata either.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PIL import Image, ImageCms, ImageFile, ImageOps, ImageSequence, UnidentifiedImageError

FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
MAX_PIXELS = 50_000_000
"""Width × height × frames; a small file can unpack to gigabytes of pixels (a decompression bomb)."""
KEEP_INFO = ("transparency", "duration", "loop", "background", "disposal")
"""What a fresh image keeps of the source's `info`: nothing personal, only what the pixels need."""
METADATA_KEYS = ("exif", "xmp", "xml:com.adobe.xmp", "comment", "photoshop", "iptc", "extension", "icc_profile")
"""`info` keys that carry metadata (IPTC arrives as `photoshop`, GIF application blocks as `extension`)."""


class ImageUnreadable(Exception):
    """The file is not an image of an allowed format, is damaged, or too large to unpack."""


def reencode(source: Path) -> bytes:
    """The image at `source` as fresh bytes of the same format, without any metadata."""
    try:
        with warnings.catch_warnings(), _whole_images_only():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(source, formats=FORMATS) as image:
                frames = getattr(image, "n_frames", 1)
                if image.width * image.height * frames > MAX_PIXELS:
                    raise ImageUnreadable(f"{image.width} × {image.height} × {frames} pixels")
                return _save(image, image.format or "PNG")
    except ImageUnreadable:
        raise
    except UnidentifiedImageError as error:
        raise ImageUnreadable(f"not a {', '.join(FORMATS)} image") from error
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ImageUnreadable(str(error)) from error
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        if isinstance(error, FileNotFoundError):
            raise  # vanished since validation: a write error, not a bad image
        raise ImageUnreadable(str(error).replace(str(source), source.name) or type(error).__name__) from error


@contextmanager
def _whole_images_only() -> Iterator[None]:
    """A cut-off image is an error, never half a picture: WeasyPrint (the reports) switches Pillow's global
    `LOAD_TRUNCATED_IMAGES` on when it is imported, so set it for the time of our own reading."""
    saved = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = saved


def _save(image: Image.Image, image_format: str) -> bytes:
    out = io.BytesIO()
    if image_format in ("GIF", "WEBP") and getattr(image, "n_frames", 1) > 1:
        frames = [_fresh(frame) for frame in ImageSequence.Iterator(image)]
        durations = [frame.info.get("duration", 100) for frame in frames]
        options = {"save_all": True, "append_images": frames[1:], "duration": durations,
                   "loop": image.info.get("loop", 0)}
        frames[0].save(out, image_format, **options, **_options(image_format, frames[0]))
    else:
        fresh = _fresh(_to_srgb(ImageOps.exif_transpose(image)))
        fresh.save(out, image_format, **_options(image_format, fresh))
    return out.getvalue()


def _fresh(image: Image.Image) -> Image.Image:
    """A copy of the pixels with an `info` of its own: nothing Pillow could carry over into the saved file."""
    fresh = image.copy()
    fresh.info = {key: image.info[key] for key in KEEP_INFO if key in image.info}
    return fresh


def _to_srgb(image: Image.Image) -> Image.Image:
    """Colours of a photo with an embedded profile (wide-gamut cameras) kept close when the profile is dropped."""
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in ("RGB", "RGBA"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        converted = ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"))
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # a broken profile: the pixels as they are
    return converted if converted is not None else image


def _options(image_format: str, image: Image.Image) -> dict:
    if image_format == "JPEG":
        return {"quality": 85, "optimize": True, "progressive": True}
    if image_format == "PNG":
        return {"optimize": True}
    if image_format == "WEBP":
        return {"quality": 85}
    options: dict = {"optimize": False}  # GIF: keep the palette as it is
    if "transparency" in image.info:
        options["transparency"] = image.info["transparency"]
    return options


def metadata_found(file: Path) -> list[str]:
    """The kinds of metadata a built image carries (empty when clean); `unreadable` if Pillow cannot open it."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                found = {key for key in image.info if key.lower() in METADATA_KEYS or "xmp" in key.lower()}
                if image.info.get("extension", (b"",))[0][:11] in (b"NETSCAPE2.0", b"ANIMEXTS1.0"):
                    found.discard("extension")  # a GIF's loop count, not metadata
                found |= {f"text:{key}" for key in (getattr(image, "text", None) or {})}
                if image.getexif():
                    found.add("exif")
                if image.format == "JPEG" and getattr(image, "applist", None):
                    found |= {marker for marker, _ in image.applist if marker not in ("APP0", "APP14")}
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError):
        return ["unreadable"]
    return sorted(found)
