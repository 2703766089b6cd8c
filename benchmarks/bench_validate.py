"""How long does `showcase validate` take compared with merely parsing the same YAML?

Writes N synthetic proposals (default 10,000) plus the non-profit organisations they reference into a
temporary project, then times in the same run, --repeat runs each (default 3; the runs of the different
measurements alternate, so a busy machine affects all alike), files already in the page cache:

  validate (in-process)   generator.pipeline.check(config) + report
  validate (CLI)          `showcase validate --config …` in a subprocess: adds interpreter start and imports
  parse (baseline)        for the same files: read, split off the front matter, yaml.load(…, CSafeLoader)

and prints the ratio validate / parse; the target is <= 1.5 (in-process). Each run is timed in wall-clock and
CPU seconds; the ratio is printed from the median wall times, the best wall times and the best CPU times (the
last is the steadiest on a machine shared with other jobs). When a ratio misses the target (or with
--profile) it shows where the time goes: each stage of the loader and validator timed on its own, and the top
functions under cProfile.

    /work/venv/bin/python benchmarks/bench_validate.py [--n 10000] [--repeat 3] [--profile] [--no-cli]
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from _synthetic import announce_code_version, warn_if_code_changed, write_project

from generator import kinds, load, pipeline, rules, validate
from generator.files import Inside

TARGET_RATIO = 1.5
SHOWCASE = Path(sys.executable).with_name("showcase")


@dataclass
class Timing:
    """Wall-clock and CPU seconds of each run. CPU time counts only what this process (or its finished
    children) used, so other jobs on a shared 2-core machine barely change it; wall time includes waiting."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    result: object = None

    @property
    def median(self) -> float:
        return statistics.median(self.wall)

    @property
    def best(self) -> float:
        return min(self.wall)

    @property
    def cpu_best(self) -> float:
        return min(self.cpu)

    def show(self) -> str:
        return f"{self.median:8.3f} s {self.best:8.3f} s {self.cpu_best:8.3f} s"


def _cpu() -> float:
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def interleaved(functions: dict[str, Callable[[], object]], repeat: int) -> dict[str, Timing]:
    """Run each function `repeat` times, in turn (A B C, A B C, …), garbage collected before each run."""
    timings = {name: Timing() for name in functions}
    for _ in range(repeat):
        for name, function in functions.items():
            gc.collect()
            wall, cpu = time.perf_counter(), _cpu()
            timings[name].result = function()
            timings[name].wall.append(time.perf_counter() - wall)
            timings[name].cpu.append(_cpu() - cpu)
    return timings


def timed(function: Callable[[], object], repeat: int) -> Timing:
    return interleaved({"": function}, repeat)[""]


def content_files(root: Path) -> list[Path]:
    """The files `showcase validate` reads, in its order."""
    files = [root / "site_config.yml"]
    for kind in kinds.KINDS:
        folder = root / kind.folder
        if folder.is_dir():
            files += sorted(p for p in folder.iterdir() if p.suffix == kind.suffix)
    return files


def parse_baseline(files: list[Path]) -> list:
    """Read each file, split off the front matter of Markdown files, load the YAML with CSafeLoader.

    The results are kept (as validate keeps its content), so both pay the same for memory and garbage collection.
    """
    loaded = []
    for file in files:
        text = file.read_text(encoding="utf-8")
        if file.suffix == ".md":
            end = text.index("\n---\n", 3)
            text = text[4 : end + 1]
        loaded.append(yaml.load(text, Loader=yaml.CSafeLoader))
    return loaded


def run_validate(config: Path) -> tuple[int, str]:
    out = io.StringIO()
    checked = pipeline.check(config)
    pipeline.report(checked.diagnostics, checked.project.root, "human", checked.language, out)
    return checked.exit_code, out.getvalue()


def run_cli(config: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(SHOWCASE), "validate", "--config", str(config), "--format", "human"],
                          capture_output=True, text=True, check=False, cwd=config.parent)


# --- where the time goes --------------------------------------------------------------------------------------


def stage_breakdown(root: Path, files: list[Path], repeat: int) -> list[tuple[str, float]]:
    """Each step of load_and_validate, timed on its own over all files (best of `repeat`)."""
    language = "de"
    content_dir = root / "content"
    models = {kind.suffix + kind.folder: kind.model for kind in kinds.KINDS}
    entries = []
    for file in files[1:]:
        folder = file.parent.relative_to(root).as_posix()
        entries.append((file, file.relative_to(root).as_posix(), models[file.suffix + folder]))
    rows: list[tuple[str, float]] = []

    def add(name: str, function: Callable[[], object]) -> object:
        timing = timed(function, repeat)
        rows.append((name, timing.cpu_best))
        return timing.result

    def listing() -> None:
        for kind in kinds.KINDS:
            if (root / kind.folder).is_dir():
                for file in sorted((root / kind.folder).iterdir()):
                    file.relative_to(root).as_posix()
                    validate.valid_id(file.stem)

    add("list folders (sorted Paths), relative_to, valid_id", listing)
    inside = Inside(content_dir)
    add("Inside per file (Path.resolve of file and of content/)",
        lambda: [inside(file, False) for file, _, _ in entries])
    texts = add("read_text (stat, read, decode, fold CRLF)",
                lambda: [load.read_text(f, rel, language)[0] for f, rel, _ in entries])
    yaml_texts = add("split_front_matter (regex)", lambda: [
        (load.split_front_matter(t)[0], 1) if f.suffix == ".md" else (t, 0)
        for (f, _, _), t in zip(entries, texts, strict=True)
    ])

    anchored = sum(1 for text, _ in yaml_texts if "&" in text or "*" in text)
    documents = add("parse_yaml (checks, C parser, walk with positions)", lambda: [
        load.parse_yaml(text, "x", language, offset, front_matter=bool(offset))[0] for text, offset in yaml_texts
    ])
    add("pydantic model_validate", lambda: [
        model.model_validate(document.data)
        for (_, _, model), document in zip(entries, documents, strict=True)
    ])
    checked = pipeline.check(root / "site_config.yml")
    content = checked.content
    assert checked.ok, checked.diagnostics[:5]
    add("validate_files (images: is_file, _inside, stat)", lambda: rules.validate_files(content))
    add("references, process rules, bodies", lambda: (
        rules.validate_references(content), rules.validate_process_rules(content),
        rules.validate_bodies(content),
    ))
    rows.append((f"  (files whose YAML contains & or *: {anchored} of {len(yaml_texts)})", float("nan")))
    add("for comparison: yaml.load(CSafeLoader) of the same texts",
        lambda: [yaml.load(text, Loader=yaml.CSafeLoader) for text, _ in yaml_texts])
    return rows


