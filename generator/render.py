"""Stage 5 — render: the public view → page fragments (HTML) from the Jinja templates in `templates/`.

Every content field is escaped by Jinja's autoescape; Markdown bodies are converted without extensions that let
content set attributes (no attr_list, no md_in_html) and then cleaned by nh3, an allow-list sanitiser, so no
script, event handler, iframe or non-http(s)/mailto URL can reach a page. Nothing is written here.
"""

from __future__ import annotations

import html
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
import markdown
import nh3
import yaml
from markupsafe import Markup

from .publish import HOME_OPEN_PROPOSALS, HOME_STORIES, Listing, Site

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "strong", "em", "b", "i", "a", "blockquote",
    "code", "pre", "hr", "table", "thead", "tbody", "tr", "th", "td", "del", "sup", "sub",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}, "ol": {"start"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
MARKDOWN_EXTENSIONS = ["tables", "sane_lists", "fenced_code"]


@dataclass
class RenderedPage:
    """One page of the site: where it goes, its title and description (plain text), and its HTML."""

    path: str
    """Source path inside MkDocs' docs_dir, e.g. `herausforderungen/laptops.md`."""
    title: str
    description: str
    html: str
    searchable: bool = True


@dataclass
class Renderer:
    templates: Path
    strings: dict[str, Any]
    language: str
    environment: jinja2.Environment = field(init=False)

    def __post_init__(self) -> None:
        self.environment = jinja2.Environment(
            loader=jinja2.FileSystemLoader(self.templates / "pages"),
            autoescape=True,
            auto_reload=False,  # templates do not change during a build; skip a stat() per page
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.environment.filters.update(
            markdown=render_markdown, date=self.format_date, number=self.format_number,
        )

    def format_number(self, value: float) -> str:
        digits = 0 if float(value).is_integer() else 1
        text = f"{value:,.{digits}f}"
        if self.language == "de":
            text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
        return text

    def format_date(self, value) -> str:
        month = self.strings["months"][value.month - 1]
        return f"{value.day}. {month} {value.year}" if self.language == "de" else f"{value.day} {month} {value.year}"

    def render(self, template: str, path: str, **context: Any) -> str:
        depth = url_of(path).count("/")
        base = "../" * depth
        return self.environment.get_template(template).render(
            t=self.strings, base=base, url=lambda target: base + target, **context
        )


def url_of(path: str) -> str:
    """`a/b.md` → `a/b/`, `a/index.md` → `a/`, `index.md` → `` (MkDocs' directory URLs)."""
    stem = path.removesuffix(".md")
    if stem == "index":
        return ""
    return stem.removesuffix("/index") + "/"


_MARKDOWN = markdown.Markdown(extensions=MARKDOWN_EXTENSIONS, output_format="html")


def render_markdown(text: str) -> Markup:
    """Markdown from content → safe HTML: converted without attribute-setting extensions, then sanitised."""
    # One converter, reset per document: building a Markdown instance costs more than converting a body.
    converted = _MARKDOWN.reset().convert(text)
    cleaned = nh3.clean(
        converted, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener nofollow",
    )
    return Markup(cleaned)


def load_strings(templates: Path, language: str) -> dict[str, Any]:
    with (templates / "i18n" / f"{language}.yml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


# --- the pages of the site ---------------------------------------------------------------------------------------


def render_site(site: Site, templates: Path) -> list[RenderedPage]:
    language = site.config.site.language
    strings = load_strings(templates, language)
    renderer = Renderer(templates, strings, language)
    sections = strings["sections"]
    pages = [render_home(site, renderer)]
    pages += render_listings(site, renderer, sections)
    pages += [render_proposal(site, renderer, sections, proposal) for proposal in site.proposals]
    pages += render_story_pages(site, renderer, sections)
    pages += render_organizations(site, renderer, sections)
    pages.append(render_impact(site, renderer, sections))
    pages += [
        RenderedPage(f"{page.id}.md", page.title, page.description or page.title,
                     renderer.render("page.html", f"{page.id}.md", page=page))
        for page in site.pages
    ]
    return pages


def paths(strings: dict[str, Any]) -> dict[str, str]:
    """URL of every section, relative to the site root (used by templates and by the nav)."""
    sections = strings["sections"]
    return {
        "proposals": f"{sections['proposals']}/",
        "stories": f"{sections['stories']}/",
        "organizations": f"{sections['organizations']}/",
        "impact": f"{sections['impact']}/",
    }


def render_home(site: Site, renderer: Renderer) -> RenderedPage:
    strings = renderer.strings
    html_text = renderer.render(
        "home.html", "index.md", site=site, figures=site.figures, sections=paths(strings),
        newest_open=site.open_proposals[:HOME_OPEN_PROPOSALS], newest_stories=site.stories[:HOME_STORIES],
    )
    return RenderedPage("index.md", strings["home"]["title"], site.config.network.tagline, html_text)


def _pages_of(items: list, per_page: int) -> list[list]:
    count = max(1, math.ceil(len(items) / per_page))
    return [items[index * per_page : (index + 1) * per_page] for index in range(count)]


def _paged_path(folder: str, number: int, sections: dict[str, str]) -> str:
    return f"{folder}/index.md" if number == 1 else f"{folder}/{sections['page']}/{number}.md"


def _paged_title(title: str, number: int, strings: dict[str, Any]) -> str:
    """Page 2 and later get the page number in their title, so each title is unique."""
    return title if number == 1 else f"{title} – {strings['pagination']['page'].format(number=number)}"


def _page_window(number: int, total: int, around: int = 2) -> list[int | None]:
    """First, last and a few pages around the current one, None for a gap: linking every page from every page
    made listings grow quadratically with the content."""
    shown = sorted({1, total} | set(range(max(1, number - around), min(total, number + around) + 1)))
    window: list[int | None] = []
    for n in shown:
        if window and n - window[-1] > 1:
            window.append(None)
        window.append(n)
    return window


def _pagination(folder: str, number: int, total: int, sections: dict[str, str]) -> dict[str, Any]:
    return {
        "number": number,
        "total": total,
        "pages": [(n, url_of(_paged_path(folder, n, sections)) if n else None) for n in _page_window(number, total)],
        "previous": url_of(_paged_path(folder, number - 1, sections)) if number > 1 else None,
        "next": url_of(_paged_path(folder, number + 1, sections)) if number < total else None,
    }


def render_listings(site: Site, renderer: Renderer, sections: dict[str, str]) -> list[RenderedPage]:
    rendered = []
    strings = renderer.strings["proposals"]
    for listing in site.listings:
        folder = _listing_folder(listing, sections)
        title = strings["title"] if listing.kind == "all" else strings[f"{listing.kind}_title"].format(
            label=listing.label)
        chunks = _pages_of(listing.proposals, site.config.site.per_page)
        for number, chunk in enumerate(chunks, start=1):
            path = _paged_path(folder, number, sections)
            page_title = _paged_title(title, number, renderer.strings)
            html_text = renderer.render(
                "proposals.html", path, site=site, listing=listing, title=page_title, proposals=chunk,
                pagination=_pagination(folder, number, len(chunks), sections), sections=paths(renderer.strings),
                filters=_filters(site, sections),
            )
            rendered.append(RenderedPage(path, page_title, strings["description"], html_text, searchable=False))
    return rendered


def _listing_folder(listing: Listing, sections: dict[str, str]) -> str:
    if listing.kind == "all":
        return sections["proposals"]
    return f"{sections['proposals']}/{sections[listing.kind]}/{listing.key}"


def _filters(site: Site, sections: dict[str, str]) -> list[dict[str, Any]]:
    """Links to every theme, need kind and district page: navigation that works without JavaScript."""
    groups = []
    for kind in ("theme", "need", "district"):
        links = [(listing.label, url_of(f"{_listing_folder(listing, sections)}/index.md"), len(listing.proposals))
                 for listing in site.listings if listing.kind == kind]
        if links:
            groups.append({"kind": kind, "links": links})
    return groups


def render_proposal(site: Site, renderer: Renderer, sections: dict[str, str], proposal) -> RenderedPage:
    path = f"{sections['proposals']}/{proposal.id}.md"
    strings = renderer.strings["proposal"]
    subject = strings["cta_subject"].format(title=proposal.title)
    mailto = f"mailto:{site.config.network.contact.email}?subject={quote(subject, safe='')}"
    html_text = renderer.render(
        "proposal.html", path, site=site, proposal=proposal, mailto=mailto, sections=paths(renderer.strings),
        listing_url=lambda kind, key: url_of(f"{sections['proposals']}/{sections[kind]}/{key}/index.md"),
    )
    return RenderedPage(path, proposal.title, proposal.summary, html_text)


def render_story_pages(site: Site, renderer: Renderer, sections: dict[str, str]) -> list[RenderedPage]:
    strings = renderer.strings["stories"]
    folder = sections["stories"]
    chunks = _pages_of(site.stories, site.config.site.per_page)
    rendered = []
    for number, chunk in enumerate(chunks, start=1):
        path = _paged_path(folder, number, sections)
        title = _paged_title(strings["title"], number, renderer.strings)
        html_text = renderer.render(
            "stories.html", path, site=site, title=title, stories=chunk, sections=paths(renderer.strings),
            pagination=_pagination(folder, number, len(chunks), sections),
        )
        rendered.append(RenderedPage(path, title, strings["description"], html_text, searchable=False))
    for story in site.stories:
        path = f"{folder}/{story.id}.md"
        html_text = renderer.render("story.html", path, site=site, story=story, sections=paths(renderer.strings))
        rendered.append(RenderedPage(path, story.title, story.summary or story.title, html_text))
    return rendered


def render_organizations(site: Site, renderer: Renderer, sections: dict[str, str]) -> list[RenderedPage]:
    strings = renderer.strings["organizations"]
    folder = sections["organizations"]
    companies = [org for org in site.organizations if org.kind != "nonprofit"]
    nonprofits = [org for org in site.organizations if org.kind == "nonprofit"]
    path = f"{folder}/index.md"
    rendered = [RenderedPage(
        path, strings["title"], strings["description"],
        renderer.render("organizations.html", path, site=site, companies=companies, nonprofits=nonprofits,
                        sections=paths(renderer.strings)),
        searchable=False,
    )]
    for org in site.organizations:
        path = f"{folder}/{org.id}.md"
        description = f"{org.name}: {strings['kind_' + org.kind]}"
        rendered.append(RenderedPage(
            path, org.name, description,
            renderer.render("organization.html", path, site=site, org=org, sections=paths(renderer.strings)),
        ))
    return rendered


def render_impact(site: Site, renderer: Renderer, sections: dict[str, str]) -> RenderedPage:
    strings = renderer.strings["impact"]
    path = f"{sections['impact']}/index.md"
    html_text = renderer.render("impact.html", path, site=site, impact=site.impact, sections=paths(renderer.strings))
    return RenderedPage(path, strings["title"], strings["description"], html_text)


# Characters that YAML reads as line breaks or refuses in a stream; JSON leaves them raw, so escape them.
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


def page_source(page: RenderedPage) -> str:
    """The Markdown file MkDocs reads: front matter, then our HTML as one raw block.

    MkDocs' templates print `page.title` and `page.meta.description` without escaping, so both are escaped here.
    """
    meta: dict[str, Any] = {
        "title": html.escape(page.title, quote=True),
        "description": html.escape(page.description, quote=True),
    }
    if not page.searchable:
        meta["search"] = {"exclude": True}
    # JSON is YAML: one flow mapping, safely quoted, and far cheaper to write than yaml.safe_dump.
    front = _YAML_UNSAFE.sub(lambda c: f"\\u{ord(c.group()):04x}", json.dumps(meta, ensure_ascii=False, sort_keys=True))
    return f"---\n{front}\n---\n\n<div class=\"sc\">\n{page.html}\n</div>\n"
