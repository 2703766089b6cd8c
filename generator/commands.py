"""What each `showcase` command does: a few lines each on top of the pipeline; the CLI only parses arguments."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from . import editor, pipeline
from .catalogue import catalogue
from .pipeline import ExitCode


def validate(config_path: Path, fmt: str, strict: bool) -> ExitCode:
    """Check everything and report all problems."""
    checked = pipeline.check(config_path, strict)
    pipeline.report(checked.diagnostics, checked.project.root, fmt, checked.language)
    return checked.exit_code


def build(config_path: Path, out_dir: Path | None, fmt: str, strict: bool, quiet: bool = False) -> ExitCode:
    """Check, then build the site into `out_dir` (default: site/ beside the configuration)."""
    checked = pipeline.check(config_path, strict)
    pipeline.report(checked.diagnostics, checked.project.root, fmt, checked.language)
    if not checked.ok:
        return checked.exit_code

    def progress(text: str) -> None:
        if not quiet:
            print(text, file=sys.stderr, flush=True)

    built = pipeline.build(checked, out_dir, progress)
    pipeline.report(built.diagnostics, checked.project.root, fmt, checked.language)
    if built.ok:
        texts = catalogue(checked.language)
        progress(texts.text("progress.done", pages=texts.number(built.pages), target=built.out_dir,
                            seconds=texts.number(round(built.seconds, 1))))
    return built.exit_code


def cms(language: str) -> ExitCode:
    """Fetch the pinned web editor once and check it against its integrity string."""
    texts = catalogue(language)
    try:
        folder = editor.install()
    except editor.BundleError as error:
        print(texts.text("cli.cms_failed", reason=error), file=sys.stderr)
        return ExitCode.USAGE
    print(texts.text("cli.cms_installed", version=f"{editor.DECAP.package} {editor.DECAP.version}", path=folder))
    return ExitCode.OK


def preview(config_path: Path, changed: list[str]) -> ExitCode:
    """The changed entries as Markdown on standard output (for `$GITHUB_STEP_SUMMARY`)."""
    from .preview import preview as changed_entries

    text, code = changed_entries(config_path, changed)
    sys.stdout.write(text)
    return code


def serve(config_path: Path, host: str, port: int) -> ExitCode:
    from .serve import serve as run_preview

    if not config_path.is_file():
        return validate(config_path, "human", False)
    return run_preview(config_path, host, port)


def _today() -> dt.date:
    from .moment import build_moment

    return build_moment().date()


def _written(paths: list[Path], texts) -> None:
    for path in paths:
        print(texts.text("cli.written", path=path))


def round_packet(config_path: Path, day: dt.date | None, out: Path, stale_months: int) -> ExitCode:
    """The matching group's internal packet: refused anywhere it could be committed or published."""
    from . import reports

    checked = pipeline.check(config_path)
    pipeline.report(checked.diagnostics, checked.project.root, "human", checked.language)
    if not checked.ok:
        return checked.exit_code
    texts = checked.theme.catalogue
    try:
        reports.check_private_target(out, checked.project.root, pipeline.default_site(checked.project.root))
    except reports.UnsafeTarget as unsafe:
        print(texts.text("cli.unsafe_target", path=unsafe), file=sys.stderr)
        return ExitCode.USAGE
    day = day or _today()
    packet = reports.round_packet(checked.content, texts, day, stale_months)
    _written(reports.write_document(checked.project, texts, "round.html", out, f"matching-runde-{day.isoformat()}",
                                    [], packet=packet, content=checked.content), texts)
    return ExitCode.OK


def report(config_path: Path, year: int | None, organization: str | None, out: Path) -> ExitCode:
    """The annual report or one organisation's engagement record, from public data only."""
    from . import reports
    from .publish import publish

    checked = pipeline.check(config_path)
    pipeline.report(checked.diagnostics, checked.project.root, "human", checked.language)
    if not checked.ok:
        return checked.exit_code
    texts = checked.theme.catalogue
    site = publish(checked.content, checked.theme.urls)
    built = _today()
    paths: list[Path] = []
    if year is not None:
        annual = reports.annual_report(site, year)
        images = _report_images(annual.this.stories, [o for group in annual.this.contributors.values() for o in group])
        paths += reports.write_document(checked.project, texts, "annual.html", out, f"bilanz-{year}", images,
                                        report=annual, built=built)
    if organization is not None:
        record = reports.engagement(site, organization)
        if record is None:
            print(texts.text("cli.unknown_organization", id=organization), file=sys.stderr)
            return ExitCode.USAGE
        images = _report_images(record.cooperations, [record.organization])
        paths += reports.write_document(checked.project, texts, "record.html", out, f"engagement-{organization}",
                                        images, record=record, site=site, built=built)
    if not paths:
        print(texts.text("cli.report_needs"), file=sys.stderr)
        return ExitCode.USAGE
    _written(paths, texts)
    return ExitCode.OK


def _report_images(stories, organizations) -> list[str]:
    """The public images a report prints: each story's first picture and the organisations' logos."""
    found = [story.images[0].src for story in stories if story.images]
    found += [org.logo.src for org in organizations if org.logo]
    return sorted(set(found))


def federate(folders: list[Path]) -> ExitCode:
    """A combined account of several networks from their open-data exports (the data folders of their sites)."""
    from .catalogue import environment_language
    from .opendata import NotAnExport, network_totals
    from .quantities import add

    texts = catalogue(environment_language())
    rows = []
    for folder in folders:
        try:
            rows.append(network_totals(folder))
        except NotAnExport as error:
            print(texts.text("cli.federate_invalid", path=folder, reason=error), file=sys.stderr)
            return ExitCode.USAGE
    f = texts.strings["federate"]
    print(" | ".join((f["network"], f["stories"], f["matches"], f["hours"], f["value"])))
    for row in rows:
        print(" | ".join((f"{row.name} ({row.id})", texts.number(row.stories), texts.quantity(row.matches),
                          texts.quantity(row.hours), texts.quantity(row.value_eur, "€"))))
    print(" | ".join((f["total"], texts.number(sum(r.stories for r in rows)),
                      texts.quantity(add(r.matches for r in rows)), texts.quantity(add(r.hours for r in rows)),
                      texts.quantity(add(r.value_eur for r in rows), "€"))))
    return ExitCode.OK
