"""How long does `showcase build` take compared with a bare mkdocs-material build of as many pages?

For N open proposals and N cooperations (default 1,000 each; partners are companies, every reference valid;
N/5 non-profits and N/5 companies; three free pages) it writes a temporary project and, in the same run:

  showcase   `showcase build --config … --out …` in a subprocess (validate, publish, render, MkDocs, privacy
             gate, swap). Its progress lines on stderr are timestamped as they arrive, which splits each run
             into stages: start-up + validate | publish + render + write | MkDocs | privacy gate | swap + exit.
             (`--quiet` would only drop those four lines.)
  bare       a plain MkDocs project with as many Markdown pages as the showcase build renders, each with the
             word count of its counterpart, theme material with `font: false`, a nav of 5 entries and
             `not_in_nav` for the rest, search plugin on: `mkdocs build -q` in a subprocess

Runs alternate (showcase, bare, showcase, bare, …); the figures are the best of --repeat runs (default 3; at the
larger scale --scale-repeat, default 1), in wall-clock and CPU seconds (CPU time is what the process itself
used: other jobs on a shared machine barely change it). Then it does the same at 4x the entries (unless
--no-scale) and prints:

  ratio showcase/bare          target <= 1.3 (issue 10: <= 1.5, at 1x and at 4x)
  peak memory showcase/bare    issue 10: <= 3. Per run the larger of ru_maxrss (the largest single process of the
                               tree, exact, from os.wait4) and the summed RSS of the process tree sampled from /proc
                               every 0.2 s (the showcase keeps its Python process while Pagefind's binary runs);
                               the largest of the runs. Both figures are printed.
  scaling, 4x time / 1x time   target <= 4.6
  largest detail page (site/herausforderungen/<id>/index.html, site/erfolgsgeschichten/<id>/index.html)
                               target <= 40 KB
  size of site/search/search_index.json

When a target is missed (or with --profile) it runs one build at 1x in-process under cProfile and prints where
the time goes. SOURCE_DATE_EPOCH=0 throughout.

    /work/venv/bin/python benchmarks/bench_build.py [--n 1000] [--repeat 3] [--no-scale] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import html
import io
import os
import pstats
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from _synthetic import Project, Writer, announce_code_version, warn_if_code_changed, working_folder, write_project

from generator import commands, pipeline
from generator.kinds import COOPERATION, PROPOSAL
from generator.publish import publish
from generator.render import render_site
from generator.urls import UrlScheme

TARGET_RATIO, TARGET_SCALING, TARGET_PAGE_KB = 1.3, 4.6, 40
TARGET_RATIO_V2, TARGET_MEMORY = 1.5, 3.0
"""Issue 10 ("public site v2"): build time <= 1.5x the bare build at 1x and 4x, peak memory <= 3x the bare build's."""
BIN = Path(sys.executable).parent
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "0", "NO_MKDOCS_2_WARNING": "1"}
_TAGS = re.compile(r"<[^>]+>")


# --- measuring ---------------------------------------------------------------------------------------------------


@dataclass
class Timing:
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    rss: list[int] = field(default_factory=list)
    """peak resident set size of each run, KB (ru_maxrss of the subprocess, from os.wait4)"""
    tree: list[int] = field(default_factory=list)
    """largest sampled sum of RSS over the subprocess and its descendants (e.g. Pagefind's binary), KB"""

    @property
    def best(self) -> tuple[float, float]:
        return min(self.wall), min(self.cpu)

    @property
    def peak(self) -> int:
        return max(self.rss) if self.rss else 0

    @property
    def tree_peak(self) -> int:
        return max(self.tree) if self.tree else 0

    @property
    def footprint(self) -> int:
        """Peak memory: the larger of the largest process's peak (exact) and the sampled sum over the process tree
        (a lower bound when several processes live at once)."""
        return max(self.peak, self.tree_peak)

    def show(self) -> str:
        wall, cpu = self.best
        return (f"{wall:8.2f} s wall {cpu:8.2f} s CPU   (median wall {statistics.median(self.wall):.2f} s)   "
                f"peak RSS {self.peak / 1024:,.0f} MB")


