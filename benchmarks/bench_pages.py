"""What does a visitor's browser get from the sample site? Lighthouse, transfer sizes, privacy, axe (issue 10).

Builds the sample site (`.venv/bin/showcase build --out <tmp>` in the checkout; a failed build – someone may be
mid-edit – is retried after a minute, up to --build-tries times), serves it on 127.0.0.1 from a thread and measures
four pages: the home page, the listing of open challenges, one proposal and one success story. The listing's and
the stories' URLs come from the generator's URL scheme (`generator.pipeline.check` + `generator.urls`), the
proposal and the story from the links on those two listings (the heaviest linked page: most images, then most
bytes), never from hard-coded slugs.

The server behaves like a static host: text responses (HTML, CSS, JS, JSON, XML, SVG, plain text) are sent
gzip-compressed (level 6, the usual web-server default) when the browser accepts gzip, with Content-Length,
`Cache-Control: max-age=600` (what GitHub Pages sends) and HTTP/1.1 keep-alive; unknown paths get 404.html with
status 404. Transfer sizes are the body bytes the server sent for the visit (gzip-compressed for text), counted
in the server (Chromium's own per-request sizes miss the search worker's script); HTTP headers are not counted.

  a. Lighthouse 12 (benchmarks/node_modules, `npm install --prefix benchmarks --no-save lighthouse@12`),
     CHROME_PATH=/usr/bin/chromium, headless, default mobile form factor and simulated throttling, --runs times
     per page (pages interleaved): the median of performance, accessibility, best practices and SEO.
     Targets: accessibility, best practices, SEO 100; performance >= 95.
  b. Playwright (Debian's /usr/bin/chromium; never `playwright install`), 390 x 844, first visit (a fresh
     context, empty cache) of each page, waiting for network idle: compressed transfer of HTML + CSS + JS
     (target <= 60 KB on the detail pages, reported for the others), the largest image loaded above the fold
     (element top < 844; target <= 60 KB), requests to any host but 127.0.0.1 (target: none), cookies (none).
  c. axe-core (PyPI axe-playwright-python) at 390 x 844 and 1366 x 768 on the same pages: every violation.
  d. the Nu Html Checker (the W3C's validator: vnu.jar from npm `vnu-jar`, installed by `npm ci`, on Debian's
     Java) over every HTML page of the built site but the web editor's (admin/) and over showcase.css, in one run:
     errors from our templates (target: none) and from mkdocs-material's own base template, which the theme
     cannot override (known ones listed in tests/nu_html.py; any other error counts as ours), each message once.

One table at the end, each figure `met` or `MISSED`. Nothing fails on a missed target: the exit code is 0 unless
the site cannot be built or its pages cannot be found (a Lighthouse or axe run that fails is reported and skipped).

    .venv/bin/python benchmarks/bench_pages.py [--runs 3] [--no-lighthouse] [--no-axe] [--no-nu] [--site DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import hashlib
import http.server
import json
import mimetypes
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import formatdate
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

MAIN = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(MAIN))

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
LIGHTHOUSE = BENCH / "node_modules" / ".bin" / "lighthouse"
LIGHTHOUSE_FLAGS = "--headless=new --no-sandbox --disable-gpu"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CATEGORY_TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
METRICS = {"first-contentful-paint": "FCP", "largest-contentful-paint": "LCP", "total-blocking-time": "TBT",
           "cumulative-layout-shift": "CLS", "speed-index": "SI"}
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}
TARGET_TRANSFER_KB, TARGET_IMAGE_KB = 60, 60
GZIP_LEVEL = 6
GZIP_TYPES = re.compile(r"^(text/|application/(javascript|json|xml|atom\+xml|rss\+xml|manifest\+json)|image/svg)")


# --- the code that is measured ----------------------------------------------------------------------------------


def fingerprint() -> str:
    """A hash of generator/, templates/ and pyproject.toml as they are on disk (no git): in a shared checkout,
    compare it before and after a run."""
    digest = hashlib.sha256()
    files = [MAIN / "pyproject.toml"] + sorted(
        file for folder in ("generator", "templates") for file in (MAIN / folder).rglob("*")
        if file.is_file() and "__pycache__" not in file.parts)
    for file in files:
        digest.update(str(file.relative_to(MAIN)).encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()[:12]


# --- build -------------------------------------------------------------------------------------------------------


def build(out: Path, tries: int, wait: float) -> float:
    """`showcase build --out OUT` from the checkout; retried after `wait` seconds when it fails."""
    showcase = MAIN / ".venv" / "bin" / "showcase"
    if not showcase.exists():
        showcase = Path(sys.executable).parent / "showcase"
    for attempt in range(1, tries + 1):
        started = time.perf_counter()
        completed = subprocess.run([str(showcase), "build", "--out", str(out), "--quiet"], cwd=MAIN,
                                   capture_output=True, text=True, check=False)
        if completed.returncode == 0:
            return time.perf_counter() - started
        print(f"build attempt {attempt} failed (exit {completed.returncode}):\n"
              f"{(completed.stdout + completed.stderr)[-2000:]}", flush=True)
        if attempt < tries:
            print(f"  someone may be mid-edit: waiting {wait:.0f} s and trying again", flush=True)
            time.sleep(wait)
    raise SystemExit(f"the build failed {tries} times; giving up")


# --- a static host on 127.0.0.1 ----------------------------------------------------------------------------------


class StaticHost(http.server.BaseHTTPRequestHandler):
    """Serves one folder like a static host: directory URLs, gzip for text types, 404.html for unknown paths."""

    protocol_version = "HTTP/1.1"
    root: Path
    cache: dict[tuple[str, float], bytes]
    sent: list[tuple[str, int, str, int]]
    """(path, status, content type, body bytes as sent) of every response with a body"""
    lock: threading.Lock

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass

    def do_HEAD(self) -> None:  # noqa: N802 - the base class's name
        self.respond(body=False)

    def do_GET(self) -> None:  # noqa: N802 - the base class's name
        self.respond(body=True)

    def resolve(self) -> tuple[int, Path | None, str | None]:
        """(status, file, redirect location)"""
        path = unquote(urlsplit(self.path).path)
        parts = [part for part in path.split("/") if part not in ("", ".")]
        if ".." in parts:
            return 404, self.root / "404.html", None
        target = self.root.joinpath(*parts)
        if target.is_dir():
            if not path.endswith("/"):
                return 301, None, path + "/"
            target = target / "index.html"
        if target.is_file():
            return 200, target, None
        return 404, self.root / "404.html", None

    def respond(self, body: bool) -> None:
        status, file, location = self.resolve()
        if location is not None:
            self.send_response(status)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        assert file is not None
        data = file.read_bytes() if file.is_file() else b"Not found"
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if file.suffix == ".js":
            kind = "text/javascript"
        if kind.startswith("text/") or kind in ("application/json", "image/svg+xml", "application/xml"):
            kind += "; charset=utf-8"
        encoding = None
        if GZIP_TYPES.match(kind) and "gzip" in self.headers.get("Accept-Encoding", ""):
            key = (str(file), file.stat().st_mtime if file.is_file() else 0.0)
            if key not in self.cache:
                self.cache[key] = gzip.compress(data, GZIP_LEVEL, mtime=0)
            data, encoding = self.cache[key], "gzip"
        self.send_response(status)
        self.send_header("Content-Type", kind)
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "max-age=600")
        if file.is_file():
            self.send_header("Last-Modified", formatdate(file.stat().st_mtime, usegmt=True))
        self.end_headers()
        if body:
            try:
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):  # the browser went away (Lighthouse closing a tab)
                return
            with self.lock:
                self.sent.append((urlsplit(self.path).path, status, kind, len(data)))


class Server:
    def __init__(self, root: Path):
        handler = type("Host", (StaticHost,), {"root": root, "cache": {}, "sent": [], "lock": threading.Lock()})
        self.handler = handler
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="bench-pages-server", daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def take_log(self) -> list[tuple[str, int, str, int]]:
        """The responses sent since the last call."""
        with self.handler.lock:
            sent = list(self.handler.sent)
            self.handler.sent.clear()
        return sent

    def __enter__(self) -> Server:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=10)


# --- which pages -------------------------------------------------------------------------------------------------


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def _links(site: Path, url: str) -> list[str]:
    """Site-relative URLs (`a/b/`) linked from the page at site-relative `url`."""
    parser = _Links()
    parser.feed((site / url / "index.html").read_text(encoding="utf-8"))
    base = "http://site.invalid/"
    found = []
    for href in parser.hrefs:
        absolute = urlsplit(urljoin(base + url, href))
        if absolute.netloc == "site.invalid" and not absolute.query:
            found.append(unquote(absolute.path).lstrip("/"))
    return list(dict.fromkeys(found))


def _heaviest_detail(site: Path, listing: str, folder: str, reserved: set[str]) -> str:
    """The detail page linked from `listing` (first page) with most images, then most bytes."""
    candidates = []
    for url in _links(site, listing):
        rest = url.removeprefix(folder)
        if not url.startswith(folder) or rest.count("/") != 1 or not rest.endswith("/") or rest[:-1] in reserved:
            continue
        file = site / url / "index.html"
        if not file.is_file():
            continue
        text = file.read_text(encoding="utf-8")
        if 'http-equiv="refresh"' in text:  # a redirect from a former id
            continue
        candidates.append((text.count("<img"), len(text.encode()), url))
    if not candidates:
        raise SystemExit(f"no detail page under {folder} is linked from {listing or 'the home page'}")
    return max(candidates)[2]


def choose_pages(site: Path) -> dict[str, str]:
    """home, listing, proposal, story: site-relative URLs."""
    from generator import pipeline
    from generator.kinds import COOPERATION, PROPOSAL
    from generator.urls import NESTED

    checked = pipeline.check(MAIN / "site_config.yml")
    if checked.theme is None:
        raise SystemExit("the configuration does not load: " + "; ".join(str(d) for d in checked.diagnostics[:3]))
    urls = checked.theme.urls
    listing = urls.url(urls.listing())
    stories = urls.url(urls.cooperations())
    reserved = {urls.slugs[key] for key in NESTED}
    return {
        "home": urls.url(urls.home()),
        "listing": listing,
        "proposal": _heaviest_detail(site, listing, urls.detail_url(PROPOSAL, "x").removesuffix("x/"), reserved),
        "story": _heaviest_detail(site, stories, urls.detail_url(COOPERATION, "x").removesuffix("x/"), reserved),
    }


# --- a. Lighthouse -----------------------------------------------------------------------------------------------


@dataclass
class LighthouseRun:
    scores: dict[str, float]
    metrics: dict[str, float]
    failing: dict[str, list[str]]
    """category -> audits with weight that did not score 1."""
    details: dict[str, list[str]]
    """failing audit (and layout-shifts) -> what it found, shortened"""


def lighthouse(url: str, workdir: Path) -> LighthouseRun:
    report = workdir / "lighthouse.json"
    report.unlink(missing_ok=True)
    command = [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
               f"--chrome-flags={LIGHTHOUSE_FLAGS}", "--only-categories=" + ",".join(CATEGORIES)]
    env = {**os.environ, "CHROME_PATH": str(CHROMIUM)}
    completed = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600, check=False)
    if completed.returncode != 0 or not report.is_file():
        raise RuntimeError(f"lighthouse exit {completed.returncode}: {completed.stderr[-1500:]}")
    data = json.loads(report.read_text(encoding="utf-8"))
    if data.get("runtimeError"):
        raise RuntimeError(f"lighthouse runtime error: {data['runtimeError']}")
    audits = data["audits"]
    scores, failing = {}, {}
    for key in CATEGORIES:
        category = data["categories"][key]
        scores[key] = round((category["score"] or 0) * 100)
        failing[key] = [
            f"{ref['id']} ({audits[ref['id']]['score']})" for ref in category["auditRefs"]
            if ref.get("weight", 0) > 0 and audits[ref["id"]].get("score") is not None
            and audits[ref["id"]]["score"] < 1]
    metrics = {key: audits[key]["numericValue"] for key in METRICS if key in audits}
    details = {}
    ids = {audit.split(" ")[0] for key in CATEGORIES if key != "performance" for audit in failing[key]}
    if metrics.get("cumulative-layout-shift", 0) > 0:
        ids.add("layout-shifts")
    for audit_id in ids:
        items = (audits.get(audit_id, {}).get("details") or {}).get("items") or []
        details[audit_id] = [_describe(item) for item in items[:5]]
    return LighthouseRun(scores, metrics, failing, details)


def _describe(item: dict) -> str:
    """One finding of a Lighthouse audit, shortened."""
    node = item.get("node") if isinstance(item.get("node"), dict) else {}
    parts = [str(item[key]) for key in ("description", "source", "url", "score") if item.get(key) not in (None, "")]
    if node:
        parts.append(node.get("selector") or node.get("snippet") or "")
    return " ".join(" ".join(parts).split())[:200]


# --- b. first visit with Playwright ------------------------------------------------------------------------------


@dataclass
class Visit:
    by_type: dict[str, int] = field(default_factory=dict)
    """body bytes as sent (gzip for text) per kind (html, css, js, image, json, font, other; status if not 200)"""
    requests: int = 0
    files: list[tuple[str, str, int]] = field(default_factory=list)
    """(kind, url path, compressed bytes)"""
    image: tuple[int, str] = (0, "—")
    """largest image above the fold: (compressed bytes, url path)"""
    external: list[str] = field(default_factory=list)
    cookies: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    @property
    def code(self) -> int:
        return sum(self.by_type.get(kind, 0) for kind in ("html", "css", "js"))


def _kind(content_type: str, url: str) -> str:
    content_type = content_type.split(";")[0].strip().lower()
    if "html" in content_type:
        return "html"
    if content_type == "text/css":
        return "css"
    if "javascript" in content_type or url.endswith(".js"):
        return "js"
    if content_type.startswith("image/"):
        return "image"
    if "json" in content_type:
        return "json"
    if content_type.startswith("font/") or "woff" in content_type:
        return "font"
    return "other"


ABOVE_THE_FOLD_IMAGES = """(fold) => {
  const found = [];
  for (const img of document.images) {
    const box = img.getBoundingClientRect();
    if (img.complete && img.naturalWidth > 0 && box.width > 0 && box.height > 0 && box.top < fold && box.bottom > 0)
      found.push(img.currentSrc || img.src);
  }
  for (const element of document.querySelectorAll('*')) {
    const style = getComputedStyle(element);
    if (!style.backgroundImage || !style.backgroundImage.includes('url(')) continue;
    const box = element.getBoundingClientRect();
    if (!(box.width > 0 && box.height > 0 && box.top < fold && box.bottom > 0)) continue;
    for (const m of style.backgroundImage.matchAll(/url\\(["']?([^"')]+)["']?\\)/g))
      if (!m[1].startsWith('data:')) found.push(new URL(m[1], document.baseURI).href);
  }
  return found;
}"""


def first_visit(browser, server: Server, url: str) -> Visit:  # noqa: ANN001 - playwright's Browser
    """One page in a fresh context (empty cache, no cookies); sizes are what the server sent."""
    visit = Visit()
    context = browser.new_context(viewport=PHONE, device_scale_factor=1)
    page = context.new_page()

    def on_request(request) -> None:  # noqa: ANN001
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.hostname != "127.0.0.1":
            visit.external.append(request.url)

    context.on("request", on_request)
    context.on("requestfailed", lambda request: visit.failed.append(f"{request.url} ({request.failure})"))
    server.take_log()
    page.goto(url, wait_until="load")
    try:
        page.wait_for_load_state("networkidle", timeout=15000)
    except Exception:  # noqa: BLE001 - report what has arrived
        print(f"  (no network idle within 15 s on {url})")
    page.wait_for_timeout(500)
    images = set(page.evaluate(ABOVE_THE_FOLD_IMAGES, PHONE["height"]))
    visit.cookies = [f"{cookie['name']} ({cookie['domain']})" for cookie in context.cookies()]
    context.close()
    sizes: dict[str, int] = {}
    for path, status, content_type, body in server.take_log():
        kind = _kind(content_type, path) if status == 200 else f"{status}"
        visit.by_type[kind] = visit.by_type.get(kind, 0) + body
        visit.requests += 1
        visit.files.append((kind, path, body))
        sizes[path] = sizes.get(path, 0) + body
    for src in images:
        path = urlsplit(src).path
        visit.image = max(visit.image, (sizes.get(path, 0), unquote(path)))
    return visit


def raw_size(site: Path, path: str) -> int:
    file = site / unquote(path).lstrip("/")
    if file.is_dir() or path.endswith("/"):
        file = file / "index.html"
    return file.stat().st_size if file.is_file() else 0


# --- c. axe ------------------------------------------------------------------------------------------------------


def axe(browser, url: str, viewport: dict[str, int]) -> list[str]:  # noqa: ANN001
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(url, wait_until="load")
    with contextlib.suppress(Exception):
        page.wait_for_load_state("networkidle", timeout=15000)
    results = Axe().run(page).response
    context.close()
    lines = []
    for violation in results["violations"]:
        targets = [", ".join(map(str, node["target"])) for node in violation["nodes"]]
        lines.append(f"{violation['id']} ({violation['impact']}, {len(targets)} nodes): {violation['help']} – "
                     + "; ".join(targets[:4]) + (" …" if len(targets) > 4 else ""))
    return lines


# --- d. Nu Html Checker -------------------------------------------------------------------------------------------


def nu_checker(site: Path) -> list[tuple[str, str, str, str, str]]:
    """vnu.jar over every page but admin/ and our CSS, one run; its rows for the table."""
    from tests import nu_html

    reason = nu_html.missing()
    if reason:
        print(f"\nNu Html Checker: not run ({reason})")
        return [("site", "Nu Html Checker", "could not run", "none", "—")]
    files = nu_html.site_files(site)
    print(f"\n--- d. Nu Html Checker {nu_html.version()}, {len(files)} files ---", flush=True)
    started = time.perf_counter()
    try:
        errors, warnings = nu_html.check(site, files)
    except (RuntimeError, subprocess.TimeoutExpired) as error:
        print(f"  FAILED: {error}")
        return [("site", "Nu Html Checker", "could not run", "none", "—")]
    ours = [error for error in errors if error.material is None]
    material = [error for error in errors if error.material is not None]
    print(f"Nu Html Checker: {len(ours)} errors from our templates, {len(material)} from Material "
          f"({len(warnings)} warnings; {time.perf_counter() - started:.0f} s)")
    for label, found in (("ours", ours), ("Material", material), ("warning", warnings)):
        for line in nu_html.summary(found):
            print(f"  {label}: {line}")
    return [("site", f"Nu Html Checker errors from our templates ({len(files)} files)", str(len(ours)), "none",
             verdict(not ours)),
            ("site", "Nu Html Checker errors from Material's base.html (cannot be overridden)", str(len(material)),
             "(reported)", "—")]


# --- report ------------------------------------------------------------------------------------------------------


def kb(size: float) -> str:
    return f"{size / 1024:.1f} KB"


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page (the median counts)")
    parser.add_argument("--site", type=Path, default=None, help="measure this built site instead of building")
    parser.add_argument("--keep", type=Path, default=None, help="build into this folder and keep it")
    parser.add_argument("--build-tries", type=int, default=5, help="build attempts, a minute apart")
    parser.add_argument("--no-lighthouse", action="store_true")
    parser.add_argument("--no-axe", action="store_true")
    parser.add_argument("--no-nu", action="store_true", help="skip the Nu Html Checker")
    args = parser.parse_args(argv)

    version = fingerprint()
    print(f"{datetime.now():%Y-%m-%d %H:%M}, {platform.node()}, {os.cpu_count()} cores; fingerprint of generator/, "
          f"templates/, pyproject.toml (files on disk): {version}; load average {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as temporary:
        workdir = Path(temporary)
        if args.site:
            site = args.site.resolve()
        else:
            site = (args.keep or workdir / "site").resolve()
            seconds = build(site, args.build_tries, 60)
            print(f"built the sample site into {site} in {seconds:.1f} s")
        pages = choose_pages(site)
        print("pages: " + ", ".join(f"{name} /{url}" for name, url in pages.items()))
        rows: list[tuple[str, str, str, str, str]] = []  # (page, figure, measured, target, verdict)
        with Server(site) as server:
            print(f"serving {site} at {server.base} (gzip -{GZIP_LEVEL} for text types)", flush=True)

            # a. Lighthouse
            lighthouse_runs: dict[str, list[LighthouseRun]] = {name: [] for name in pages}
            if args.no_lighthouse:
                print("Lighthouse: skipped (--no-lighthouse)")
            elif not LIGHTHOUSE.exists():
                print(f"Lighthouse: not installed ({LIGHTHOUSE} missing; "
                      "`npm install --prefix benchmarks --no-save lighthouse@12`)")
            else:
                version_lh = subprocess.run([str(LIGHTHOUSE), "--version"], capture_output=True, text=True,
                                            check=False).stdout.strip()
                print(f"\n--- a. Lighthouse {version_lh}, mobile, {args.runs} runs per page ---", flush=True)
                for run in range(args.runs):
                    for name, url in pages.items():
                        started = time.perf_counter()
                        try:
                            result = lighthouse(server.base + url, workdir)
                        except (RuntimeError, subprocess.TimeoutExpired) as error:
                            print(f"  run {run + 1} {name}: FAILED {error}", flush=True)
                            continue
                        lighthouse_runs[name].append(result)
                        print(f"  run {run + 1} {name:<9} " + "  ".join(
                            f"{key} {result.scores[key]:.0f}" for key in CATEGORIES)
                            + f"   LCP {result.metrics.get('largest-contentful-paint', 0):.0f} ms, TBT "
                            f"{result.metrics.get('total-blocking-time', 0):.0f} ms, CLS "
                            f"{result.metrics.get('cumulative-layout-shift', 0):.3f}   "
                            f"({time.perf_counter() - started:.0f} s)", flush=True)
                for name, runs in lighthouse_runs.items():
                    if not runs:
                        rows.append((name, "Lighthouse", "could not run", "", "—"))
                        continue
                    for key in CATEGORIES:
                        median = statistics.median(run.scores[key] for run in runs)
                        target = CATEGORY_TARGETS[key]
                        rows.append((name, f"Lighthouse {key} (median of {len(runs)})",
                                     f"{median:g} ({', '.join(f'{run.scores[key]:.0f}' for run in runs)})",
                                     f">= {target}" if target < 100 else "100", verdict(median >= target)))
                    medians = {label: statistics.median(run.metrics.get(key, 0) for run in runs)
                               for key, label in METRICS.items()}
                    metrics = ", ".join(f"{label} {value:.{3 if label == 'CLS' else 0}f}"
                                        for label, value in medians.items())
                    print(f"  {name}: median metrics (ms; CLS unitless) {metrics}")
                    for key in CATEGORIES:
                        failing = sorted({audit for run in runs for audit in run.failing[key]})
                        if failing:
                            print(f"  {name}: {key} audits below 1 in some run (score): " + ", ".join(failing))
                    found = {audit: lines for run in runs for audit, lines in run.details.items() if lines}
                    for audit, lines in sorted(found.items()):
                        print(f"    {audit}: " + " | ".join(lines))

            # b. and c. Playwright
            from playwright.sync_api import sync_playwright

            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                print(f"\n--- b. first visit, Chromium {browser.version}, 390 x 844 ---", flush=True)
                for name, url in pages.items():
                    visit = first_visit(browser, server, server.base + url)
                    code_files = [(kind, path, size) for kind, path, size in visit.files
                                  if kind in ("html", "css", "js")]
                    raw = sum(raw_size(site, path) for _, path, _ in code_files)
                    print(f"  {name} /{url}: {visit.requests} requests; compressed bodies: " + ", ".join(
                        f"{kind} {kb(size)}" for kind, size in sorted(visit.by_type.items()))
)
                    for kind, path, size in sorted(visit.files):
                        print(f"      {kind:<6} {size / 1024:7.1f} KB  {path}")
                    print(f"    HTML + CSS + JS {kb(visit.code)} sent (uncompressed: {kb(raw)}); largest image "
                          f"above the fold {kb(visit.image[0])} {visit.image[1]}")
                    if visit.failed:
                        print("    failed requests: " + "; ".join(visit.failed))
                    detail = name in ("proposal", "story")
                    rows.append((name, "HTML + CSS + JS, compressed, first visit", kb(visit.code),
                                 f"<= {TARGET_TRANSFER_KB} KB" if detail else "(reported)",
                                 verdict(visit.code <= TARGET_TRANSFER_KB * 1024) if detail else "—"))
                    rows.append((name, "largest image above the fold", f"{kb(visit.image[0])} {visit.image[1]}",
                                 f"<= {TARGET_IMAGE_KB} KB", verdict(visit.image[0] <= TARGET_IMAGE_KB * 1024)))
                    rows.append((name, "requests not to 127.0.0.1", str(len(visit.external)) + (
                        ": " + ", ".join(visit.external[:3]) if visit.external else ""), "none",
                        verdict(not visit.external)))
                    rows.append((name, "cookies", ", ".join(visit.cookies) or "none", "none",
                                 verdict(not visit.cookies)))

                if args.no_axe:
                    print("\naxe: skipped (--no-axe)")
                else:
                    print("\n--- c. axe-core (axe-playwright-python) ---", flush=True)
                    for name, url in pages.items():
                        for label, viewport in (("390", PHONE), ("1366", DESKTOP)):
                            try:
                                lines = axe(browser, server.base + url, viewport)
                            except Exception as error:  # noqa: BLE001 - report and go on
                                print(f"  {name} at {label}: axe FAILED: {error}")
                                rows.append((name, f"axe violations at {label}", "could not run", "none", "—"))
                                continue
                            print(f"  {name} at {label}: {len(lines)} violations")
                            for line in lines:
                                print(f"      {line}")
                            rows.append((name, f"axe violations at {label} px", str(len(lines)) + (
                                ": " + ", ".join(line.split(" ")[0] for line in lines) if lines else ""), "none",
                                verdict(not lines)))
                browser.close()

        # d. Nu Html Checker
        if args.no_nu:
            print("\nNu Html Checker: skipped (--no-nu)")
        else:
            rows += nu_checker(site)

    print(f"\nload average (1, 5, 15 min) at the end: {', '.join(f'{load:.2f}' for load in os.getloadavg())} "
          "(other jobs slow the browser: Lighthouse's performance score moves with them)")
    print("\n| page | figure | measured | target | |\n| --- | --- | --- | --- | --- |")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    if fingerprint() != version:
        print("\nWARNING: generator/, templates/ or pyproject.toml changed during the run (others are editing): the "
              "site was built from the version at the start; run again for figures of one version.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
