"""Runs one adversarial case in its own process and reports what happened, how long it took and the peak memory.

Usage: python tests/adversarial_runner.py PROJECT_DIR validate|render|build [FILE ...|**]
Prints one JSON object: diagnostics, the requested output files (render: pages by source path; build: built
files), seconds spent and the process's peak resident memory in MB.
"""

from __future__ import annotations

import io
import json
import resource
import sys
import time
from contextlib import redirect_stdout
from dataclasses import asdict
from pathlib import Path

EVERY_TEXT_FILE = "**"
"""As the only FILE of a build: report every built .html, .xml and .json file."""


def main() -> None:
    root, mode, wanted = Path(sys.argv[1]), sys.argv[2], sys.argv[3:]
    started = time.perf_counter()
    from generator.pipeline import check

    checked = check(root / "site_config.yml")
    diagnostics = checked.diagnostics
    outputs: dict[str, str] = {}
    if mode == "render" and checked.ok:
        from generator.publish import publish
        from generator.render import render_site

        site = publish(checked.content, checked.theme.urls)
        pages = {page.path: page.html for page in render_site(site, checked.theme, checked.project)}
        outputs = {name: pages.get(name, "") for name in wanted}
    elif mode == "build":
        from generator.commands import build

        with redirect_stdout(io.StringIO()) as printed:
            code = build(root / "site_config.yml", root / "out", "json", False, quiet=True)
        diagnostics = [] if code == 0 else json.loads(printed.getvalue() or "[]")
        if wanted == [EVERY_TEXT_FILE]:  # every page, the sitemap, the feeds and the search index
            from generator.catalogue import catalogue

            # Open data and feeds are data, not pages: JSON strings and XML text that parsers return as the plain
            # text written (tests/test_outputs.py parses them back); whoever shows them escapes them.
            sections = catalogue("de").strings["sections"]
            feeds = {f"{sections[kind]}.xml" for kind in ("proposals", "cooperations")}
            wanted = sorted(name for name in (file.relative_to(root / "out").as_posix()
                                              for file in (root / "out").rglob("*")
                                              if file.suffix in (".html", ".xml", ".json"))
                            if not name.startswith(sections["data"] + "/") and name not in feeds)
        outputs = {name: (root / "out" / name).read_text(encoding="utf-8", errors="replace")
                   for name in wanted if (root / "out" / name).is_file()}
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({
        "diagnostics": [d if isinstance(d, dict) else asdict(d) for d in diagnostics],
        "outputs": outputs, "seconds": seconds, "peak_mb": peak_mb,
    }))


if __name__ == "__main__":
    main()
