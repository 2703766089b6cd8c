"""Asking for `showcase new`'s answers: from an option, else at the terminal, else from piped input, else refuse.

At a terminal a refused answer is explained with the validator's own message and asked for again. Without a terminal
(a script, `echo … | showcase new …`) the answers are read line by line from stdin, in the order of the prompts;
the prompts go to stderr, so stdout stays the new file's path, and a refused answer ends the command, as an option
does. When stdin ends (or with `--no-input`), optional answers are skipped and a missing essential is a usage error
(exit code 2) that names the options a script has to give.
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


def terminal_reader(err: TextIO) -> Callable[[str], str]:
    """input() with its prompt on stderr (stdout is for the new file's path)."""

    def read(prompt: str) -> str:
        err.write(prompt)
        err.flush()
        return builtins.input()

    return read


def pipe_reader(stream: TextIO, err: TextIO) -> Callable[[str], str]:
    """The next line of piped input, its prompt on stderr; EOFError when the input has ended."""

    def read(prompt: str) -> str:
        line = stream.readline()
        if not line:
            raise EOFError
        print(prompt.rstrip(), file=err)  # the answer itself is not echoed: it may hold control characters
        return line.rstrip("\r\n")

    return read


@dataclass
class Asker:
    """Takes a value from its option, or asks for it; with `interactive` off (or stdin closed) it never asks."""

    texts: Catalogue
    interactive: bool = True
    read: Callable[[str], str] = builtins.input
    err: TextIO = field(default_factory=lambda: sys.stderr)
    piped: bool = False
    """Answers come from a pipe: a refused one ends the command (the next lines would answer the wrong prompts)."""
    essentials: tuple[str, ...] = ()
    """The essential options not given on the command line (named when one is missing)."""
    answered: int = 0

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
        """From its option, else asked for (Enter takes the default, or skips an optional one), else the default."""
        if given is not None:
            return self.option(option, given, check)
        while True:
            answer = self._ask(label, default)
            if answer is None:  # no one to ask
                if default is not None:
                    return self.option(option, default, check)
                if optional:
                    return None
                raise UsageError(self._missing(option, label))
            if not answer and default is None:
                if optional:
                    return None
                self._refused(label, message("empty", self.texts.language, field=field_name(check.loc)))
                continue
            try:
                return check(answer or default)
            except Refused as error:
                self._refused(label, str(error))

    def _refused(self, label: str, text: str) -> None:
        if self.piped:
            raise UsageError(self.texts.text("new.piped-refused", number=self.answered, label=label, text=text))
        print(text, file=self.err)

    def _missing(self, option: str, label: str) -> str:
        options = ", ".join(self.essentials if option in self.essentials else (*self.essentials, option))
        key = "new.input-ended" if self.piped else "new.missing-option"
        return self.texts.text(key, option=option, label=label.split(" (")[0], options=options)

    def _ask(self, label: str, default: Any) -> str | None:
        if not self.interactive:
            return None
        shown = f" [{default}]" if default not in (None, "") else ""
        try:
            answer = self.read(f"{label}{shown}: ").strip()
        except (EOFError, OSError):
            # Closed or captured stdin: behave as with --no-input from here on.
            self.interactive = False
            return None
        except UnicodeDecodeError:
            raise UsageError(self.texts.text("new.input-not-utf8")) from None
        self.answered += 1
        return answer
