"""The `showcase` command line: parses arguments and hands over to generator.commands."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__, commands, scaffold, schema
from .diagnostics import FORMATS, default_format


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="showcase", description="Showcase of a cooperation network.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = sub.add_parser("validate", help="check all content and report every problem")
    _add_config(validate)
    validate.add_argument("--format", choices=sorted(FORMATS), default=None,
                          help="output format (default: github in GitHub Actions, else human)")
    validate.add_argument("--strict", action="store_true", help="fail on warnings too")

    build = sub.add_parser("build", help="validate, then build the public site")
    _add_config(build)
    build.add_argument("--out", type=Path, default=None, help="output folder (default: site/ beside the config)")
    build.add_argument("--strict", action="store_true", help="fail on any warning, MkDocs' included")
    build.add_argument("--format", choices=sorted(FORMATS), default=None, help="diagnostics format")
    build.add_argument("--quiet", action="store_true", help="no progress messages")

    serve = sub.add_parser("serve", help="live preview for editors")
    _add_config(serve)
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    scaffold.add_parser(sub, _add_config)

    schema_cmd = sub.add_parser("schema", help="write JSON Schemas (schemas/) and the field reference "
                                "(docs/felder.md) generated from the content model")
    _add_config(schema_cmd)
    schema_cmd.add_argument("--check", action="store_true",
                            help="write nothing; exit 1 when the committed files are stale")
    return parser


def _add_config(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, default=Path("site_config.yml"),
                        help="path to site_config.yml; content/ and templates/ are found beside it")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "validate":
        code, _ = commands.validate_content(args.config, args.format or default_format(), args.strict)
        return code
    if args.command == "build":
        return commands.build(args.config, args.out, args.format or default_format(), args.strict, args.quiet)
    if args.command == "serve":
        return commands.serve(args.config, args.host, args.port)
    if args.command == "new":
        return scaffold.run(args)
    if args.command == "schema":
        return schema.write_schemas(args.config.absolute().parent, args.check)
    return commands.EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