def _cpu() -> float:
    """CPU seconds of this process and of its finished children."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


@contextmanager
def measure(timing: Timing) -> Iterator[None]:
    gc.collect()
    wall, cpu = time.perf_counter(), _cpu()
    yield
    timing.wall.append(time.perf_counter() - wall)
    timing.cpu.append(_cpu() - cpu)


def _failed(command: list[str], code: int, stdout: str, stderr: str) -> SystemExit:
    return SystemExit(f"{' '.join(command)} failed with exit code {code}:\n{stdout[-6000:]}\n{stderr[-3000:]}")


class TreeMemory(threading.Thread):
    """Samples, every `interval` seconds, the summed RSS of a process and all its descendants (from /proc).

    ru_maxrss is per process: while `showcase build` waits for Pagefind's binary both are in memory, and the
    largest single process is not the whole footprint. Sampling can miss a short peak; it is a check on ru_maxrss,
    not a replacement."""

    PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024

    def __init__(self, pid: int, interval: float = 0.2):
        super().__init__(name=f"tree-memory-{pid}", daemon=True)
        self.pid, self.interval, self.peak = pid, interval, 0
        self.done = threading.Event()

    def sample(self) -> int:
        total, todo = 0, [self.pid]
        while todo:
            pid = todo.pop()
            try:
                total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * self.PAGE_KB
                for task in Path(f"/proc/{pid}/task").iterdir():
                    todo += [int(child) for child in (task / "children").read_text().split()]
            except (OSError, ValueError, IndexError):  # the process has just ended
                continue
        return total

    def run(self) -> None:
        while not self.done.wait(self.interval):
            self.peak = max(self.peak, self.sample())

    def stop(self) -> int:
        self.done.set()
        self.join()
        return self.peak


def _reap(process: subprocess.Popen) -> tuple[int, int]:
    """Wait for `process` with os.wait4: (exit code, peak RSS in KB). On Linux ru_maxrss of a reaped child is the
    largest of its own peak and those of its own waited-for children (not their sum)."""
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, usage.ru_maxrss


def run(command: list[str], cwd: Path) -> tuple[int, int]:
    """Run `command`: its peak RSS (ru_maxrss) and the largest sampled RSS of its process tree, in KB."""
    with tempfile.TemporaryFile("w+", encoding="utf-8") as stdout, \
            tempfile.TemporaryFile("w+", encoding="utf-8") as stderr:
        process = subprocess.Popen(command, cwd=cwd, env=ENV, stdout=stdout, stderr=stderr, text=True)
        sampler = TreeMemory(process.pid)
        sampler.start()
        code, rss = _reap(process)
        tree = sampler.stop()
        if code != 0:
            stdout.seek(0)
            stderr.seek(0)
            raise _failed(command, code, stdout.read(), stderr.read())
    return rss, tree


STAGES = ("start-up + validate", "publish + render + write project", "MkDocs + Pagefind + link check",
          "privacy gate + swap", "exit")
"""Split at the build's progress lines: "render…", "MkDocs builds N pages…", "checking the output…", "done". A
fifth line, "images: N new, M cached", comes in the middle of writing the project and is not a stage boundary."""


def run_showcase(command: list[str], cwd: Path) -> tuple[list[float], int, int]:
    """Run `showcase build` (not quiet): the seconds of each of STAGES, split at its progress lines, its peak RSS
    (ru_maxrss) and the largest sampled RSS of its process tree, in KB."""
    with tempfile.TemporaryFile("w+", encoding="utf-8") as stdout:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=ENV, stdout=stdout, stderr=subprocess.PIPE, text=True)
        sampler = TreeMemory(process.pid)
        sampler.start()
        marks, lines = [started], []
        assert process.stderr is not None
        for line in process.stderr:
            marks.append(time.perf_counter())
            lines.append(line)
        process.stderr.close()
        code, rss = _reap(process)
        marks.append(time.perf_counter())
        tree = sampler.stop()
        if len(lines) == len(STAGES):  # the images line (always the second): not a stage boundary
            del marks[2]
            del lines[1]
        if code != 0:
            stdout.seek(0)
            raise _failed(command, code, stdout.read(), "".join(lines))
    if len(marks) != len(STAGES) + 1:  # something else wrote to stderr: no stage split for this run
        print(f"  (no stage split: {len(lines)} lines on stderr: {''.join(lines)[-500:]!r})")
        return [], rss, tree
    return [later - earlier for earlier, later in zip(marks, marks[1:], strict=False)], rss, tree


# --- the two projects --------------------------------------------------------------------------------------------


@dataclass
class Pages:
    count: int
    words: list[int]
    excluded_from_search: int
    entry_words: list[int]
    """Words of each entry's own page (proposals, cooperations, organisations): the bare build per entry."""


