"""Issue 9, privacy: nothing internal leaves through image metadata, encodings or other notations, no false alarms,
every gate error at the content file that owns the secret, and removal that reaches every output file."""

from __future__ import annotations

import gzip
import html
import io
import json
from pathlib import Path

import pytest
from PIL import Image, ImageCms
from PIL.PngImagePlugin import PngInfo

from generator import pipeline
from generator.cli import main
from generator.gate import Matcher, Secret, fold, national_phone, scan_for_leaks

INTERNAL = "content/proposals/geheimer-antrag.md"
INTERNAL_TITLE = "Interner Entwurf Zauberwort"
PRIVATE_PHONE = "0681 999999"  # contact.phone of the internal fixture proposal, line 13
SECRET_OWNER = "Erika Geheimfotografin"
SECRET_GPS_NOTE = "Hinterhof Lindenweg"
SECRET_TEXT_CHUNK = "Geheimer Kommentar im PNG"


@pytest.fixture
def root(project, in_dir) -> Path:
    """The minimal fixture in a temporary folder, also the working directory (paths show as `content/…`)."""
    return in_dir(project("minimal"))


def build(root: Path, out: Path, *extra: str) -> int:
    return main(["build", "--config", str(root / "site_config.yml"), "--out", str(out), "--quiet", *extra])


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def override(root: Path, part: str, text: str) -> None:
    target = root / "templates" / part
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def output_texts(out: Path) -> dict[str, str]:
    """Every built file as text a search would find things in: gzip opened, entities and JSON escapes undone."""
    texts = {}
    for file in sorted(p for p in out.rglob("*") if p.is_file()):
        raw = file.read_bytes()
        if file.suffix == ".gz":
            raw = gzip.decompress(raw)
        text = raw.decode("utf-8", errors="replace")
        if file.suffix == ".json":
            text += json.dumps(json.loads(text), ensure_ascii=False)
        texts[file.relative_to(out).as_posix()] = html.unescape(text)
    return texts


# --- images: re-encoded without metadata --------------------------------------------------------------------------


def jpeg_with_metadata(orientation: int = 6) -> bytes:
    image = Image.new("RGB", (40, 20), (200, 30, 30))
    exif = Image.Exif()
    exif[0x013B] = SECRET_OWNER  # Artist
    exif[0x8298] = SECRET_OWNER  # Copyright
    exif[0x010E] = SECRET_GPS_NOTE  # ImageDescription
    exif[0x0112] = orientation
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (49.0, 14.0, 3.5), 3: "E", 4: (7.0, 0.0, 12.25)})
    out = io.BytesIO()
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    image.save(out, "JPEG", exif=exif, comment=SECRET_OWNER.encode(), icc_profile=icc,
               xmp=f"<x:xmpmeta><dc:creator>{SECRET_OWNER}</dc:creator></x:xmpmeta>".encode())
    return out.getvalue()


def png_with_text_chunk() -> bytes:
    info = PngInfo()
    info.add_text("Comment", SECRET_TEXT_CHUNK)
    info.add_itxt("Author", SECRET_OWNER)
    exif = Image.Exif()
    exif[0x013B] = SECRET_OWNER
    out = io.BytesIO()
    Image.new("RGBA", (16, 16), (0, 128, 0, 128)).save(out, "PNG", pnginfo=info, exif=exif)
    return out.getvalue()


def assert_clean(file: Path) -> None:
    data = file.read_bytes()
    for secret in (SECRET_OWNER, SECRET_GPS_NOTE, SECRET_TEXT_CHUNK):
        assert secret.encode() not in data, (file, secret)
    with Image.open(file) as image:
        assert not image.getexif(), file
        assert not {"exif", "xmp", "comment", "icc_profile", "photoshop"} & set(image.info), image.info
        assert not getattr(image, "text", {}), file