def profile(config: Path, top: int) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    run_validate(config)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("tottime")
    stats.print_stats(top)
    return out.getvalue()


# --- main ----------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="number of proposals (default 10,000)")
    parser.add_argument("--orgs", type=int, default=None, help="number of organisations (default n/5)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement")
    parser.add_argument("--profile", action="store_true", help="profile even when the target is met")
    parser.add_argument("--no-cli", action="store_true", help="skip the subprocess measurement")
    parser.add_argument("--keep", type=Path, default=None, help="write the project here and keep it")
    args = parser.parse_args(argv)

    commit, version = announce_code_version()
    with tempfile.TemporaryDirectory(prefix="bench-validate-") as temporary:
        root = args.keep or Path(temporary) / "project"
        orgs = args.orgs or max(1, args.n // 5)
        started = time.perf_counter()
        project = write_project(root, proposals=args.n, nonprofits=orgs, statuses="mixed")
        files = content_files(root)
        size = sum(f.stat().st_size for f in files)
        print(f"project: {args.n:,} proposals + {orgs:,} organisations = {len(files) - 1:,} content files, "
              f"{size / 1e6:.1f} MB, written in {time.perf_counter() - started:.1f} s ({root})")
        front = [f for f in files if f.suffix == ".md"]
        fm_bytes = statistics.mean(len(f.read_text(encoding="utf-8").split("\n---\n", 1)[0]) for f in front)
        print(f"mean proposal front matter: {fm_bytes:,.0f} bytes; mean file: "
              f"{statistics.mean(f.stat().st_size for f in front):,.0f} bytes")
        parse_baseline(files)  # warm the page cache (and CSafeLoader) before anything is timed

        code, output = run_validate(project.config)
        if code != 0:
            print(f"validate failed with exit code {code}:\n{output[:4000]}")
            return 1
        warnings = output.count("warning[")
        print(f"validate exit code {code}, {warnings} warnings\n")

        functions: dict[str, Callable[[], object]] = {
            "validate": lambda: run_validate(project.config),
            "parse": lambda: parse_baseline(files),
        }
        if not args.no_cli:
            functions["cli"] = lambda: run_cli(project.config)
            functions["startup"] = lambda: subprocess.run([str(SHOWCASE), "--version"], capture_output=True,
                                                          check=False)
        timings = interleaved(functions, args.repeat)
        validated, parsed = timings["validate"], timings["parse"]
        assert len(parsed.result) == len(files), (len(parsed.result), len(files))
        print(f"timings, {args.repeat} runs each:                    median wall  best wall   best CPU")
        print(f"  validate, in-process (validate_content)     {validated.show()}")
        if not args.no_cli:
            cli = timings["cli"]
            print(f"  validate, CLI (`showcase validate`)         {cli.show()}   exit {cli.result.returncode}")
            print(f"    of which start-up + imports (--version)   {timings['startup'].show()}")
        print(f"  parse: read + split + yaml.load(CSafeLoader) {parsed.show()}")
        ratios = {
            "median wall": validated.median / parsed.median,
            "best wall": validated.best / parsed.best,
            "best CPU": validated.cpu_best / parsed.cpu_best,
        }
        print(f"\nratio validate/parse, in-process (target <= {TARGET_RATIO}):  " + ";  ".join(
            f"{name} {value:.2f} {'OK' if value <= TARGET_RATIO else 'MISSED'}" for name, value in ratios.items()))
        if not args.no_cli:
            print(f"ratio CLI validate / in-process parse:  median wall {cli.median / parsed.median:.2f};  "
                  f"best CPU {cli.cpu_best / parsed.cpu_best:.2f}")
        count = len(files) - 1
        print(f"per content file (best CPU): validate {validated.cpu_best / count * 1e6:.0f} µs, "
              f"parse {parsed.cpu_best / count * 1e6:.0f} µs")

        warn_if_code_changed(commit, version)
        if max(ratios.values()) > TARGET_RATIO or args.profile:
            print("\n--- where the time goes: each stage on its own, all files, best CPU time of "
                  f"{args.repeat} ---")
            rows = stage_breakdown(root, files, args.repeat)
            total = sum(seconds for name, seconds in rows
                        if seconds == seconds and not name.startswith("for comparison"))
            for name, seconds in rows:
                if seconds != seconds:  # NaN: a note
                    print(name)
                else:
                    share = "" if name.startswith("for comparison") else f"{seconds / total:6.1%}"
                    print(f"  {name:<66} {seconds:7.3f} s {share}")
            print(f"  {'sum of the stages':<66} {total:7.3f} s")
            print("\n--- cProfile of one in-process validate (sorted by own time; profiling slows Python "
                  "code, not C) ---")
            print(profile(project.config, 25))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    sys.exit(main())
