"""Published images, re-encoded so that nothing but the pixels leaves: no EXIF (camera, GPS, owner), no XMP, no
IPTC, no PNG text chunks, no comments, no ICC profile with its free-text fields.

Each image is opened with Pillow (only the formats content may use), turned upright by its EXIF orientation and
saved as a fresh image of the same format without any metadata argument. Pillow copies some metadata from the
source image's `info` by default (JPEG and GIF comments, PNG ICC profiles), so the fresh image gets an `info` of
its own that keeps only what the pixels need (transparency, animation timing). The privacy gate checks the
result (`metadata_found`), so a theme file or a future code path cannot publish metadata either.
"""

from __future__ import annotations

import hashlib
import io
import os
import struct
import tempfile
import time
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from PIL import Image, ImageCms, ImageFile, ImageOps, ImageSequence, UnidentifiedImageError, features

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
    with _reading(source), Image.open(source, formats=FORMATS) as image:
        _frames_within_limit(image)
        return _save(image, image.format or "PNG")


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
                if image.format == "AVIF":
                    found |= _avif_metadata(file.read_bytes())
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError):
        return ["unreadable"]
    return sorted(found)


AVIF_BOXES = (b"ftyp", b"meta", b"mdat", b"free", b"skip")
"""The top-level boxes of a still AVIF image; any other (a `uuid` box with XMP, a `moov`) is reported."""
AVIF_PIXEL_ITEMS = (b"av01", b"grid", b"iden", b"iovl")
"""Items of an AVIF image that hold pixels (the picture, its alpha, tiles); others are metadata: `Exif`, `mime`
(XMP), …"""


def _avif_metadata(data: bytes) -> set[str]:
    """The metadata items of an AVIF file, read from its boxes (ISO/IEC 14496-12 and 23008-12) rather than
    only through libavif, which shows Pillow the first Exif and XMP item and nothing else."""
    found = set()
    try:
        for kind, start, end in _boxes(data, 0, len(data)):
            if kind not in AVIF_BOXES:
                found.add(f"box:{kind.decode('latin-1')}")
            if kind != b"meta":
                continue
            for child, child_start, child_end in _boxes(data, start + 4, end):  # after meta's version and flags
                if child != b"iinf":
                    continue
                first = child_start + 4 + (2 if data[child_start] == 0 else 4)  # version, flags, entry count
                for entry, entry_start, _ in _boxes(data, first, child_end):
                    version = data[entry_start]
                    if entry != b"infe" or version < 2:
                        found.add("item")  # an item without a type: older than AVIF
                        continue
                    at = entry_start + 4 + (2 if version == 2 else 4) + 2  # version, flags, id, protection
                    item_type = data[at:at + 4]
                    if item_type not in AVIF_PIXEL_ITEMS:
                        names = {b"Exif": "exif", b"mime": "xmp"}
                        found.add(names.get(item_type) or f"item:{item_type.decode('latin-1')}")
    except (struct.error, IndexError) as error:
        raise ValueError("damaged AVIF boxes") from error
    return found


def _boxes(data: bytes, start: int, end: int) -> Iterator[tuple[bytes, int, int]]:
    """(type, where its content starts, where it ends) of each box in `data[start:end]`."""
    while start < end:
        size, kind = struct.unpack_from(">I4s", data, start)
        header = 8
        if size == 1:  # a 64-bit size follows the type
            size, header = struct.unpack_from(">Q", data, start + 8)[0], 16
        elif size == 0:  # up to the end
            size = end - start
        if size < header or start + size > end:
            raise ValueError("damaged AVIF boxes")
        yield kind, start + header, start + size
        start += size


# --- responsive copies -------------------------------------------------------------------------------------------
# Pages show each photo through `<picture>`: AVIF and WebP in a few widths, and JPEG (PNG for an image with
# transparency) for browsers without either. Publish measures each image and plans its copies (`measure`, `plan`);
# the build writes them (`publish_image`), each one resized from the upright, metadata-free pixels and saved
# afresh. The copies are kept in a cache folder between builds, keyed by the source's bytes, the width and the
# format. A Pillow without AVIF support (`avif_supported`) plans no AVIF copies: the pages then offer WebP first.

