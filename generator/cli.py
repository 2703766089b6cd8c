"""The `showcase` command line: parses arguments and hands over to generator.commands.

Help texts come from the catalogue in the site's language (from site_config.yml), or the terminal's (`LANG`)
when there is no readable configuration.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import yaml

from . import __version__, commands, scaffold, schema
from .catalogue import Catalogue, catalogue, environment_language
from .diagnostics import FORMATS, default_format
from .pipeline import ExitCode
from .validate import declared_language

DEFAULT_CONFIG = Path("site_config.yml")


def help_language(argv: list[str]) -> str:
    """The site's language if its configuration can be read, else the terminal's."""
    config = DEFAULT_CONFIG
    for index, arg in enumerate(argv):
        if arg == "--config" and index + 1 < len(argv):
            config = Path(argv[index + 1])
        elif arg.startswith("--config="):
            config = Path(arg.split("=", 1)[1])
    try:
        data = yaml.safe_load(config.read_text(encoding="utf-8")[:100_000])
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        data = None
    site = data.get("site") if isinstance(data, dict) else None
    if isinstance(site, dict) and "language" in site:
        return declared_language(data)
    return environment_language()


def build_parser(texts: Catalogue | None = None) -> argparse.ArgumentParser:
    texts = texts or catalogue(help_language(sys.argv[1:]))
    say = texts.text
    parser = argparse.ArgumentParser(prog="showcase", description=say("cli.description"), add_help=False)
    _add_help(parser, texts)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}", help=say("cli.version"))
    sub = parser.add_subparsers(dest="command", required=True, metavar=say("cli.command"))

    def add_config(command: argparse.ArgumentParser) -> None:
        command.add_argument("--config", type=Path, default=DEFAULT_CONFIG, help=say("cli.config"))

    def command(name: str) -> argparse.ArgumentParser:
        created = sub.add_parser(name, help=say(f"cli.{name}"), description=say(f"cli.{name}"), add_help=False)
        _add_help(created, texts)
        add_config(created)
        return created

    validate = command("validate")
    validate.add_argument("--format", choices=sorted(FORMATS), default=None, help=say("cli.format"))
    validate.add_argument("--strict", action="store_true", help=say("cli.strict"))

    build = command("build")
    build.add_argument("--out", type=Path, default=None, help=say("cli.out"))
    build.add_argument("--strict", action="store_true", help=say("cli.build_strict"))
    build.add_argument("--format", choices=sorted(FORMATS), default=None, help=say("cli.format"))
    build.add_argument("--quiet", action="store_true", help=say("cli.quiet"))

    serve = command("serve")
    serve.add_argument("--host", default="127.0.0.1", help=say("cli.host"))
    serve.add_argument("--port", type=int, default=8000, help=say("cli.port"))

    scaffold.add_parser(sub, add_config, texts)

    round_cmd = command("round")
    round_cmd.add_argument("--date", type=dt.date.fromisoformat, default=None, help=say("cli.round_date"))
    round_cmd.add_argument("--out", type=Path, required=True, help=say("cli.round_out"))
    round_cmd.add_argument("--stale-months", type=int, default=6, help=say("cli.stale_months"))

    report_cmd = command("report")
    report_cmd.add_argument("--year", type=int, default=None, help=say("cli.report_year"))
    report_cmd.add_argument("--organization", default=None, help=say("cli.report_organization"))
    report_cmd.add_argument("--out", type=Path, required=True, help=say("cli.report_out"))

    federate_cmd = sub.add_parser("federate", help=say("cli.federate"), description=say("cli.federate"),
                                  add_help=False)
    _add_help(federate_cmd, texts)
    federate_cmd.add_argument("folders", nargs="+", type=Path, metavar="DIR", help=say("cli.federate_dirs"))

    schema_cmd = command("schema")
    schema_cmd.add_argument("--check", action="store_true", help=say("cli.schema_check"))

    command("cms")

    preview_cmd = command("preview")
    preview_cmd.add_argument("--changed", nargs="*", default=[], metavar="FILE", help=say("cli.changed"))
    return parser


def _add_help(parser: argparse.ArgumentParser, texts: Catalogue) -> None:
    parser.add_argument("-h", "--help", action="help", help=texts.text("cli.help"))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser(catalogue(help_language(argv))).parse_args(argv)
    if args.command == "validate":
        return commands.validate(args.config, args.format or default_format(), args.strict)
    if args.command == "build":
        return commands.build(args.config, args.out, args.format or default_format(), args.strict, args.quiet)
    if args.command == "serve":
        return commands.serve(args.config, args.host, args.port)
    if args.command == "new":
        return scaffold.run(args)
    if args.command == "round":
        return commands.round_packet(args.config, args.date, args.out, args.stale_months)
    if args.command == "report":
        return commands.report(args.config, args.year, args.organization, args.out)
    if args.command == "federate":
        return commands.federate(args.folders)
    if args.command == "schema":
        return schema.write_schemas(args.config, args.check, language=help_language(argv))
    if args.command == "cms":
        return commands.cms(help_language(argv))
    if args.command == "preview":
        return commands.preview(args.config, args.changed)
    return ExitCode.USAGE


if __name__ == "__main__":
    sys.exit(main())
