"""Every internal link of the built site leads somewhere, and every theme, need kind and district in use has a page.

A broken link in an entry fails the build at the line of the content file that holds it (the previous site stays);
a facet that only completed proposals or stories use gets its page, which says that nothing is open and shows the
facet's success stories.
"""

from __future__ import annotations

import contextlib
import html
import io
import re
import shutil
from pathlib import Path

import pytest
import yaml

from generator import links
from generator import model as m
from generator.catalogue import catalogue
from generator.cli import main
from generator.kinds import COOPERATION, PROPOSAL
from generator.publish import _newest_cooperation_first, publish
from generator.urls import url_of

from .conftest import REPO, checked_project
from .html_checks import broken_links, internal_target, read_page

BODY_OF = "laptops-fuer-den-jugendtreff"
"""The open proposal of the minimal fixture whose body gets the links under test."""
OTHER = "raum-streichen"
"""A second public proposal of the minimal fixture (completed)."""


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def add_to_body(root: Path, proposal: str, text: str) -> tuple[str, int, int]:
    """Append a paragraph to a proposal's body; (file, line, column) of `text`'s link target in it."""
    rel = f"content/proposals/{proposal}.md"
    path = root / rel
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + f"\n\n{text}\n", encoding="utf-8")
    target = re.search(r"\]\(([^)]*)\)", text).group(1)
    lines = path.read_text(encoding="utf-8").splitlines()
    number = next(n for n, line in enumerate(lines, start=1) if target in line)
    return rel, number, lines[number - 1].index(target) + 1


def snapshot(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in site.rglob("*") if path.is_file()}


def build(root: Path, out: Path, capsys) -> tuple[int, str]:
    code = main(["build", "--config", str(root / "site_config.yml"), "--out", str(out), "--quiet"])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@pytest.fixture
def minimal(project, in_dir) -> Path:
    root = project("minimal")
    in_dir(root)  # diagnostics name files relative to the working directory
    return root


@pytest.fixture
def previous_site(minimal, tmp_path, capsys) -> Path:
    out = tmp_path / "site"
    code, output = build(minimal, out, capsys)
    assert code == 0, output
    return out


def test_a_link_to_a_missing_page_fails_the_build_at_its_line(minimal, previous_site, capsys):
    before = snapshot(previous_site)
    rel, line, column = add_to_body(minimal, BODY_OF, "Mehr steht im [Plan](../gibt-es-nicht/).")
    code, output = build(minimal, previous_site, capsys)
    assert code == 1, output
    reported = [row for row in output.splitlines() if "link-broken" in row]
    assert reported == [f"{rel}:{line}:{column}: error[link-broken]: "
                        f"{catalogue('de').message('link-broken', target='../gibt-es-nicht/')}"]
    assert snapshot(previous_site) == before, "the previous site must stay exactly as it was"
    assert not [p for p in previous_site.parent.iterdir() if p.name.startswith(f".{previous_site.name}.")]


def test_a_fragment_that_names_no_element_is_reported(minimal, previous_site, capsys):
    rel, line, _ = add_to_body(minimal, BODY_OF, f"Siehe [dort](../{OTHER}/#gibt-es-nicht).")
    code, output = build(minimal, previous_site, capsys)
    assert code == 1, output
    reported = [row for row in output.splitlines() if "link-broken" in row]
    assert len(reported) == 1 and reported[0].startswith(f"{rel}:{line}:"), output
    assert f"../{OTHER}/#gibt-es-nicht" in reported[0]


def test_a_fragment_of_the_same_page_that_names_no_element_is_reported(minimal, previous_site, capsys):
    rel, line, _ = add_to_body(minimal, BODY_OF, "Siehe [oben](#gibt-es-hier-nicht) und [zum Inhalt](#sc-main).")
    code, output = build(minimal, previous_site, capsys)
    assert code == 1, output
    reported = [row for row in output.splitlines() if "link-broken" in row]
    assert len(reported) == 1 and reported[0].startswith(f"{rel}:{line}:"), output
    assert "#gibt-es-hier-nicht" in reported[0] and "#sc-main" not in reported[0]


