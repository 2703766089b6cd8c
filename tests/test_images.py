"""Pictures (issue 10): responsive copies made at build time, cached between builds, shown with their size, lazy
below the fold and first for a hero; captions and credits; the logo wall; the network's logo and favicon."""

from __future__ import annotations

import html
import io
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from PIL import Image

from generator import model as m
from generator import pipeline
from generator.catalogue import catalogue, sort_key
from generator.cli import main
from generator.images import (
    AVIF_OPTIONS,
    AVIF_SMALLER_QUALITY,
    Copy,
    Tally,
    measure,
    metadata_found,
    plan,
    publish_image,
    widths,
)
from generator.kinds import COOPERATION, ORGANIZATION, PROPOSAL
from generator.urls import UrlScheme

from .conftest import REPO

CONTENT = REPO / "content"
URLS = UrlScheme(catalogue("de").strings["sections"])
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif")
NOT_PAGES = ("admin/", "assets/", "search/")
"""The web editor and the theme's own files: no pages of ours."""


# --- reading the built site ---------------------------------------------------------------------------------------


class Tags(HTMLParser):
    """Every `<img>`, `<source>` and `<link>` of a page, with the `<picture>` it sits in and whether it is inside the
    page header or a card."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[dict] = []
        self.stack: list[tuple[str, dict]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = {key: value or "" for key, value in attrs}
        if tag in ("img", "source", "link"):
            self.found.append({"tag": tag, **attributes, "_inside": [name for name, _ in self.stack],
                               "_classes": " ".join(a.get("class", "") for _, a in self.stack)})
        if tag not in ("img", "source", "link", "meta", "br", "input", "hr", "wbr"):
            self.stack.append((tag, attributes))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break


def tags(page: Path) -> list[dict]:
    parser = Tags()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.found


def pages(site: Path) -> list[Path]:
    found = []
    for page in sorted(site.rglob("*.html")):
        rel = page.relative_to(site).as_posix()
        if rel.startswith(NOT_PAGES) or 'http-equiv="refresh"' in page.read_text(encoding="utf-8"):
            continue  # the web editor, the theme's files, redirects of former ids
        found.append(page)
    return found


def target(site: Path, page: Path, link: str) -> Path:
    """The file a link on `page` leads to (root-absolute links, as on the 404 page, from the site root)."""
    path = unquote(urlsplit(link).path)
    if path.startswith("/"):
        return site / path.lstrip("/")
    return (page.parent / path).resolve()


def candidates(srcset: str) -> list[tuple[str, int]]:
    """(URL, width) of each candidate of a `srcset`."""
    found = []
    for candidate in srcset.split(","):
        url, descriptor = candidate.split()
        assert descriptor.endswith("w"), srcset
        found.append((url, int(descriptor[:-1])))
    return found


def page_of(site: Path, kind, entry_id: str) -> Path:
    return site / URLS.detail_url(kind, entry_id) / "index.html"


def front_matter(file: Path) -> dict:
    return yaml.safe_load(file.read_text(encoding="utf-8").split("---\n")[1])


def text_of(page: Path) -> str:
    return html.unescape(re.sub(r"\s+", " ", page.read_text(encoding="utf-8")))


# --- the built sample -------------------------------------------------------------------------------------------


def test_every_picture_names_existing_files_and_its_size(sample_site):
    pictures = 0
    for page in pages(sample_site):
        for tag in tags(page):
            if tag["tag"] == "img":
                assert target(sample_site, page, tag["src"]).is_file(), (page, tag["src"])
                if "md-logo" in tag["_classes"]:
                    continue  # the network's logo in Material's header, sized by the theme's CSS
                assert tag.get("width", "").isdigit() and tag.get("height", "").isdigit(), (page, tag)
                assert tag.get("alt") is not None, (page, tag)
            if tag["tag"] in ("img", "source") and tag.get("srcset"):
                assert tag.get("sizes"), (page, tag)
                for url, width in candidates(tag["srcset"]):
                    file = target(sample_site, page, url)
                    assert file.is_file(), (page, url)
                    with Image.open(file) as image:
                        assert image.width == width, (file, image.size)
                pictures += tag["tag"] == "source"
    assert pictures > 20  # cards, stories, proposals, logos


def pictures(page: Path) -> list[tuple[list[dict], dict]]:
    """The `<source>`s and the `<img>` of each `<picture>` of a page, in their order."""
    found, sources = [], []
    for tag in tags(page):
        if tag["tag"] == "source" and "picture" in tag["_inside"]:
            sources.append(tag)
        elif tag["tag"] == "img" and "picture" in tag["_inside"]:
            found.append((sources, tag))
            sources = []
    return found


def test_every_picture_offers_avif_then_webp_then_a_smaller_fallback_all_never_wider_than_the_original(
        sample_site):
    compared, sizes_of = 0, {"AVIF": 0, "WEBP": 0}
    for page in pages(sample_site):
        for sources, img in pictures(page):
            # the browser takes the first type it supports: AVIF, then WebP, then the <img> (JPEG or PNG)
            assert [tag["type"] for tag in sources] == ["image/avif", "image/webp"], (page, sources)
            avif, webp = (dict((w, u) for u, w in candidates(tag["srcset"])) for tag in sources)
            fallback = dict((w, u) for u, w in candidates(img["srcset"]))
            assert list(avif) == list(webp) == list(fallback), (page, sources, img)  # the same widths
            assert all(tag["sizes"] == img["sizes"] for tag in sources), (page, sources, img)
            original = target(sample_site, page, img["src"]).name.split(".")[0]
            sizes = {}
            for width in webp:
                fallback_file = target(sample_site, page, fallback[width])
                with Image.open(fallback_file) as image:
                    assert image.format in ("JPEG", "PNG")
                    sizes[width] = image.size
                for image_format, copies in (("AVIF", avif), ("WEBP", webp)):
                    file = target(sample_site, page, copies[width])
                    assert original in file.name and original in fallback_file.name
                    assert file.suffix == f".{image_format.lower()}", file
                    with Image.open(file) as image:
                        assert (image.format, image.size) == (image_format, sizes[width]), file
                        image.load()  # the whole picture decodes
                    assert file.stat().st_size < fallback_file.stat().st_size, (file, fallback_file)
                    sizes_of[image_format] += file.stat().st_size
                compared += 1
            # width/height: those of the widest copy, so the page keeps the picture's place while it loads
            assert (int(img["width"]), int(img["height"])) == sizes[max(sizes)], (page, img)
    assert compared > 20
    assert sizes_of["AVIF"] < 0.95 * sizes_of["WEBP"], sizes_of  # AVIF first only pays when it is smaller
    for source in (CONTENT / "images").rglob("*"):
        if source.suffix.lower() in IMAGE_SUFFIXES:
            assert all(width <= measure(source).width for width in widths(measure(source).width))


def test_no_published_image_carries_metadata(sample_site):
    files = [p for p in sample_site.rglob("*") if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file()]
    assert {".avif", ".webp", ".jpg", ".png"} <= {p.suffix for p in files}
    for file in files:
        assert metadata_found(file) == [], file
        with Image.open(file) as image:
            assert not image.getexif(), file
            assert not {key for key in image.info if "exif" in key.lower() or "xmp" in key.lower()}, (file, image.info)
        assert b"Exif\x00\x00" not in file.read_bytes() and b"<x:xmpmeta" not in file.read_bytes(), file


def test_the_hero_loads_first_and_the_thumbnails_lazily(sample_site):
    stories = [f for f in sorted((CONTENT / "cooperations").glob("*.md")) if front_matter(f).get("images")]
    assert stories
    for story in stories:
        page = page_of(sample_site, COOPERATION, story.stem)
        images = [t for t in tags(page) if t["tag"] == "img" and "sc-image" in t.get("class", "").split()]
        hero = images[0]
        assert "sc-image--hero" in hero["class"], (page, hero)
        assert hero.get("fetchpriority") == "high" and "loading" not in hero, (page, hero)
        assert all(t.get("loading") == "lazy" for t in images[1:]), page
        # the hero comes before the story's heading
        text = page.read_text(encoding="utf-8")
        assert text.index("sc-image--hero") < text.index("<h1")
    for proposal in sorted((CONTENT / "proposals").glob("*.md")):
        data = front_matter(proposal)
        page = page_of(sample_site, PROPOSAL, proposal.stem)
        if data.get("image") and page.is_file():
            [image] = [t for t in tags(page) if t["tag"] == "img" and "sc-image--wide" in t.get("class", "")]
            assert image.get("fetchpriority") == "high" and "loading" not in image
    thumbnails = [t for t in tags(sample_site / "index.html") if "sc-card__image" in t.get("class", "")]
    assert len(thumbnails) >= 3
    assert all(t.get("loading") == "lazy" and t.get("decoding") == "async" for t in thumbnails)
    assert all("article" in t["_inside"] for t in thumbnails)


def test_captions_and_credits_from_the_content_appear_with_the_picture(sample_site):
    shown = 0
    for story in sorted((CONTENT / "cooperations").glob("*.md")):
        text = text_of(page_of(sample_site, COOPERATION, story.stem))
        for image in front_matter(story).get("images", []):
            if isinstance(image, dict):
                for key in ("caption", "credit"):
                    if image.get(key):
                        assert image[key] in text, (story, image[key])
                        shown += 1
                if image.get("credit") and ":" not in image["credit"]:
                    assert f"Foto: {image['credit']}" in text
    assert shown >= 4
    credits = 0
    for proposal in sorted((CONTENT / "proposals").glob("*.md")):
        data = front_matter(proposal)
        page = page_of(sample_site, PROPOSAL, proposal.stem)
        if data.get("image_credit") and page.is_file():
            assert data["image_credit"] in text_of(page)
            credits += 1
    assert credits >= 1


def engaged_companies_with_logos() -> dict[str, str]:
    """id → name of the companies with a logo that take part in anything public, from the content files."""
    organizations = {f.stem: yaml.safe_load(f.read_text(encoding="utf-8"))
                     for f in (CONTENT / "organizations").glob("*.yml")}
    involved: set[str] = set()
    for file in (CONTENT / "cooperations").glob("*.md"):
        data = front_matter(file)
        involved |= {data["organization"]} if data.get("organization") else set()
        involved |= set(data.get("recipients", []))
        involved |= {p["organization"] for p in data.get("partners", []) if p.get("organization")}
    for file in (CONTENT / "proposals").glob("*.md"):
        data = front_matter(file)
        if data.get("status", "submitted") in m.PUBLIC_STATUSES:
            involved.add(data["organization"])
    for file in (CONTENT / "offers").glob("*.md"):
        data = front_matter(file)
        if data.get("status", "open") in m.PUBLIC_OFFER_STATUSES and data.get("organization"):
            involved.add(data["organization"])
    for file in (CONTENT / "events").glob("*.md"):
        involved |= set(front_matter(file).get("organizers", []))
    return {key: org["name"] for key, org in organizations.items()
            if key in involved and org.get("kind") == "company" and org.get("logo")}


@pytest.mark.parametrize("listing", ["home", "organizations"])
def test_the_logo_wall_shows_exactly_the_engaged_companies_with_a_logo(sample_site, listing):
    expected = engaged_companies_with_logos()
    assert len(expected) >= 3
    page = sample_site / (URLS.url(URLS.home() if listing == "home" else URLS.organizations())) / "index.html"
    text = page.read_text(encoding="utf-8")
    start = text.index('class="sc-logo-wall"')
    wall = text[start: text.index("</section>", start)]
    assert "Diese Unternehmen sind dabei" in wall
    parser = Tags()
    parser.feed(wall)
    logos = [t for t in parser.found if t["tag"] == "img"]
    links = re.findall(r'<a href="([^"]+)"', wall)
    assert [html.unescape(t["alt"]) for t in logos] == sorted(expected.values(), key=lambda n: sort_key(n, "de"))
    for link, (key, _) in zip(links, sorted(expected.items(), key=lambda item: sort_key(item[1], "de")),
                              strict=True):
        assert target(sample_site, page, link) == page_of(sample_site, ORGANIZATION, key).parent.resolve()
    assert all(t.get("loading") == "lazy" and t.get("width") for t in logos)


def test_the_network_logo_and_favicon_are_on_every_page(sample_site):
    config = yaml.safe_load((REPO / "site_config.yml").read_text(encoding="utf-8"))["site"]
    logo = sample_site / URLS.image(config["logo"])
    favicon = sample_site / URLS.image(config["favicon"])
    assert logo.is_file() and favicon.is_file()
    assert metadata_found(logo) == [] and metadata_found(favicon) == []
    checked = pages(sample_site)
    assert len(checked) > 50
    for page in checked:
        found = tags(page)
        icons = [t for t in found if t["tag"] == "link" and t.get("rel") == "icon"]
        assert [target(sample_site, page, t["href"]) for t in icons] == [favicon.resolve()], page
        in_header = [t for t in found if t["tag"] == "img" and "header" in t["_inside"]]
        assert logo.resolve() in {target(sample_site, page, t["src"]) for t in in_header}, page


# --- the cache --------------------------------------------------------------------------------------------------

PROGRESS = re.compile(r"Bilder: ([\d.]+) neu, ([\d.]+) aus dem Zwischenspeicher \(([\d,]+) s\)")


def build_and_count(out: Path) -> tuple[int, int]:
    lines: list[str] = []
    checked = pipeline.check(REPO / "site_config.yml")
    built = pipeline.build(checked, out, lines.append)
    assert built.written, built.diagnostics
    [match] = [PROGRESS.fullmatch(line) for line in lines if PROGRESS.fullmatch(line)]
    return int(match.group(1).replace(".", "")), int(match.group(2).replace(".", ""))


def test_a_second_build_takes_the_resized_images_from_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("SHOWCASE_CACHE", str(tmp_path / "cache"))
    first, second = tmp_path / "first", tmp_path / "second"
    written, reused = build_and_count(first)
    assert written > 30 and reused == 0
    cached = sorted(p.name for p in (tmp_path / "cache" / "images").rglob("*") if p.is_file())
    assert len(cached) == written
    assert {name.rsplit(".", 1)[1] for name in cached} >= {"avif", "webp", "jpg", "png"}
    assert build_and_count(second) == (0, written)  # every copy, the AVIF ones too, from the cache
    images = {p.relative_to(first): p.read_bytes() for p in first.rglob("*") if p.suffix in IMAGE_SUFFIXES}
    assert images == {p.relative_to(second): p.read_bytes() for p in second.rglob("*") if p.suffix in IMAGE_SUFFIXES}


# --- images.py on its own ---------------------------------------------------------------------------------------


def photo_with_metadata(size: tuple[int, int], orientation: int) -> bytes:
    image = Image.new("RGB", size, (200, 120, 30))
    exif = Image.Exif()
    exif[0x013B] = "Erika Geheim"  # Artist
    exif[0x0112] = orientation
    exif.get_ifd(0x8825).update({1: "N", 2: (49.0, 14.0, 3.5)})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=b"Erika Geheim", xmp=b"<x:xmpmeta>Erika Geheim</x:xmpmeta>")
    return out.getvalue()


def test_copies_are_upright_sized_clean_and_cached(tmp_path):
    source = tmp_path / "foto.jpg"
    source.write_bytes(photo_with_metadata((2000, 1000), orientation=6))  # turned: upright it is 1000 × 2000
    measured = measure(source)
    assert (measured.width, measured.height, measured.alpha) == (1000, 2000, False)
    copies = plan(measured)
    assert [(c.width, c.height, c.format) for c in copies] == [
        (480, 960, "avif"), (480, 960, "webp"), (480, 960, "jpeg"),
        (960, 1920, "avif"), (960, 1920, "webp"), (960, 1920, "jpeg"),
        (1000, 2000, "avif"), (1000, 2000, "webp"), (1000, 2000, "jpeg")]
    cache, tally = tmp_path / "cache", Tally()
    wanted = [(tmp_path / "out" / f"{c.width}.{c.suffix}", c) for c in copies]
    publish_image(source, tmp_path / "out" / "foto.jpg", wanted, cache, tally)
    assert (tally.written, tally.reused) == (10, 0)
    for path, copy in wanted:
        assert metadata_found(path) == []
        assert b"Erika Geheim" not in path.read_bytes()
        with Image.open(path) as image:
            assert (image.format, image.size) == ({"jpeg": "JPEG", "webp": "WEBP", "avif": "AVIF"}[copy.format],
                                                  (copy.width, copy.height))
            assert not image.getexif() and "xmp" not in image.info and "icc_profile" not in image.info
    again = Tally()
    publish_image(source, tmp_path / "again" / "foto.jpg", [(tmp_path / "again" / p.name, c) for p, c in wanted],
                  cache, again)
    assert (again.written, again.reused) == (0, 10)
    # made anew without the cache: the same bytes (a build is reproducible, with or without a cache)
    fresh = Tally()
    publish_image(source, tmp_path / "fresh" / "foto.jpg", [(tmp_path / "fresh" / p.name, c) for p, c in wanted],
                  None, fresh)
    assert fresh.written == 10
    assert all((tmp_path / "fresh" / p.name).read_bytes() == p.read_bytes() for p, _ in wanted)


def avif_tries(source: Path) -> dict[int, bytes]:
    """The AVIF copy of a logo in its own size, at the usual and at the smaller quality."""
    with Image.open(source) as image:
        pixels = image.convert("RGBA")
    tries = {}
    for quality in (AVIF_OPTIONS["quality"], AVIF_SMALLER_QUALITY):
        out = io.BytesIO()
        pixels.save(out, "AVIF", **(AVIF_OPTIONS | {"quality": quality}))
        tries[quality] = out.getvalue()
    return tries


@pytest.mark.parametrize(("logo", "larger"), [("lindenberg-versicherung", True), ("ankommen-nordstadt", False)])
def test_an_avif_copy_larger_than_its_webp_is_made_again_smaller(tmp_path, logo, larger):
    # A simple flat logo: WebP does well there, AVIF at its usual quality is larger; a detailed one: AVIF wins.
    source = CONTENT / f"images/logos/{logo}.png"
    copies = [c for c in plan(measure(source)) if c.format in ("avif", "webp")]
    publish_image(source, tmp_path / "logo.png", [(tmp_path / f"logo.{c.suffix}", c) for c in copies], None,
                  Tally())
    tries = avif_tries(source)
    webp = (tmp_path / "logo.webp").stat().st_size
    assert (len(tries[AVIF_OPTIONS["quality"]]) > webp) == larger  # else this logo tests nothing
    expected = min(tries.values(), key=len) if larger else tries[AVIF_OPTIONS["quality"]]
    assert (tmp_path / "logo.avif").read_bytes() == expected


def test_avif_metadata_is_found_in_the_file_itself(tmp_path):
    exif = Image.Exif()
    exif[0x013B] = "Erika Geheim"
    exif.get_ifd(0x8825).update({1: "N", 2: (49.0, 14.0, 3.5)})
    picture = Image.new("RGB", (64, 40), (200, 120, 30))
    for name, options, kinds in (("clean", {}, []), ("exif", {"exif": exif}, ["exif"]),
                                 ("xmp", {"xmp": b"<x:xmpmeta>Erika Geheim</x:xmpmeta>"}, ["xmp"]),
                                 ("both", {"exif": exif, "xmp": b"<x:xmpmeta/>"}, ["exif", "xmp"])):
        file = tmp_path / f"{name}.avif"
        picture.save(file, "AVIF", **options)
        assert metadata_found(file) == kinds, name
    # read from the boxes too, not only through libavif: a box of its own (XMP in a `uuid` box) is reported
    clean = (tmp_path / "clean.avif").read_bytes()
    (tmp_path / "uuid.avif").write_bytes(clean + (24).to_bytes(4, "big") + b"uuid" + bytes(16))
    assert metadata_found(tmp_path / "uuid.avif") == ["box:uuid"]
    (tmp_path / "cut.avif").write_bytes(clean[:len(clean) // 2])
    assert metadata_found(tmp_path / "cut.avif") == ["unreadable"]


def test_a_photo_with_gps_in_its_exif_publishes_avif_copies_without_it(project, tmp_path):
    root = project("minimal")
    photo = root / "content/images/laptops.png"
    exif = Image.Exif()
    exif[0x013B] = "Erika Geheim"
    exif[0x0112] = 6  # turned by a quarter: the copies are upright, 40 × 64
    exif.get_ifd(0x8825).update({1: "N", 2: (49.0, 14.0, 3.5), 3: "E", 4: (8.0, 24.0, 1.5)})
    Image.new("RGB", (64, 40), (200, 120, 30)).save(photo, "PNG", exif=exif)
    assert metadata_found(photo) == ["exif"]
    out = tmp_path / "out"
    assert main(["build", "--config", str(root / "site_config.yml"), "--out", str(out), "--quiet"]) == 0
    [copy] = sorted(out.rglob("laptops.png.*w.avif"))
    assert copy.name == "laptops.png.40w.avif"
    with Image.open(copy) as image:
        assert (image.format, image.size) == ("AVIF", (40, 64))
        assert not image.getexif() and not image.info.get("exif")
    assert metadata_found(copy) == []
    assert b"Erika Geheim" not in copy.read_bytes() and b"Exif" not in copy.read_bytes()
    page = (out / "index.html").read_text(encoding="utf-8")
    assert 'type="image/avif" srcset="bilder/laptops.png.40w.avif 40w"' in page


def test_without_avif_in_pillow_the_pictures_offer_webp_first(project, tmp_path, monkeypatch):
    from PIL import features

    supported = features.check
    monkeypatch.setattr(features, "check", lambda feature: False if feature == "avif" else supported(feature))
    assert [c.format for c in plan(measure(CONTENT / "images/proposals/garten.jpg"))] == ["webp", "jpeg"] * 2
    root = project("minimal")
    out = tmp_path / "out"
    assert main(["build", "--config", str(root / "site_config.yml"), "--out", str(out), "--quiet"]) == 0
    assert not list(out.rglob("*.avif"))
    assert list(out.rglob("*.webp"))
    for page in pages(out):
        for sources, _ in pictures(page):
            assert [tag["type"] for tag in sources] == ["image/webp"], page


def test_transparent_images_fall_back_to_png_and_small_ones_are_never_enlarged(tmp_path):
    source = tmp_path / "logo.png"
    Image.new("RGBA", (300, 100), (0, 128, 0, 128)).save(source)
    assert [(c.width, c.format) for c in plan(measure(source))] == [(300, "avif"), (300, "webp"), (300, "png")]
    assert widths(3000) == [480, 960, 1440] and widths(640) == [480, 640] and widths(100) == [100]
    tally = Tally()
    publish_image(source, tmp_path / "logo-whole.png", [(tmp_path / "logo.300w.png", Copy(300, 100, "png")),
                                                        (tmp_path / "logo.300w.avif", Copy(300, 100, "avif"))],
                  None, tally)
    with Image.open(tmp_path / "logo.300w.png") as image:
        assert image.mode == "RGBA" and image.getpixel((5, 5)) == (0, 128, 0, 128)
    with Image.open(tmp_path / "logo.300w.avif") as image:  # lossy, but as transparent
        assert image.mode == "RGBA" and abs(image.getpixel((5, 5))[3] - 128) <= 2


# --- validate: the network's logo and favicon ---------------------------------------------------------------------


def test_a_missing_logo_or_a_broken_favicon_is_an_error_at_its_line(project, in_dir, capsys):
    root = project("minimal")
    config = root / "site_config.yml"
    lines = config.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("  language:")) + 1
    lines[at:at] = ['  logo: "logos/fehlt.png"\n', '  favicon: "kaputt.png"\n']
    config.write_text("".join(lines), encoding="utf-8")
    (root / "content/images/kaputt.png").write_bytes(b"kein Bild, nur Text")
    checked = pipeline.check(config)
    found = {(d.path, d.line, d.field, d.code) for d in checked.diagnostics if d.severity == "error"}
    assert ("site_config.yml", at + 1, "site.logo", "image-not-found") in found
    assert ("site_config.yml", at + 2, "site.favicon", "image-broken") in found
    assert checked.exit_code == pipeline.ExitCode.CONTENT
    in_dir(root)
    assert main(["validate"]) == 1
    output = capsys.readouterr().out
    assert f"site_config.yml:{at + 1}:" in output and "content/images/logos/fehlt.png" in output


# --- the privacy gate ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("image_format", ["webp", "avif"])
def test_the_gate_checks_the_resized_copies_and_names_their_content_image(project, tmp_path, image_format):
    from generator.gate import scan_for_leaks

    root = project("minimal")
    out = tmp_path / "out"
    assert main(["build", "--config", str(root / "site_config.yml"), "--out", str(out), "--quiet"]) == 0
    copies = sorted(out.rglob(f"laptops.png.*w.{image_format}"))
    assert copies
    exif = Image.Exif()
    exif[0x013B] = "Erika Geheim"
    # as if a future code path kept the metadata
    Image.new("RGB", (8, 8)).save(copies[0], image_format.upper(), exif=exif)
    checked = pipeline.check(root / "site_config.yml")
    [problem] = scan_for_leaks(checked.content, out, "out", "de")
    assert (problem.path, problem.code) == ("content/images/laptops.png", "image-metadata")
    assert copies[0].name in problem.message
