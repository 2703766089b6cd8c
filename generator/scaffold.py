"""`showcase new proposal|cooperation|organization`: a new content file that validates, from a few answers.

The essentials are asked for interactively (in the site's language) or taken from options, so scripts can use it
too. Nothing is asked with `--no-input` or without a terminal (CI, scripts, piped input): a missing essential is
then an error with exit code 2. The file name (the id) is derived from the title (`slugs`), made unique with -2,
-3 … An existing file is never overwritten. Every answer is checked with the validator's rules, and the new entry
is checked with all of them — including that its address is not one of the generator's pages — before it is
written; a refusal is the validator's own message (`scaffold_file`).
"""

from __future__ import annotations

import argparse
import builtins
import datetime as dt
import sys
from collections.abc import Callable
from typing import Any, TextIO

from . import pipeline
from .catalogue import Catalogue
from .diagnostics import Diagnostic, display_path
from .kinds import BY_NAME, ContentKind
from .pipeline import ExitCode
from .scaffold_ask import Asker, UsageError, is_terminal
from .scaffold_checks import Context, date_check, id_check
from .scaffold_file import entry_problems, render_file, write_exclusive
from .scaffold_kinds import Draft, new_cooperation, new_organization, new_proposal
from .slugs import candidate_ids, organization_slug, slugify

Builder = Callable[[Context, argparse.Namespace, Asker], Draft]
BUILDERS: dict[str, tuple[Builder, Callable[[str], str]]] = {
    "proposal": (new_proposal, slugify),
    "cooperation": (new_cooperation, slugify),
    "organization": (new_organization, organization_slug),
}
"""Per kind: what is asked, and how the id is derived from the title or name."""


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
    cooperation = kind_parser("cooperation")
    cooperation.add_argument("--from-proposal", default=None, metavar=say("id-metavar"), help=say("from-proposal"))
    cooperation.add_argument("--title", default=None, help=say("cooperation-title"))
    options(cooperation, "organization", "summary", "partner…", "partner-kind…", "contribution…", "started",
            "completed", "theme…")
    organization = kind_parser("organization")
    organization.add_argument("--name", default=None, help=say("name"))
    organization.add_argument("--kind", default=None, help=say("organization-kind"))
    options(organization, "website", "description")


def _add_help(parser: argparse.ArgumentParser, texts: Catalogue) -> None:
    parser.add_argument("-h", "--help", action="help", help=texts.text("cli.help"))


# --- running ---------------------------------------------------------------------------------------------------


def run(args: argparse.Namespace, read: Callable[[str], str] | None = None, out: TextIO | None = None,
        err: TextIO | None = None) -> int:
    """`showcase new`: exit 0 with the new file's path on stdout, or 2 with plain sentences on stderr.

    Missing essentials are asked for with `read` (default: input(), only when stdin is a terminal)."""
    out, err = out or sys.stdout, err or sys.stderr
    checked = pipeline.check(args.config)
    if checked.content is None or checked.theme is None:
        pipeline.report(checked.diagnostics, checked.project.root, "human", checked.language, err)
        return ExitCode.USAGE
    ctx = Context(checked.content, checked.theme, checked.diagnostics, dt.date.today())
    # Without a terminal (CI, scripts, pipes) nothing is asked: prompts would end up in the captured output.
    interactive = not args.no_input and (read is not None or is_terminal(sys.stdin))
    asker = Asker(ctx.theme.catalogue, interactive, read or builtins.input, err)
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


def create(ctx: Context, args: argparse.Namespace, asker: Asker) -> tuple[str, list[Diagnostic]]:
    """Ask, check and write; the new file (relative to the project) and the validator's warnings about it."""
    kind = BY_NAME[args.new_kind]
    builder, derive_id = BUILDERS[kind.name]
    if args.date is not None:
        ctx.today = asker.option("--date", args.date, date_check(ctx, ()))
    fixed = asker.option("--id", args.id, id_check(ctx, kind))
    data, body, title = builder(ctx, args, asker)
    data = {key: value for key, value in data.items() if value not in (None, [], {})}
    text = render_file(kind, data, body)
    base = fixed or derive_id(title) or ctx.say(f"fallback-id-{kind.name}")
    return write_entry(ctx, kind, base, fixed is not None, data, text)


def write_entry(ctx: Context, kind: ContentKind, base: str, fixed: bool, data: dict[str, Any],
                text: str) -> tuple[str, list[Diagnostic]]:
    """Write `text` as the first free id from `base` (only `base` itself when `fixed`), once it is approved."""
    root = ctx.content.root
    for entry_id in [base] if fixed else candidate_ids(base):
        rel = kind.rel(entry_id)
        path = root / rel
        if path.exists() or path.is_symlink():
            if fixed:
                break
            continue
        notes = approve(ctx, kind, entry_id, data, text)
        try:
            write_exclusive(path, text)
        except FileExistsError:
            continue  # created meanwhile: the next id (or, when fixed, the refusal below)
        except OSError as error:
            raise UsageError(ctx.say("unwritable", path=display_path(root, rel),
                                     reason=error.strerror or error)) from None
        return rel, notes
    raise UsageError(ctx.say("exists", path=display_path(root, kind.rel(base))))


def approve(ctx: Context, kind: ContentKind, entry_id: str, data: dict[str, Any], text: str) -> list[Diagnostic]:
    """Refuse with the validator's messages what `showcase validate` would refuse; its warnings otherwise."""
    entry, found = entry_problems(ctx.content, ctx.theme, ctx.before, kind, entry_id, text)
    errors = [diagnostic.message for diagnostic in found if diagnostic.severity == "error"]
    if errors:
        raise UsageError(*errors)
    if entry is None or entry.fields != data:
        raise UsageError(ctx.say("internal", detail=kind.rel(entry_id)))
    return found
