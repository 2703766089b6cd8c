"""`showcase serve`: a live preview for editors.

Runs the same pipeline as `showcase build` into a temporary folder and serves it with MkDocs' live-reload server.
A change to content, templates or site_config.yml rebuilds the site and reloads the browser. When the content has
errors the preview shows them as a readable page (and keeps watching) instead of stopping the server.
"""

from __future__ import annotations

import errno
import html
import shutil
import signal
import socket
import sys
import tempfile
from pathlib import Path

from mkdocs.livereload import LiveReloadServer

from . import pipeline
from .catalogue import Catalogue, catalogue
from .diagnostics import Diagnostic, format_human, sort_diagnostics

ERROR_PAGE = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>{title}</title>
<style>body{{font:16px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1f2328}}
h1{{color:#b00020}} li{{margin:.6em 0}} code{{background:#f3f4f6;padding:.1em .3em;border-radius:.2em}}
.where{{font-family:ui-monospace,monospace;font-weight:600}}</style></head>
<body><h1>{title}</h1><p>{intro}</p><ul>{items}</ul></body></html>
"""


def render_error_page(diagnostics: list[Diagnostic], root: Path, language: str) -> str:
    strings = catalogue(language).strings["error"]
    items = "".join(
        f'<li><span class="where">{html.escape(line.split(": ", 1)[0])}</span><br>'
        f"{html.escape(line.split(': ', 1)[1] if ': ' in line else '')}</li>"
        for line in format_human(diagnostics, root).splitlines()
    )
    return ERROR_PAGE.format(lang=language, title=html.escape(strings["title"]),
                             intro=html.escape(strings["intro"]), items=items)


class Preview:
    """Rebuilds the preview into one folder; what the server shows is always a complete site or an error page."""

    def __init__(self, config_path: Path, out_dir: Path):
        self.config_path, self.out_dir = config_path, out_dir
        self.root = config_path.absolute().parent

    def rebuild(self, checked: pipeline.Checked | None = None) -> None:
        """Build the site, or write the error page; `checked` is a fresh check of the sources if given."""
        if checked is None:
            checked = pipeline.check(self.config_path)
        diagnostics = list(checked.diagnostics)
        if checked.ok:
            built = pipeline.build(checked, self.out_dir)
            diagnostics += built.diagnostics
            if built.ok:
                self._report(diagnostics)
                return
        self._report(diagnostics)
        self.write_error_page(sort_diagnostics(diagnostics), checked.language)

    def write_error_page(self, diagnostics: list[Diagnostic], language: str) -> None:
        page = render_error_page(diagnostics, self.root, language)
        shutil.rmtree(self.out_dir, ignore_errors=True)
        self.out_dir.mkdir(parents=True)
        for name in ("index.html", "404.html"):
            (self.out_dir / name).write_text(page, encoding="utf-8")

    def _report(self, diagnostics: list[Diagnostic]) -> None:
        if diagnostics:
            sys.stderr.write(format_human(sort_diagnostics(diagnostics), self.root))


def serve(config_path: Path, host: str, port: int) -> int:
    """Check, bind the port (a busy one is reported before any building), build, then serve until Ctrl+C or
    SIGTERM; the temporary folder is removed in every case."""
    # Both signals end the preview, also when it was started with SIGINT ignored (a background job of a script).
    previous = {signum: signal.signal(signum, _interrupt) for signum in (signal.SIGTERM, signal.SIGINT)}
    out_dir = Path(tempfile.mkdtemp(prefix="showcase-preview-")) / "site"
    server = None
    try:
        checked = pipeline.check(config_path)
        texts = catalogue(checked.language)
        preview = Preview(config_path, out_dir)
        server = _bind(preview, host, port, texts)
        if server is None:
            return pipeline.ExitCode.USAGE
        preview.rebuild(checked)
        url_host = f"[{host}]" if ":" in host else host
        print(texts.text("progress.preview", host=url_host, port=server.server_port), file=sys.stderr, flush=True)
        server.serve()
    except KeyboardInterrupt:
        pass
    finally:
        if server is not None:
            server.shutdown()
        shutil.rmtree(out_dir.parent, ignore_errors=True)
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return pipeline.ExitCode.OK


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM and SIGINT end the preview the same way as Ctrl+C always has (the `finally` clean-up runs)."""
    raise KeyboardInterrupt


class PreviewServer(LiveReloadServer):
    """MkDocs' server, bound by `bind()` before the first build; `serve()` then only starts serving."""

    def bind(self) -> None:
        super().server_bind()
        super().server_activate()

    def server_bind(self) -> None:
        pass

    def server_activate(self) -> None:
        pass


def _bind(preview: Preview, host: str, port: int, texts: Catalogue) -> PreviewServer | None:
    """A bound server watching content/, templates/ (if there) and site_config.yml; None after reporting why
    the address cannot be used."""
    server = PreviewServer(builder=preview.rebuild, host=host, port=port, root=str(preview.out_dir))
    try:
        server.bind()
    except (OSError, OverflowError) as error:
        server.server_close()
        if isinstance(error, OSError) and error.errno == errno.EADDRINUSE:
            print(texts.text("cli.port_busy", port=port, other=_free_port(host, port)), file=sys.stderr)
        else:
            print(texts.text("cli.address_unusable", host=host, port=port,
                             reason=getattr(error, "strerror", None) or error), file=sys.stderr)
        return None
    server.error_handler = lambda code: _not_found_page(server, preview.out_dir)
    for path in (preview.root / "content", preview.root / "templates", preview.config_path.absolute()):
        if path.exists():
            server.watch(str(path))
    return server


def _free_port(host: str, busy: int) -> int:
    """The first port after `busy` that can be bound now (a suggestion only), else simply the next one."""
    for candidate in range(busy + 1, min(busy + 100, 65536)):
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            try:
                probe.bind((host, candidate))
            except OSError:
                continue
            return candidate
    return busy + 1


def _not_found_page(server: LiveReloadServer, out_dir: Path) -> bytes | None:
    """The site's 404 page, or the error page while content is broken — with the live-reload script, so the
    browser reloads by itself once the editor has fixed the problem."""
    try:
        content = (out_dir / "404.html").read_bytes()
    except OSError:
        return None
    try:
        return server._inject_js_into_html(content, server._visible_epoch)
    except Exception:  # a private helper of MkDocs' server; without it the page just does not auto-reload
        return content
