"""`showcase new proposal|cooperation|organization`: a new content file that validates, from a few answers.

The answers are asked for at the terminal (in the site's language), read line by line from piped input, or taken
from options, so scripts can use it too (`scaffold_ask`). Nothing is asked with `--no-input`: a missing essential
is then an error with exit code 2 that names the options. The file name (the id) is derived from the title
(`slugs`); when that file exists, the title is refused with its name — never a silent `-2` — and an explicit
`--id` is the way out. An existing file is never overwritten. Every answer is checked with the validator's rules,
and the new entry is checked with all of them — including that its address is not one of the generator's pages —
before it is written; a refusal is the validator's own message (`scaffold_file`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from typing import Any, TextIO

from . import pipeline
from .catalogue import Catalogue
from .diagnostics import Diagnostic, display_path
from .kinds import BY_NAME, ContentKind
from .pipeline import ExitCode
from .scaffold_ask import Asker, UsageError, is_terminal, pipe_reader, terminal_reader
from .scaffold_checks import Context, date_check, derived_id, exists_message, id_check
from .scaffold_file import entry_problems, render_file, write_exclusive
from .scaffold_kinds import (
    Draft,
    missing_essentials,
    new_cooperation,
    new_event,
    new_offer,
    new_organization,
    new_proposal,
)

Builder = Callable[[Context, argparse.Namespace, Asker], Draft]
BUILDERS: dict[str, Builder] = {
    "proposal": new_proposal,
    "cooperation": new_cooperation,
    "organization": new_organization,
    "offer": new_offer,
    "event": new_event,
}
"""Per kind: what is asked."""


# --- command line ----------------------------------------------------------------------------------------------


def add_parser(sub: argparse._SubParsersAction, add_config: Callable[[argparse.ArgumentParser], None],
               texts: Catalogue) -> None:
    """`showcase new KIND …` (called from cli.build_parser), its help in the language of `texts`."""

    def say(key: str) -> str:
        return texts.text(f"new.help.{key}")

    new = sub.add_parser("new", help=say("command"), description=say("command"), add_help=False)
    _add_help(new, texts)
    kinds = new.add_subparsers(dest="new_kind", required=True, metavar=say("kind"))

    def kind_parser(name: str) -> argparse.ArgumentParser:
        parser = kinds.add_parser(name, help=say(name), description=say(name), add_help=False)
        _add_help(parser, texts)
        add_config(parser)
        parser.add_argument("--id", default=None, help=say("id"))
        parser.add_argument("--date", default=None, help=say("date"))
        parser.add_argument("--no-input", action="store_true", help=say("no-input"))
        parser.add_argument("--district", default=None, help=say("district"))
        return parser

    def options(parser: argparse.ArgumentParser, *names: str) -> None:
        """`--name` options in this order; `--name…` (with the ellipsis) may be repeated."""
        for name in names:
            repeated = name.endswith("…")
            name = name.removesuffix("…")
            parser.add_argument(f"--{name}", action="append" if repeated else "store", default=None, help=say(name))

    proposal = kind_parser("proposal")
    options(proposal, "title", "organization", "summary", "need-kind…", "need…", "theme…", "contact-name",
            "contact-email")
    proposal.add_argument("--contact-public", nargs="?", const="true", default=None, metavar=say("yes-no-metavar"),
                          help=say("contact-public"))
    options(proposal, "beneficiaries", "beneficiaries-count", "image", "image-alt")
    cooperation = kind_parser("cooperation")
    cooperation.add_argument("--from-proposal", default=None, metavar=say("id-metavar"), help=say("from-proposal"))
    cooperation.add_argument("--title", default=None, help=say("cooperation-title"))
    options(cooperation, "organization", "summary", "partner…", "partner-kind…", "contribution…", "started",
            "completed", "theme…")
    organization = kind_parser("organization")
    organization.add_argument("--name", default=None, help=say("name"))
    organization.add_argument("--kind", default=None, help=say("organization-kind"))
    options(organization, "website", "description")
    offer = kind_parser("offer")
    options(offer, "title", "organization", "need-kind", "summary", "amount", "until", "theme…")
    event = kind_parser("event")
    options(event, "title", "event-kind", "event-date", "summary", "place")


def _add_help(parser: argparse.ArgumentParser, texts: Catalogue) -> None:
    parser.add_argument("-h", "--help", action="help", help=texts.text("cli.help"))


# --- running ---------------------------------------------------------------------------------------------------


def run(args: argparse.Namespace, read: Callable[[str], str] | None = None, out: TextIO | None = None,
        err: TextIO | None = None) -> int:
    """`showcase new`: exit 0 with the new file's path on stdout, or 2 with plain sentences on stderr.

    Answers not given as options are asked for with `read` (default: at the terminal, or from piped stdin)."""
    out, err = out or sys.stdout, err or sys.stderr
    checked = pipeline.check(args.config)
    if checked.content is None or checked.theme is None:
        pipeline.report(checked.diagnostics, checked.project.root, "human", checked.language, err)
        return ExitCode.USAGE
    ctx = Context(checked.content, checked.theme, checked.diagnostics, dt.date.today())
    asker = make_asker(ctx, args, read, err)
    try:
        rel, notes = create(ctx, args, asker)
    except UsageError as error:
        for sentence in error.args:
            print(ctx.say("error", text=sentence), file=err)
        return ExitCode.USAGE
    for note in notes:
        print(ctx.say("note", text=note.message), file=err)
    print(display_path(ctx.content.root, rel), file=out)
    print(ctx.say("created"), file=err)
    return ExitCode.OK


def make_asker(ctx: Context, args: argparse.Namespace, read: Callable[[str], str] | None, err: TextIO) -> Asker:
    """Nothing asked with --no-input; at a terminal (or with `read`) asked again after a refusal; else piped."""
    essentials = missing_essentials(args)
    texts = ctx.theme.catalogue
    if args.no_input:
        return Asker(texts, False, err=err, essentials=essentials)
    if read is not None or is_terminal(sys.stdin):
        return Asker(texts, True, read or terminal_reader(err), err, essentials=essentials)
    return Asker(texts, True, pipe_reader(sys.stdin, err), err, piped=True, essentials=essentials)


def create(ctx: Context, args: argparse.Namespace, asker: Asker) -> tuple[str, list[Diagnostic]]:
    """Ask, check and write; the new file (relative to the project) and the validator's warnings about it."""
    kind = BY_NAME[args.new_kind]
    if args.date is not None:
        ctx.today = asker.option("--date", args.date, date_check(ctx, ()))
    fixed = asker.option("--id", args.id, id_check(ctx, kind))
    data, body, title = BUILDERS[kind.name](ctx, args, asker)
    data = without_empty(data)
    text = render_file(kind, data, body)
    return write_entry(ctx, kind, fixed or derived_id(ctx, kind, title), fixed is not None, data, text)