WIDTHS = (480, 960, 1440)
"""Widths of the resized copies, never wider than the image itself."""
SUFFIXES = {"avif": "avif", "webp": "webp", "jpeg": "jpg", "png": "png"}
ENCODING = "v2"
"""Part of every cache key: change it when the encoder settings below change, so older copies are not reused
(an AVIF copy depends on the WebP settings too: `_avif`). v2: AVIF copies."""
WEBP_OPTIONS = {"quality": 80, "method": 5}
JPEG_OPTIONS = {"quality": 82, "optimize": True, "progressive": True}
AVIF_OPTIONS = {"quality": 65, "speed": 8, "max_threads": 2}
"""AVIF comes first in `<picture>`, so nearly every visitor sees it: at quality 65 a photo looks about as good as
WebP at 80 (SSIMULACRA2 73 against 75) and is a quarter smaller. Speed 8 (of 0–10): about 0.05 s for a 640 px
picture, 0.4 s for 1440 px; Pillow's default 6 takes 2.5–4 times as long for 4–12 % less; 9 and 10 make larger
files than WebP. A fixed thread count: libaom encodes with one thread differently than with several, so Pillow's
default (one per CPU) would make other bytes on a single-CPU machine."""
AVIF_SMALLER_QUALITY = 50
"""For a copy whose AVIF at `AVIF_OPTIONS` is larger than its WebP (flat drawings, simple logos: WebP does well
there), a second try at this quality, and the smaller one is kept: on such pictures it still looks as good as the
WebP. The markup cannot leave AVIF out for one picture (pages are written before the copies are made)."""


@dataclass(frozen=True)
class Measured:
    """What publish needs to plan an image's copies, read from its header."""

    width: int
    height: int
    """Upright: a photo turned by its EXIF orientation has width and height swapped."""
    alpha: bool
    animated: bool


@dataclass(frozen=True)
class Copy:
    width: int
    height: int
    format: str
    """`avif`, `webp`, `jpeg` or `png`."""

    @property
    def suffix(self) -> str:
        return SUFFIXES[self.format]


@dataclass
class Tally:
    """What publishing the images did: files made now, files taken from the cache, and the time it took."""

    written: int = 0
    reused: int = 0
    seconds: float = 0.0


def measure(source: Path) -> Measured:
    """Size (upright), transparency and animation of the image at `source`; ImageUnreadable if it is none."""
    with _reading(source), Image.open(source, formats=FORMATS) as image:
        frames = _frames_within_limit(image)
        width, height = image.size
        if image.getexif().get(0x0112) in (5, 6, 7, 8):  # turned by a quarter: width and height swap
            width, height = height, width
        return Measured(width, height, _has_alpha(image), frames > 1)


def widths(width: int) -> list[int]:
    """The widths of the copies of an image `width` pixels wide: 640 → 480, 640; 3000 → 480, 960, 1440."""
    widest = min(width, WIDTHS[-1])
    return [w for w in WIDTHS if w < widest] + [widest]


def avif_supported() -> bool:
    """Whether this Pillow can write AVIF (its wheels can; one built without libavif cannot)."""
    return features.check("avif")


def plan(measured: Measured) -> list[Copy]:
    """Every copy of an image, narrowest first, AVIF (when `avif_supported`), then WebP, then the fallback; none
    for an animation. Every width has every format, so each `<source>` of a `<picture>` lists the same widths."""
    if measured.animated:
        return []
    formats = ("avif", "webp") if avif_supported() else ("webp",)
    fallback = "png" if measured.alpha else "jpeg"
    return [Copy(width, max(1, round(measured.height * width / measured.width)), image_format)
            for width in widths(measured.width) for image_format in (*formats, fallback)]


def publish_image(source: Path, whole: Path, copies: Sequence[tuple[Path, Copy]], cache: Path | None,
                  tally: Tally) -> None:
    """Write the whole image (re-encoded, `reencode`) to `whole` and each copy to its path; each file comes from
    the cache folder when it holds one made from the same bytes, else it is made now and stored there."""
    started = time.perf_counter()
    try:
        data = source.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        suffix = source.suffix.lower()
        wanted = [(whole, None, f"{digest}-whole-{ENCODING}{suffix}")]
        wanted += [(path, copy, f"{digest}-{copy.width}w-{ENCODING}.{copy.suffix}") for path, copy in copies]
        missing = []
        for path, copy, key in wanted:
            if cache is not None and _from_cache(cache / key[:2] / key, path):
                tally.reused += 1
            else:
                missing.append((path, copy, key))
        if not missing:
            return
        made: dict[str, bytes] = {}
        for _, copy, key in missing:
            if copy is None:
                made[key] = reencode(source)
        resizing = [(path, copy, key) for path, copy, key in missing if copy is not None]
        if resizing:
            made |= _resized(data, source, [(copy, key) for _, copy, key in resizing])
        for path, _, key in missing:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(made[key])
            tally.written += 1
            if cache is not None:
                _into_cache(cache / key[:2] / key, made[key])
    finally:
        tally.seconds += time.perf_counter() - started