def test_published_images_carry_no_metadata(root, tmp_path):
    images = root / "content/images"
    assert SECRET_OWNER.encode() in jpeg_with_metadata() and SECRET_TEXT_CHUNK.encode() in png_with_text_chunk()
    (images / "foto.jpg").write_bytes(jpeg_with_metadata())
    (images / "laptops.png").write_bytes(png_with_text_chunk())
    story = root / "content/cooperations/frischer-anstrich.md"
    story.write_text(story.read_text(encoding="utf-8").replace('src: "laptops.png"', 'src: "foto.jpg"'))
    out = tmp_path / "out"
    assert build(root, out) == 0
    jpeg, png = next(out.rglob("foto.jpg")), next(out.rglob("laptops.png"))
    assert_clean(jpeg)
    assert_clean(png)
    with Image.open(jpeg) as image:
        assert image.format == "JPEG" and image.size == (20, 40)  # turned upright by its EXIF orientation
    with Image.open(png) as image:
        assert image.format == "PNG" and image.mode == "RGBA" and image.getpixel((3, 3)) == (0, 128, 0, 128)


def test_a_damaged_image_fails_the_build_and_keeps_the_previous_site(root, tmp_path, capsys):
    out = tmp_path / "out"
    assert build(root, out) == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    png = (root / "content/images/laptops.png").read_bytes()
    (root / "content/images/laptops.png").write_bytes(png[: len(png) // 2])  # header fine, pixel data cut off
    capsys.readouterr()
    assert build(root, out) == 1
    output = capsys.readouterr().out
    assert "content/images/laptops.png:1:1: error[image-unreadable]" in output
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_the_gate_refuses_any_published_image_with_metadata(root, tmp_path, capsys):
    override(root, "assets/hintergrund.png", "")
    (root / "templates/assets/hintergrund.png").write_bytes(png_with_text_chunk())
    out = tmp_path / "out"
    assert build(root, out) == 1
    output = capsys.readouterr().out
    assert "error[image-metadata]" in output and "hintergrund.png" in output
    assert not out.exists()


def test_the_gate_names_the_content_image_a_metadata_leak_came_from(root, tmp_path):
    out = tmp_path / "out"
    assert build(root, out) == 0
    leaked = next(out.rglob("laptops.png"))
    leaked.write_bytes(png_with_text_chunk())  # as if a future code path copied the original
    checked = pipeline.check(root / "site_config.yml")
    [problem] = scan_for_leaks(checked.content, out, "out", "en")
    assert (problem.path, problem.code, problem.severity) == ("content/images/laptops.png", "image-metadata", "error")
    assert leaked.relative_to(tmp_path).as_posix() in problem.message


# --- encodings: normalised before matching ------------------------------------------------------------------------

SMUGGLED = {
    "soft hyphen entity": "Interner Ent&shy;wurf Zauber&shy;wort",
    "percent-encoded link": "[mehr](https://suche.beispiel-netz.de/?q=Interner%20Entwurf%20Zauberwort)",
    "full-width letters": "Ｉｎｔｅｒｎｅｒ Ｅｎｔｗｕｒｆ Ｚａｕｂｅｒｗｏｒｔ",
    "numeric entities": "&#73;nterner &#x45;ntwurf Zauberwort",
    "plus-encoded query": "[mehr](https://suche.beispiel-netz.de/?q=Interner+Entwurf+Zauberwort)",
}


@pytest.mark.parametrize("encoding", SMUGGLED)
def test_an_encoded_internal_title_in_a_public_story_is_caught(root, tmp_path, capsys, encoding):
    append(root / "content/cooperations/frischer-anstrich.md", f"\n\nSiehe {SMUGGLED[encoding]}.\n")
    capsys.readouterr()
    assert build(root, tmp_path / "out") == 1
    output = capsys.readouterr().out
    assert f"{INTERNAL}:2:" in output and "error[privacy-leak]" in output
    assert not (tmp_path / "out").exists()


INVISIBLE = {
    "zero-width space": "Interner Ent\u200bwurf Zauberwort",
    "soft hyphen": "Interner Ent\u00adwurf Zauber\u00adwort",
    "word joiner and BOM": "Interner\u2060 Entwurf \ufeffZauberwort",
    "bidi controls": "\u202aInterner Entwurf\u202c \u2067Zauberwort\u2069",
    "upper case": "INTERNER ENTWURF ZAUBERWORT",
    "split by inline tags": "Interner Ent<b>wurf</b> Zauber<span>wort</span>",
}


@pytest.mark.parametrize("variant", INVISIBLE)
def test_an_internal_title_hidden_in_a_theme_file_is_caught(root, tmp_path, capsys, variant):
    override(root, "overrides/partials/copyright.html", f"<p>{INVISIBLE[variant]}</p>\n")
    capsys.readouterr()
    assert build(root, tmp_path / "out") == 1
    assert f"{INTERNAL}:2:" in capsys.readouterr().out


def test_fold_unifies_the_encodings():
    assert {fold(text) for text in [*INVISIBLE.values()][:5]} == {"interner entwurf zauberwort"}
    assert fold("Zauber%C3%A4wort 100% &amp;") == "zauberäwort 100% &"


# --- phone numbers in any notation -------------------------------------------------------------------------------

NOTATIONS = ["0681 999999", "0681/999999", "0681-999999", "+49 681 999999", "+49 (0)681 999999",
             "(0681) 99 99 99", "0049681999999", "+49-681-99 99 99", "0681 99 99 99"]


@pytest.mark.parametrize("notation", NOTATIONS)
def test_a_private_phone_number_is_caught_in_any_notation(root, tmp_path, capsys, notation):
    assert national_phone(notation) == "0681999999"
    append(root / "content/pages/ueber-uns.md", f"\nRufen Sie {notation} an.\n")
    capsys.readouterr()
    assert build(root, tmp_path / "out") == 1
    output = capsys.readouterr().out
    assert f"{INTERNAL}:13:" in output and "error[privacy-leak]" in output and "ueber-uns/index.html" in output


def test_a_longer_number_that_contains_the_private_one_is_not_it():
    matcher = Matcher([Secret("0681999999", "x: contact.phone", "x", kind="phone")])
    assert matcher.find(fold("Tel. 0681 9999991 oder 10681 999999")) == set()
    assert matcher.find(fold("Kontonummer 20 0681 999999 12"))  # groups: the number stands on its own


# --- no false alarms ---------------------------------------------------------------------------------------------


def test_an_internal_id_inside_a_public_url_or_word_is_no_leak(root, tmp_path, capsys):
    proposals = root / "content/proposals"
    internal = (proposals / "geheimer-antrag.md").read_text(encoding="utf-8")
    (proposals / "jugend-treff.md").write_text(internal.replace(INTERNAL_TITLE, "Kickertisch für den Keller"))
    public = (proposals / "laptops-fuer-den-jugendtreff.md").read_text(encoding="utf-8")
    (proposals / "jugend-treff-2.md").write_text(public.replace("Laptops für den Jugendtreff", "Drucker gesucht"))
    append(root / "content/pages/ueber-uns.md", "\nDer Jugend-Treffpunkt ist montags offen.\n")
    capsys.readouterr()
    assert build(root, tmp_path / "out") == 0, capsys.readouterr().out
    assert "privacy-leak" not in capsys.readouterr().out
    matcher = Matcher([Secret("jugend-treff", "x: id", "x", kind="token")])
    assert matcher.find(fold("/vorschlaege/jugend-treff-2/ Jugend-Treffpunkt jugend-treff_x")) == set()
    assert matcher.find(fold('<a href="/vorschlaege/jugend-treff/">'))


# --- diagnostics at the file that owns the secret ----------------------------------------------------------------


def test_a_gate_error_names_the_owning_content_file_and_the_built_file(root, tmp_path):
    override(root, "overrides/partials/copyright.html", f"<p>{INTERNAL_TITLE} intern-geheim@example.org</p>\n")
    checked = pipeline.check(root / "site_config.yml")
    built = pipeline.build(checked, tmp_path / "out")
    leaks = [d for d in built.diagnostics if d.code == "privacy-leak"]
    assert leaks and not built.written
    assert {d.path for d in leaks} == {INTERNAL}
    title = next(d for d in leaks if d.field == "title")
    assert (title.line, title.severity) == (2, "error") and f"`{tmp_path / 'out'}/" in title.message
    assert any(d.field == "contact.email" and d.line == 12 for d in leaks)


# --- removal reaches every output file ---------------------------------------------------------------------------


def test_a_proposal_set_back_to_submitted_disappears_everywhere(root, tmp_path):
    proposal = root / "content/proposals/laptops-fuer-den-jugendtreff.md"
    (root / "content/images/nur-laptops.png").write_bytes((root / "content/images/logo.png").read_bytes())
    proposal.write_text(proposal.read_text(encoding="utf-8").replace('"laptops.png"', '"nur-laptops.png"'))
    out = tmp_path / "out"
    assert build(root, out) == 0
    texts = output_texts(out)
    assert any("Laptops für den Jugendtreff" in text for text in texts.values())
    assert any(name.endswith("nur-laptops.png") for name in texts)
    proposal.write_text(proposal.read_text(encoding="utf-8").replace("status: open", "status: submitted"))
    assert build(root, out) == 0
    assert_gone(out, ["Laptops für den Jugendtreff", "laptops-fuer-den-jugendtreff", "nur-laptops"])


def test_a_deleted_story_disappears_everywhere(root, tmp_path):
    story = root / "content/cooperations/frischer-anstrich.md"
    (root / "content/images/anstrich.png").write_bytes((root / "content/images/logo.png").read_bytes())
    story.write_text(story.read_text(encoding="utf-8").replace('"laptops.png"', '"anstrich.png"'))
    out = tmp_path / "out"
    assert build(root, out) == 0
    assert any("Frischer Anstrich für den Jugendtreff" in text for text in output_texts(out).values())
    story.unlink()
    assert build(root, out) == 0
    assert_gone(out, ["Frischer Anstrich für den Jugendtreff", "frischer-anstrich", "anstrich.png",
                      "Der Raum ist jetzt unser Lieblingsort."])


def assert_gone(out: Path, needles: list[str]) -> None:
    texts = output_texts(out)
    assert any(name.endswith("sitemap.xml") for name in texts) and any("search" in name for name in texts)
    for needle in needles:
        assert not [name for name in texts if needle in name], needle
        assert not [name for name, text in texts.items() if needle in text], needle


def test_gif_frames_survive_without_comments_and_a_pixel_bomb_is_refused(tmp_path):
    from generator.images import ImageUnreadable, metadata_found, reencode

    frames = [Image.new("RGB", (8, 8), colour).convert("P") for colour in ((255, 0, 0), (0, 255, 0))]
    gif = tmp_path / "anim.gif"
    frames[0].save(gif, save_all=True, append_images=frames[1:], duration=200, loop=0, comment=SECRET_OWNER)
    assert metadata_found(gif) == ["comment"]
    clean = tmp_path / "clean.gif"
    clean.write_bytes(reencode(gif))
    assert SECRET_OWNER.encode() not in clean.read_bytes() and metadata_found(clean) == []
    with Image.open(clean) as image:
        assert image.n_frames == 2 and image.info["duration"] == 200
    bomb = tmp_path / "bomb.png"
    Image.new("1", (10_000, 10_000)).save(bomb)  # a few KB on disk, 100 million pixels unpacked
    with pytest.raises(ImageUnreadable):
        reencode(bomb)


def test_on_a_large_site_a_second_process_reads_half_the_files_and_misses_nothing(root, tmp_path, monkeypatch):
    """From `PARALLEL_FROM` files on, a helper process reads every other file: a leak on every page is reported for
    every page, in the order of the files, exactly as one process reports it."""
    from generator import gate

    site = tmp_path / "site"
    checked = pipeline.check(root / "site_config.yml")
    assert pipeline.build(checked, site).written
    pages = list(site.rglob("index.html"))
    for page in pages:
        append(page, f"<footer><p>{INTERNAL_TITLE}</p></footer>\n")
    monkeypatch.setattr(gate, "PARALLEL_FROM", 10**9)
    alone = scan_for_leaks(checked.content, site, "site", "de")
    read_here: list[Path] = []
    read_part = gate._read_part
    monkeypatch.setattr(gate, "_read_part", lambda files, *rest: read_here.extend(files) or read_part(files, *rest))
    monkeypatch.setattr(gate, "PARALLEL_FROM", 0)
    split = scan_for_leaks(checked.content, site, "site", "de")
    assert len(alone) == len(pages) > 10 and {d.code for d in alone} == {"privacy-leak"}
    assert split == alone
    texts, _ = gate.published_files(site)
    assert len(read_here) == (len(texts) + 1) // 2  # this process read every other file; the helper the rest
