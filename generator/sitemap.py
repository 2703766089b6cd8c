"""The sitemap for search engines: `sitemap.xml` (the sitemaps.org protocol) and its gzip copy, every page of the
site with the build date as `lastmod`, as MkDocs writes it.

Ours rather than MkDocs': on a large site two processes build the pages (engine.py), and each would list only its
own; the theme's `sitemap.xml` template is empty (theme/overrides), so MkDocs writes none.
"""

from __future__ import annotations

import datetime as dt
import gzip
from xml.etree import ElementTree

from .urls import UrlScheme, url_of

NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"


def sitemap_files(sources: list[str], base_url: str, built: dt.datetime, urls: UrlScheme) -> dict[str, bytes]:
    """The sitemap and its gzip copy by their path in the site; `sources`: the pages' Markdown paths."""
    root = ElementTree.Element("urlset", xmlns=NAMESPACE)
    for url in sorted(url_of(source) for source in sources):
        entry = ElementTree.SubElement(root, "url")
        ElementTree.SubElement(entry, "loc").text = base_url + url
        ElementTree.SubElement(entry, "lastmod").text = built.date().isoformat()
    ElementTree.indent(root)
    data = ElementTree.tostring(root, encoding="UTF-8", xml_declaration=True) + b"\n"
    return {urls.sitemap(): data, urls.sitemap() + ".gz": gzip.compress(data, mtime=int(built.timestamp()))}