def test_on_a_large_site_a_second_process_checks_half_the_pages_and_misses_nothing(minimal, previous_site, capsys,
                                                                                 monkeypatch):
    """From `links.PARALLEL_FROM` pages on, a helper process checks every other page: the same broken links are
    reported, in the same order, as when one process checks them all."""
    add_to_body(minimal, BODY_OF, f"Siehe [weg](../gibt-es-nicht/), [dort](#nirgends) und [da](../{OTHER}/#nie).")
    alone = build(minimal, previous_site, capsys)
    checked_here: list[str] = []
    broken_in = links._broken_in
    monkeypatch.setattr(links, "_broken_in", lambda pages, *rest: checked_here.extend(pages)
                        or broken_in(pages, *rest))
    monkeypatch.setattr(links, "PARALLEL_FROM", 0)
    split = build(minimal, previous_site, capsys)
    assert split == alone and alone[0] == 1 and alone[1].count("link-broken") == 3, alone
    pages = [page for page in links.built_files(previous_site) if page.endswith(".html")
             and not page.startswith(links.NOT_OURS)]
    assert len(checked_here) == (len(pages) + 1) // 2 > 10, "this process checked every other page, the helper the rest"


def test_only_id_and_name_attributes_are_fragment_targets():
    """An attribute that merely ends in `id` or `name` (`valid`, `filename`) names no element; `data-id` counts,
    as it always has (`-` ends a word)."""
    text = '<p valid="a" filename="b" id="c"><a name=\'d\' data-id="e" data-name="f">x</a></p>'
    assert links.element_ids(text) == {"c", "d", "e", "f"}
    assert links.element_ids('id="g"') == {"g"}


def test_valid_links_to_another_proposal_and_to_one_of_its_elements_pass(minimal, previous_site, capsys):
    checked = checked_project(minimal)
    page = previous_site / url_of(checked.theme.urls.detail(PROPOSAL, OTHER)) / "index.html"
    ids = sorted(read_page(page.read_text(encoding="utf-8")).ids)
    assert ids, "the proposal page has elements to link to"
    add_to_body(minimal, BODY_OF, f"Wie beim [Gruppenraum](../{OTHER}/) und [dort](../{OTHER}/#{ids[0]}).")
    code, output = build(minimal, previous_site, capsys)
    assert code == 0, output
    assert "link-broken" not in output
    built = previous_site / url_of(checked.theme.urls.detail(PROPOSAL, BODY_OF)) / "index.html"
    assert f'href="../{OTHER}/"' in built.read_text(encoding="utf-8")


def test_a_broken_link_in_a_template_is_reported_at_the_template(minimal, previous_site, capsys):
    pages = minimal / "templates/pages"
    pages.mkdir(parents=True)
    source = REPO / "generator/theme/pages/home.html"
    (pages / "home.html").write_text(source.read_text(encoding="utf-8") + '<p><a href="fehlt/">x</a></p>\n',
                                     encoding="utf-8")
    code, output = build(minimal, previous_site, capsys)
    assert code == 1, output
    lines = (pages / "home.html").read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, start=1) if 'href="fehlt/"' in text)
    column = lines[line - 1].index("fehlt/") + 1
    assert [row.split(" ", 1)[0] for row in output.splitlines() if "link-broken" in row] == [
        f"templates/pages/home.html:{line}:{column}:"]


# --- the sample site ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> tuple[Path, Path, str]:
    """The sample network (content/ and site_config.yml) built once: (project, site, build output)."""
    root = tmp_path_factory.mktemp("sample") / "netz"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy2(REPO / "site_config.yml", root / "site_config.yml")
    out = root.parent / "site"
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
        code = main(["build", "--config", str(root / "site_config.yml"), "--out", str(out), "--quiet"])
    assert code == 0, printed.getvalue()
    return root, out, printed.getvalue()


def test_the_sample_site_builds_without_a_broken_link(sample):
    _, site, output = sample
    assert "link-broken" not in output
    assert broken_links(site) == {}, "a link the build's check let through"


