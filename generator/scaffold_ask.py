"""Asking for `showcase new`'s essentials: from an option, else at the terminal, else refuse.

Nothing is asked without a terminal (CI, scripts, piped input) or with `--no-input`: a missing essential is then a
usage error (exit code 2) that names its option. An answer the validator would refuse is explained with the
validator's own message and asked for again; as an option it ends the command.
"""

from __future__ import annotations

import builtins
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TextIO

from .catalogue import Catalogue, message
from .content import FieldPath, field_name


class UsageError(Exception):
    """Bad input: each argument is one plain sentence for the editor; exit code 2."""


class Refused(ValueError):
    """An answer the validator would refuse; the argument is the validator's message."""


@dataclass(frozen=True)
class Check:
    """Turns an answer into the value for the field `loc`, or raises Refused."""

    loc: FieldPath
    convert: Callable[[Any], Any]

    def __call__(self, value: Any) -> Any:
        return self.convert(value)


def is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


@dataclass
class Asker:
    """Takes a value from its option, or asks for it; with `interactive` off (or stdin closed) it never asks."""

    texts: Catalogue
    interactive: bool = True
    read: Callable[[str], str] = builtins.input
    err: TextIO = field(default_factory=lambda: sys.stderr)

    def option(self, option: str, given: Any, check: Check) -> Any:
        """A value that is only ever given as an option (never asked for)."""
        if given is None:
            return None
        try:
            return check(given)
        except Refused as error:
            raise UsageError(f"{option}: {error}") from None

    def value(self, option: str, label: str, given: Any, check: Check, default: Any = None,
              optional: bool = False) -> Any:
        """An essential: from its option, else asked for (Enter takes the default), else the default."""
        if given is not None:
            return self.option(option, given, check)
        while True:
            answer = self._ask(label, default)
            if not answer:
                if default is not None:
                    return self.option(option, default, check)
                if optional:
                    return None
                if answer is None:  # no one to ask
                    raise UsageError(self.texts.text("new.missing-option", option=option, label=label))
                print(message("empty", self.texts.language, field=field_name(check.loc)), file=self.err)
                continue
            try:
                return check(answer)
            except Refused as error:
                print(error, file=self.err)

    def _ask(self, label: str, default: Any) -> str | None:
        if not self.interactive:
            return None
        shown = f" [{default}]" if default not in (None, "") else ""
        try:
            return self.read(f"{label}{shown}: ").strip()
        except (EOFError, OSError):
            # Closed or captured stdin: behave as with --no-input from here on.
            self.interactive = False
            return None
