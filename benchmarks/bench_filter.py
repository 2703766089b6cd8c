"""How large is the data file behind the listing's combinable filter?

Writes a synthetic project with N open proposals (default 1,000; about half with team-day fields, as
benchmarks/_synthetic.py writes them), validates and publishes it in-process and prints the size of the filter's
data file (`<proposals>/<data>.json`, all open challenges) raw and gzip-compressed (level 6, what a web server
typically sends), against the target of issue 10: at most 30 KB compressed at 1,000 open challenges. The file
is fetched only when a visitor first uses the filter; nothing else on the page depends on it.

    .venv/bin/python benchmarks/bench_filter.py [--n 1000]
"""

from __future__ import annotations

import argparse
import gzip
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._synthetic import write_project  # noqa: E402
from generator.listing_filter import filter_data  # noqa: E402
from generator.pipeline import check  # noqa: E402
from generator.publish import publish  # noqa: E402

TARGET_KB = 30


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write_project(root, proposals=args.n, nonprofits=max(1, args.n // 5), statuses="open")
        checked = check(root / "site_config.yml")
        if not checked.ok:
            print("synthetic content did not validate:", checked.diagnostics[:3])
            return 1
        site = publish(checked.content, checked.theme.urls)
        catalogue = checked.theme.catalogue
        data = filter_data(site, catalogue, catalogue.strings, checked.theme.urls)
    packed = len(gzip.compress(data, 6))
    rows = len(site.open_proposals)
    print(f"open challenges            {rows}")
    print(f"filter data, raw           {len(data) / 1024:.1f} KB")
    print(f"filter data, gzip -6       {packed / 1024:.1f} KB   target <= {TARGET_KB} KB at 1,000: "
          f"{'met' if packed / 1024 <= TARGET_KB * rows / 1000 else 'MISSED'}")
    print(f"per challenge, gzip        {packed / max(rows, 1):.0f} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