def showcase_pages(project: Project) -> Pages:
    """Validate (printing every problem if there is one), publish and render in-process, to count pages and words."""
    checked = pipeline.check(project.config)
    errors = [d for d in checked.diagnostics if d.severity == "error"]
    if errors:
        for diagnostic in errors[:50]:
            print(f"{diagnostic.path}:{diagnostic.line}:{diagnostic.column}: {diagnostic.code}: "
                  f"{diagnostic.message}")
        raise SystemExit(f"the synthetic content does not validate: {len(errors)} errors")
    pages = render_site(publish(checked.content, checked.theme.urls), checked.theme, checked.project)
    words = [len(html.unescape(_TAGS.sub(" ", page.html)).split()) for page in pages]
    entries = [count for page, count in zip(pages, words, strict=True) if page.template in ENTRY_TEMPLATES]
    return Pages(len(pages), words, sum(1 for page in pages if not page.searchable), entries)


ENTRY_TEMPLATES = frozenset({"proposal.html", "cooperation.html", "organization.html"})
"""The pages of the entries themselves: what a network would write as Markdown pages without the showcase."""


def write_bare_project(root: Path, words: list[int], language: str, seed: int = 2) -> Path:
    """As many plain Markdown pages as `words` has entries, each with that many words; a nav of 5 entries."""
    docs = root / "docs"
    writer = Writer(root, seed, 150)
    sections = ["herausforderungen", "erfolgsgeschichten", "organisationen", "wirkung"]
    nav = [{"Start": "index.md"}] + [{name.capitalize(): f"{name}/index.md"} for name in sections]
    paths = ["index.md"] + [f"{name}/index.md" for name in sections]
    paths += [f"{sections[index % 4]}/seite-{index:06d}.md" for index in range(len(words) - len(paths))]
    for number, (path, count) in enumerate(zip(paths, words, strict=False)):
        target = docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        title = f"Seite {number}: {writer.sentence(3, 6)[:-1]}"
        meta = yaml.safe_dump({"title": title, "description": writer.sentence()}, allow_unicode=True)
        target.write_text(f"---\n{meta}---\n\n# {title}\n\n{writer.body(max(count, 30))}", encoding="utf-8")
    config = {
        "site_name": "Bare benchmark",
        "site_url": "https://bare.example.org/",
        "docs_dir": "docs",
        "site_dir": "site",
        "theme": {"name": "material", "language": language, "font": False},
        "nav": nav,
        "not_in_nav": "*\n",
        "plugins": ["search"],
    }
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False),
                                     encoding="utf-8")
    return root / "mkdocs.yml"


# --- sizes -------------------------------------------------------------------------------------------------------


def largest(files: list[Path]) -> tuple[float, str]:
    sizes = [(file.stat().st_size / 1024, file.parent.name) for file in files if file.is_file()]
    return max(sizes) if sizes else (0.0, "—")