def public_items(root: Path) -> list[tuple[str, str, dict]]:
    """(kind, id, front matter) of every public proposal and every cooperation of a project, from its files."""
    items = [(PROPOSAL.name, path.stem, front_matter(path))
             for path in sorted((root / "content/proposals").glob("*.md"))]
    items = [item for item in items if item[2]["status"] in m.PUBLIC_STATUSES]
    items += [(COOPERATION.name, path.stem, front_matter(path))
              for path in sorted((root / "content/cooperations").glob("*.md"))]
    return items


def facet_page(site: Path, urls, facet: str, key: str) -> Path:
    return site / url_of(urls.listing(facet, key)) / "index.html"


def links_of(site: Path, page: Path) -> set[str]:
    here = "/" + page.relative_to(site).as_posix()
    targets = (internal_target(here, link) for link in read_page(page.read_text(encoding="utf-8")).content_links)
    return {target[0] for target in targets if target is not None}


def test_every_theme_and_district_in_use_has_a_page(sample):
    root, site, _ = sample
    urls = checked_project(root).theme.urls
    for _, _, data in public_items(root):
        for key in data.get("themes", []):
            assert facet_page(site, urls, "theme", key).is_file(), key
        if data.get("district"):
            assert facet_page(site, urls, "district", data["district"]).is_file(), data["district"]


def test_a_theme_without_open_challenges_shows_its_stories_and_its_chips_link_there(sample):
    root, site, _ = sample
    checked = checked_project(root)
    urls, config = checked.theme.urls, yaml.safe_load((root / "site_config.yml").read_text(encoding="utf-8"))
    items = public_items(root)
    open_themes = {key for kind, _, data in items if kind == PROPOSAL.name and data["status"] == "open"
                   for key in data.get("themes", [])}
    stories = {identifier: data for kind, identifier, data in items if kind == COOPERATION.name
               and data.get("status", "completed") in m.DELIVERED_STATUSES}
    candidates = [key for kind, _, data in items
                  if (kind == COOPERATION.name and data.get("status", "completed") in m.DELIVERED_STATUSES)
                  or data.get("status") == "completed"
                  for key in data.get("themes", []) if key not in open_themes]
    assert candidates, "the sample needs a theme that only completed proposals or stories use"
    key = candidates[0]
    label = config["themes"][key]

    page = facet_page(site, urls, "theme", key)
    text = page.read_text(encoding="utf-8")
    assert html.escape(catalogue("de").text("proposals.theme_none", label=label), quote=False) in text
    shown = links_of(site, page)
    with_theme = [identifier for identifier, data in stories.items() if key in data.get("themes", [])]
    assert with_theme
    for identifier in with_theme:
        assert "/" + urls.detail_url(COOPERATION, identifier) in shown, identifier

    # Newest first, computed by publish; and every chip of every proposal and story links to its page.
    site_view = publish(checked.content, urls)
    listing = next(item for item in site_view.listings if (item.facet, item.key) == ("theme", key))
    assert listing.proposals == [] and listing.stories
    assert listing.stories == sorted(listing.stories, key=_newest_cooperation_first)
    facet_url = urls.url(urls.listing("theme", key))
    for item in [*site_view.proposals, *site_view.cooperations, *site_view.ongoing]:
        for theme in item.themes:
            assert theme.url == urls.url(urls.listing("theme", theme.key)), (item.id, theme.key)
        if item.district:
            assert item.district.url == urls.url(urls.listing("district", item.district.key)), item.id
    story = next(c for c in site_view.cooperations if c.id == with_theme[0])
    assert facet_url in [theme.url for theme in story.themes]

    # The completed proposal with that theme links its chip to the page.
    proposal = next(identifier for kind, identifier, data in items if kind == PROPOSAL.name
                    and key in data.get("themes", []))
    proposal_page = site / url_of(urls.detail(PROPOSAL, proposal)) / "index.html"
    assert "/" + facet_url in links_of(site, proposal_page)
    # Wherever the story page shows its themes, they link to their page too.
    story_page = site / url_of(urls.detail(COOPERATION, story.id)) / "index.html"
    for target in links_of(site, story_page):
        if target.startswith("/" + urls.url(urls.listing()) + urls.slugs["theme"] + "/"):
            assert (site / target.lstrip("/") / "index.html").is_file()
