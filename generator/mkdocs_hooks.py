"""MkDocs hooks (loaded by the generated mkdocs.yml): pass our pre-rendered HTML straight through.

Every generated page is a Markdown file whose body is one block of HTML that we rendered and sanitised. Any engine
that reads the files gets the right page; these hooks only spare MkDocs the cost of parsing that HTML as Markdown
(Python-Markdown's raw-HTML handling was the largest part of our build time). Nothing here changes the output.
"""

from __future__ import annotations

_PAGE_HTML = "_showcase_html"


def on_page_markdown(markdown, page, config, files):
    setattr(page, _PAGE_HTML, markdown)
    return ""


def on_page_content(html, page, config, files):
    return getattr(page, _PAGE_HTML, html)