def sizes(site: Path, project: Project, urls: UrlScheme) -> dict[str, tuple[float, str]]:
    proposals = [site / urls.detail_url(PROPOSAL, pid) / "index.html" for pid in project.proposals]
    stories = [site / urls.detail_url(COOPERATION, sid) / "index.html" for sid in project.cooperations]
    index = site / "search" / "search_index.json"
    total = sum(file.stat().st_size for file in site.rglob("*") if file.is_file())
    if index.is_file():  # MkDocs' search plugin: one file, all of it loaded by the first search
        search = (index.stat().st_size / 1024, "search/search_index.json")
    else:  # Pagefind: many files, a search loads a few of them
        search = (sum(file.stat().st_size for file in (site / "search").rglob("*") if file.is_file()) / 1024,
                  "search/ (all files of the Pagefind index; a search loads a few)")
    return {
        "proposal": largest(proposals),
        "story": largest(stories),
        "search": search,
        "site": (total / 1024, ""),
    }


def bare_sizes(site: Path) -> dict[str, float]:
    pages = [file for file in site.rglob("index.html") if "seite-" in file.parent.name]
    index = site / "search" / "search_index.json"
    return {
        "largest": largest(pages)[0],
        "mean": statistics.mean(file.stat().st_size for file in pages) / 1024 if pages else 0.0,
        "search": index.stat().st_size / 1024 if index.is_file() else 0.0,
    }


# --- where the time goes -----------------------------------------------------------------------------------------


def profile_build(project: Project, top: int = 30) -> str:
    profiler = cProfile.Profile()
    with tempfile.TemporaryDirectory(prefix="profile-", dir=project.root) as temporary:
        profiler.enable()
        code = commands.build(project.config, Path(temporary) / "site", "human", False, quiet=True)
        profiler.disable()
    if code != 0:
        raise SystemExit(f"the in-process build failed with exit code {code}")
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    print("Top functions by own time:", file=out)
    stats.sort_stats("tottime").print_stats(top)
    print("The generator's functions and MkDocs' build steps by cumulative time:", file=out)
    stats.sort_stats("cumulative").print_stats(r"/generator/|mkdocs/commands/build\.py|search/plugin\.py", top)
    # Shorten the file names: site-packages/… and the checkout.
    text = out.getvalue().replace(str(Path(yaml.__file__).parent.parent) + os.sep, "")
    return text.replace(str(Path(__file__).resolve().parent.parent) + os.sep, "")


# --- one scale ---------------------------------------------------------------------------------------------------


@dataclass
class Result:
    n: int
    pages: Pages
    showcase: Timing
    bare: Timing
    entries: Timing
    """The bare build with one page per entry (the developers' guide: same entries, not same output pages)."""
    sizes: dict[str, tuple[float, str]]
    bare_sizes: dict[str, float]
    stages: list[list[float]]
    project: Project