@contextmanager
def _reading(source: Path) -> Iterator[None]:
    """Whatever Pillow raises for a file that is not a whole, allowed image, as ImageUnreadable (the messages
    name the file without its folder); a file that vanished stays a FileNotFoundError."""
    try:
        with warnings.catch_warnings(), _whole_images_only():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            yield
    except ImageUnreadable:
        raise
    except UnidentifiedImageError as error:
        raise ImageUnreadable(f"not a {', '.join(FORMATS)} image") from error
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ImageUnreadable(str(error)) from error
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        if isinstance(error, FileNotFoundError):
            raise
        raise ImageUnreadable(str(error).replace(str(source), source.name) or type(error).__name__) from error


def _resized(data: bytes, source: Path, copies: list[tuple[Copy, str]]) -> dict[str, bytes]:
    """Each copy (by its cache key) of the image in `data`: upright, in sRGB, resized, saved without metadata."""
    made = {}
    with _reading(source), Image.open(io.BytesIO(data), formats=FORMATS) as image:
        _frames_within_limit(image)
        upright = _to_srgb(ImageOps.exif_transpose(image))
        resized: dict[tuple[int, int, str], Image.Image] = {}
        webp: dict[tuple[int, int], bytes] = {}
        for copy, key in sorted(copies, key=lambda item: item[0].format == "avif"):  # an AVIF needs its WebP
            pixels = _pixels(upright, copy, resized)
            if copy.format == "avif":
                if (copy.width, copy.height) not in webp:  # the WebP came from the cache: made again, the same
                    webp[copy.width, copy.height] = _encoded(_pixels(upright, replace(copy, format="webp"), resized),
                                                             "webp")
                made[key] = _avif(pixels, len(webp[copy.width, copy.height]))
            else:
                made[key] = _encoded(pixels, copy.format)
                if copy.format == "webp":
                    webp[copy.width, copy.height] = made[key]
    return made


def _pixels(upright: Image.Image, copy: Copy, resized: dict[tuple[int, int, str], Image.Image]) -> Image.Image:
    """The upright pixels in the copy's size and mode (RGBA for a PNG, and for AVIF and WebP when the image has
    transparency), each size and mode resized once, with an `info` of their own that holds nothing."""
    alpha = copy.format == "png" or (copy.format in ("webp", "avif") and _has_alpha(upright))
    mode = "RGBA" if alpha else "RGB"
    if (copy.width, copy.height, mode) not in resized:
        pixels = upright.convert(mode) if upright.mode != mode else upright
        if pixels.size != (copy.width, copy.height):
            pixels = pixels.resize((copy.width, copy.height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        fresh = pixels.copy()
        fresh.info = {}  # nothing of the source's `info` may reach the file
        resized[copy.width, copy.height, mode] = fresh
    return resized[copy.width, copy.height, mode]


def _encoded(pixels: Image.Image, image_format: str, **options) -> bytes:
    out = io.BytesIO()
    if image_format == "avif":
        pixels.save(out, "AVIF", **(AVIF_OPTIONS | options))
    elif image_format == "webp":
        pixels.save(out, "WEBP", **WEBP_OPTIONS)
    elif image_format == "jpeg":
        pixels.save(out, "JPEG", **JPEG_OPTIONS)
    else:
        pixels.save(out, "PNG", optimize=True)
    return out.getvalue()


def _avif(pixels: Image.Image, webp_size: int) -> bytes:
    """The AVIF copy: at `AVIF_OPTIONS`, or, when that is larger than the WebP (`webp_size` bytes), the smaller of
    it and a second try at `AVIF_SMALLER_QUALITY`."""
    data = _encoded(pixels, "avif")
    if len(data) > webp_size:
        data = min(data, _encoded(pixels, "avif", quality=AVIF_SMALLER_QUALITY), key=len)
    return data


def _frames_within_limit(image: Image.Image) -> int:
    """The image's frame count; ImageUnreadable when all its frames together exceed MAX_PIXELS."""
    frames = getattr(image, "n_frames", 1)
    if image.width * image.height * frames > MAX_PIXELS:
        raise ImageUnreadable(f"{image.width} × {image.height} × {frames} pixels")
    return frames


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info


def _from_cache(cached: Path, destination: Path) -> bool:
    """Copy a cached file to `destination`; False when the cache has none (or it cannot be read)."""
    try:
        data = cached.read_bytes()
    except OSError:
        return False
    destination.parent.mkdir(parents=True, exist_ok=True)
    destination.write_bytes(data)
    return True


def _into_cache(cached: Path, data: bytes) -> None:
    """Store a made file in the cache, atomically (another build may read it at the same time); a cache that
    cannot be written only costs time."""
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".", dir=cached.parent)
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            os.replace(temporary, cached)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError:
        pass