def without_empty(data: dict[str, Any]) -> dict[str, Any]:
    """Leave out what was not answered (`None`, empty lists and mappings), also inside mappings."""
    cleaned = {key: without_empty(value) if isinstance(value, dict) else value for key, value in data.items()}
    return {key: value for key, value in cleaned.items() if value not in (None, [], {})}


def write_entry(ctx: Context, kind: ContentKind, entry_id: str, fixed: bool, data: dict[str, Any],
                text: str) -> tuple[str, list[Diagnostic]]:
    """Write `text` as `entry_id`, once it is approved; a file that exists (even one created meanwhile) is kept."""
    root = ctx.content.root
    rel = kind.rel(entry_id)
    path = root / rel
    exists = exists_message(ctx, kind, entry_id, fixed)
    if path.exists() or path.is_symlink():
        raise UsageError(exists)
    notes = approve(ctx, kind, entry_id, data, text)
    try:
        write_exclusive(path, text)
    except FileExistsError:
        raise UsageError(exists) from None
    except OSError as error:
        raise UsageError(ctx.say("unwritable", path=display_path(root, rel), reason=error.strerror or error)) from None
    return rel, notes


def approve(ctx: Context, kind: ContentKind, entry_id: str, data: dict[str, Any], text: str) -> list[Diagnostic]:
    """Refuse with the validator's messages what `showcase validate` would refuse; its warnings otherwise."""
    entry, found = entry_problems(ctx.content, ctx.theme, ctx.before, kind, entry_id, text)
    errors = [diagnostic.message for diagnostic in found if diagnostic.severity == "error"]
    if errors:
        raise UsageError(*errors)
    if entry is None or entry.fields != data:
        raise UsageError(ctx.say("internal", detail=kind.rel(entry_id)))
    return found