def bench(n: int, workdir: Path, repeat: int, words: int) -> Result:
    started = time.perf_counter()
    root = workdir / f"n{n}"
    project = write_project(root / "showcase", proposals=n, cooperations=n, nonprofits=max(1, n // 5),
                            companies=max(1, n // 5), statuses="open", words=words, templates=True)
    pages = showcase_pages(project)
    language = yaml.safe_load(project.config.read_text(encoding="utf-8"))["site"]["language"]
    bare_config = write_bare_project(root / "bare", pages.words, language)
    entries_config = write_bare_project(root / "bare-entries", pages.entry_words, language)
    print(f"\n=== {n:,} open proposals + {n:,} cooperations + {len(project.nonprofits):,} non-profits + "
          f"{len(project.companies):,} companies ===")
    print(f"showcase renders {pages.count:,} pages ({pages.excluded_from_search:,} listing pages excluded from "
          f"search); words per page: mean {statistics.mean(pages.words):.0f}, median "
          f"{statistics.median(pages.words):.0f}, max {max(pages.words)}")
    print(f"bare MkDocs project: {pages.count:,} pages with the same word counts, all searchable "
          f"(projects written and checked in {time.perf_counter() - started:.1f} s)")
    print(f"bare MkDocs project per entry: {len(pages.entry_words):,} pages, one per proposal, cooperation and "
          "organisation, each with the word count of that entry's page", flush=True)

    site = root / "site"
    showcase, bare, entries, stages = Timing(), Timing(), Timing(), []
    for _ in range(repeat):
        with measure(showcase):
            split, rss, tree = run_showcase([str(BIN / "showcase"), "build", "--config", str(project.config),
                                             "--out", str(site)], cwd=project.root)
        stages.append(split)
        showcase.rss.append(rss)
        showcase.tree.append(tree)
        with measure(bare):
            rss, tree = run([str(BIN / "mkdocs"), "build", "-q", "-f", str(bare_config)], cwd=bare_config.parent)
        bare.rss.append(rss)
        bare.tree.append(tree)
        with measure(entries):
            rss, tree = run([str(BIN / "mkdocs"), "build", "-q", "-f", str(entries_config)],
                            cwd=entries_config.parent)
        entries.rss.append(rss)
        entries.tree.append(tree)
    print(f"  showcase build ({repeat} runs)   {showcase.show()}")
    print(f"  bare mkdocs build -q          {bare.show()}")
    print(f"  bare, one page per entry      {entries.show()}")
    print("  each run, wall/CPU: showcase " + ", ".join(f"{w:.1f}/{c:.1f}" for w, c in zip(
        showcase.wall, showcase.cpu, strict=True)) + " s;  bare " + ", ".join(
        f"{w:.1f}/{c:.1f}" for w, c in zip(bare.wall, bare.cpu, strict=True)) + " s", flush=True)
    print("  peak RSS of each run (ru_maxrss / sampled sum over the process tree): showcase " + ", ".join(
        f"{kb / 1024:.0f}/{tree / 1024:.0f}" for kb, tree in zip(showcase.rss, showcase.tree, strict=True))
        + " MB;  bare " + ", ".join(f"{kb / 1024:.0f}/{tree / 1024:.0f}" for kb, tree in zip(
            bare.rss, bare.tree, strict=True)) + " MB", flush=True)
    urls = pipeline.check(project.config).theme.urls
    return Result(n, pages, showcase, bare, entries, sizes(site, project, urls),
                  bare_sizes(bare_config.parent / "site"), stages, project)


def fastest(result: Result) -> list[float]:
    """The stages of the fastest showcase run."""
    return result.stages[result.showcase.wall.index(min(result.showcase.wall))]


def verdict(value: float, target: float) -> str:
    return f"target <= {target}: {'OK' if value <= target else 'MISSED'}"


def report(result: Result) -> bool:
    """Print the figures of one scale; True when its targets are met."""
    wall_ratio = result.showcase.best[0] / result.bare.best[0]
    cpu_ratio = result.showcase.best[1] / result.bare.best[1]
    page_kb = max(result.sizes["proposal"][0], result.sizes["story"][0])
    memory_ratio = result.showcase.footprint / result.bare.footprint if result.bare.footprint else float("inf")
    process_ratio = result.showcase.peak / result.bare.peak if result.bare.peak else float("inf")
    print(f"  ratio showcase/bare: {wall_ratio:.2f} wall, {cpu_ratio:.2f} CPU  ({verdict(wall_ratio, TARGET_RATIO)} "
          f"wall, {'OK' if cpu_ratio <= TARGET_RATIO else 'MISSED'} CPU;  issue 10 "
          f"{verdict(wall_ratio, TARGET_RATIO_V2)} wall, {'OK' if cpu_ratio <= TARGET_RATIO_V2 else 'MISSED'} CPU)")
    print(f"  peak memory (largest of the runs; max of ru_maxrss and the sampled process-tree sum): showcase "
          f"{result.showcase.footprint / 1024:,.0f} MB, bare {result.bare.footprint / 1024:,.0f} MB: ratio "
          f"{memory_ratio:.2f}  (issue 10 {verdict(memory_ratio, TARGET_MEMORY)});  largest single process only "
          f"(ru_maxrss): {result.showcase.peak / 1024:,.0f} MB vs {result.bare.peak / 1024:,.0f} MB, ratio "
          f"{process_ratio:.2f}")
    entry_wall = result.showcase.best[0] / result.entries.best[0]
    entry_cpu = result.showcase.best[1] / result.entries.best[1]
    entry_memory = result.showcase.footprint / result.entries.peak if result.entries.peak else float("inf")
    print(f"  against the bare build with one page per entry: {entry_wall:.2f} wall, {entry_cpu:.2f} CPU "
          f"({verdict(entry_wall, TARGET_RATIO_V2)} wall);  peak memory {entry_memory:.2f} "
          f"({verdict(entry_memory, TARGET_MEMORY)})")
    kb, name = result.sizes["proposal"]
    print(f"  largest proposal page: {kb:.1f} KB (herausforderungen/{name}/index.html)")
    kb, name = result.sizes["story"]
    print(f"  largest story page:    {kb:.1f} KB (erfolgsgeschichten/{name}/index.html)   "
          f"largest detail page {page_kb:.1f} KB, {verdict(page_kb, TARGET_PAGE_KB)}")
    print(f"  {result.sizes['search'][1]}: {result.sizes['search'][0]:,.0f} KB;  whole site "
          f"{result.sizes['site'][0] / 1024:,.1f} MB")
    print(f"  bare: largest page {result.bare_sizes['largest']:.1f} KB, mean page {result.bare_sizes['mean']:.1f} KB,"
          f" search_index.json {result.bare_sizes['search']:,.0f} KB")
    stages = fastest(result)
    if stages:
        print("  stages of the fastest showcase run (wall, from its progress lines):")
        for name, seconds in zip(STAGES, stages, strict=True):
            print(f"    {name:<36} {seconds:8.2f} s  {seconds / sum(stages):6.1%}")
    return (wall_ratio <= TARGET_RATIO and cpu_ratio <= TARGET_RATIO and page_kb <= TARGET_PAGE_KB
            and memory_ratio <= TARGET_MEMORY)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="open proposals and cooperations (default 1,000 each)")
    parser.add_argument("--scale", type=int, default=4, help="the second run has this many times the entries")
    parser.add_argument("--no-scale", action="store_true", help="only the first size")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the best counts")
    parser.add_argument("--scale-repeat", type=int, default=1, help="runs per measurement at the larger scale")
    parser.add_argument("--words", type=int, default=150, help="words per proposal or story body")
    parser.add_argument("--profile", action="store_true", help="profile even when the targets are met")
    parser.add_argument("--keep", type=Path, default=None, help="write the projects here and keep them")
    args = parser.parse_args(argv)
    os.environ.update(SOURCE_DATE_EPOCH="0", NO_MKDOCS_2_WARNING="1")

    commit, version = announce_code_version()
    with working_folder("bench-build-", args.keep) as workdir:
        results = [bench(args.n, workdir, args.repeat, args.words)]
        ok = report(results[0])
        if not args.no_scale:
            results.append(bench(args.n * args.scale, workdir, args.scale_repeat, args.words))
            ok = report(results[1]) and ok
            small, large = results
            wall = large.showcase.best[0] / small.showcase.best[0]
            cpu = large.showcase.best[1] / small.showcase.best[1]
            bare_wall = large.bare.best[0] / small.bare.best[0]
            bare_cpu = large.bare.best[1] / small.bare.best[1]
            print(f"\nscaling {args.scale}x entries, showcase: {wall:.2f} wall, {cpu:.2f} CPU  "
                  f"({verdict(wall, TARGET_SCALING)} wall, {'OK' if cpu <= TARGET_SCALING else 'MISSED'} CPU);"
                  f"  bare MkDocs: {bare_wall:.2f} wall, {bare_cpu:.2f} CPU")
            ok = ok and wall <= TARGET_SCALING and cpu <= TARGET_SCALING
            if fastest(small) and fastest(large):
                print(f"scaling per stage ({args.scale}x / 1x, wall, fastest runs):")
                for name, one, four in zip(STAGES, fastest(small), fastest(large), strict=True):
                    print(f"    {name:<36} {one:8.2f} s -> {four:8.2f} s   x {four / one:6.2f}")
        warn_if_code_changed(commit, version, "the figures mix versions; run again.")
        if not ok or args.profile:
            print(f"\n--- cProfile of one in-process build at {args.n:,} entries (profiling slows Python code, "
                  "not C) ---")
            print(profile_build(results[0].project))
    return 0


if __name__ == "__main__":
    sys.exit(main())
