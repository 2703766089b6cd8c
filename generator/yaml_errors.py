"""YAML syntax errors in plain words: which mistake an editor made, on the line where they made it.

libyaml reports where its scanner gave up, in English, often a line later than the mistake (an unclosed quote is
noticed at the end of the file, `title:Text` on the next line) and without naming a tab. Here the error's marks
and the source lines themselves decide which of the common mistakes it is; the loader turns the answer into a
catalogue message (`yaml-syntax-<problem>`). Nothing of libyaml's English reaches the editor.

Positions: libyaml also breaks lines at U+0085, U+2028 and U+2029; editors and GitHub do not. `LineMap` turns
libyaml's (line, column) into the editor's.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field

import yaml

_YAML_ONLY_BREAKS = re.compile("[\x85\u2028\u2029]")
_YAML_BREAKS = re.compile("[\n\x85\u2028\u2029]")
_CURLY = "“”„‟‚‘’«»‹›"
_KEY = r"[^\s:#\"'\[\]{}&*!|>%@`,-][^:#]*?"
_MISSING_SPACE = re.compile(rf"^\s*(?:-\s+)?({_KEY}):(?=[^\s:/])(\S.*)$")
_KEY_BEFORE = re.compile(rf"^\s*(?:-\s+)?{_KEY}:\s")
_CURLY_VALUE = re.compile(rf"^\s*(?:-\s+|{_KEY}:\s+)(?:-\s+)?([{_CURLY}])")
_OPENERS = {"[": "]", "{": "}"}
_QUOTED_VALUE = re.compile(rf'^\s*(?:-\s+)?(?:{_KEY}:\s+)?(?:-\s+)?"')


@dataclass
class LineMap:
    """libyaml's 0-based (line, column) → the editor's, for a text in which lines end only at `\\n`."""

    text: str
    _yaml_starts: list[int] | None = field(init=False, default=None)
    _starts: list[int] = field(init=False, default_factory=list)

    @functools.cached_property
    def lines(self) -> list[str]:
        """The editor's lines; split only when a position or an error needs them (valid files never do)."""
        return self.text.split("\n")

    def __post_init__(self) -> None:
        if _YAML_ONLY_BREAKS.search(self.text):
            self._yaml_starts = [0] + [m.end() for m in _YAML_BREAKS.finditer(self.text)]
            self._starts = [0] + [m.end() for m in re.finditer("\n", self.text)]

    def editor(self, line: int, column: int) -> tuple[int, int]:
        """0-based editor (line, column), clamped into the text (libyaml's end of stream can lie past it)."""
        if self._yaml_starts is not None:
            offset = self._yaml_starts[min(line, len(self._yaml_starts) - 1)] + column
            line = bisect.bisect_right(self._starts, offset) - 1
            column = offset - self._starts[line]
        if line >= len(self.lines):
            line = len(self.lines) - 1
            column = len(self.lines[line])
        return line, min(column, len(self.lines[line]))

    def mark(self, mark: yaml.Mark) -> tuple[int, int]:
        return self.editor(mark.line, mark.column)


@dataclass(frozen=True)
class Explained:
    """A syntax error in plain terms: the problem's catalogue key, its 0-based editor position, its values."""

    problem: str
    line: int
    column: int
    values: dict[str, object] = field(default_factory=dict)


def nbsp_indentation(lines: LineMap) -> Explained | None:
    """A line indented with no-break spaces (U+00A0): libyaml reads them as text, so the line silently joins
    the value above or becomes part of a text."""
    if "\u00a0" not in lines.text:
        return None
    for number, line in enumerate(lines.lines):
        match = re.match(r"^[ \t]*\u00a0", line)
        if match:
            return Explained("nbsp", number, match.end() - 1)
    return None


def missing_front_matter(text: str) -> tuple[int, str]:
    """Where and how to say that a Markdown file's front matter is missing: (1-based line, message key)."""
    if not text.startswith("---\n"):
        return 1, "front-matter-missing"
    body = unclosed_front_matter_line(text.split("\n"))
    return (1, "front-matter-missing-end") if body is None else (body + 1, "front-matter-missing-close")


def unclosed_front_matter_line(lines: list[str]) -> int | None:
    """For front matter without its closing `---`: the 0-based line where the body seems to begin (the first
    line after a blank one that does not look like YAML), or None when every line could be a field."""
    blank = False
    for number, line in enumerate(lines[1:], start=1):
        if not line.strip():
            blank = True
            continue
        if blank and not _looks_like_yaml(line):
            return number
        blank = False
    return None


def _looks_like_yaml(line: str) -> bool:
    return bool(line[:1].isspace() or line.startswith(("- ", "#")) or _KEY_BEFORE.match(line + " "))


def explain(error: yaml.MarkedYAMLError, lines: LineMap, front_matter: bool) -> Explained:
    """Which common mistake caused `error`, and on which line the editor made it."""
    problem = error.problem or ""
    context = error.context or ""
    at = lines.mark(error.problem_mark) if error.problem_mark else (0, 0)
    opened = lines.mark(error.context_mark) if error.context_mark else None
    candidates = [line for line in (opened and opened[0], at[0], at[0] - 1) if line is not None and line >= 0]
    for check in (_control, _tab, _curly, _unclosed_quote, _missing_space, _bracket):
        found = check(problem, context, lines.lines, candidates, at, opened)
        if found is not None:
            return found
    return _by_shape(problem, context, lines.lines, at, opened, front_matter)


def _control(problem, context, lines, candidates, at, opened) -> Explained | None:
    if "control characters" in problem or "special characters" in problem:
        return Explained("control", *at)
    return None


def _tab(problem, context, lines, candidates, at, opened) -> Explained | None:
    # The C loader often says only "found character that cannot start any token": look at the lines.
    for line in (at[0], *candidates):
        column = lines[line].find("\t")
        if column >= 0:
            return Explained("tab", line, column)
    return None


def _curly(problem, context, lines, candidates, at, opened) -> Explained | None:
    for line in candidates:
        match = _CURLY_VALUE.match(lines[line])
        if match:
            return Explained("curly", line, match.start(1), {"quote": match.group(1)})
    return None


def _unclosed_quote(problem, context, lines, candidates, at, opened) -> Explained | None:
    if "quoted scalar" in context and opened is not None and "end of stream" in problem:
        return Explained("unclosed-quote", *opened, {"quote": lines[opened[0]][opened[1]: opened[1] + 1] or '"'})
    # A quote left open closes at the next line's opening quote; libyaml trips over the text after it.
    for number in range(at[0] + 1):
        match = _QUOTED_VALUE.match(lines[number])
        if match and _open_quote(lines[number][match.end() - 1:]):
            return Explained("unclosed-quote", number, match.end() - 1, {"quote": '"'})
    return None


def _open_quote(value: str) -> bool:
    """A double-quoted value that does not end on its line (`"Fall` or `"Fall` + a comment)."""
    return len(re.findall(r'(?<!\\)"', value)) == 1


def _missing_space(problem, context, lines, candidates, at, opened) -> Explained | None:
    for line in sorted(set(candidates)):
        match = _MISSING_SPACE.match(lines[line])
        if match and "://" not in lines[line][match.start(2) - 1:match.start(2) + 3]:
            key, value = match.group(1), match.group(2)
            return Explained("space", line, match.start(2) - 1, {"key": key, "value": value[:40]})
    return None


def _bracket(problem, context, lines, candidates, at, opened) -> Explained | None:
    if opened is None or not context.startswith(("while parsing a flow", "while scanning a flow")):
        return None
    line, bracket = opened[0], lines[opened[0]][opened[1]: opened[1] + 1]
    while bracket not in _OPENERS and line >= 0:  # "while parsing a flow node" marks the end, not the bracket
        found = max(lines[line].rfind("["), lines[line].rfind("{"))
        bracket = lines[line][found] if found >= 0 else ""
        line -= found < 0
    if bracket not in _OPENERS:
        line, bracket = opened[0], "["
    return Explained("bracket", *at, {"bracket": bracket, "close": _OPENERS[bracket], "opened": max(line, 0)})


def _by_shape(problem, context, lines, at, opened, front_matter) -> Explained:
    """The mistakes told apart by the shape of the line: a colon in a text, wrong indentation, a line that is no
    field (a list without dashes, the body of a Markdown file), a stray character."""
    line_text = lines[at[0]]
    indent = len(line_text) - len(line_text.lstrip())
    if "mapping values are not allowed" in problem:
        if _KEY_BEFORE.match(line_text[: at[1]]):
            return Explained("colon", *at)
        return Explained("indent", at[0], indent)
    if "could not find expected ':'" in problem and opened is not None:
        return _line_without_key(lines, opened[0], front_matter)
    if "cannot start any token" in problem or "while scanning an anchor" in context or "alias" in context \
            or "block scalar" in context or "directive" in context:
        char = line_text[at[1]: at[1] + 1] or (opened and lines[opened[0]][opened[1]: opened[1] + 1]) or "?"
        return Explained("stray", *at, {"char": char})
    if "did not find expected key" in problem or "expected '-' indicator" in problem \
            or "expected <block end>" in problem:
        if line_text[:at[1]].strip() and at[1] > indent:
            return Explained("stray", *at, {"char": line_text[at[1]: at[1] + 1] or "?"})
        return Explained("indent", at[0], indent)
    return Explained("other", *at)


def _line_without_key(lines: list[str], line: int, front_matter: bool) -> Explained:
    """A line with no `name:`: items of a list written without dashes under `name:`, or in front matter the
    Markdown text after a missing closing `---`."""
    above = next((text for text in reversed(lines[:line]) if text.strip()), "")
    if re.match(rf"^\s*(?:-\s+)?{_KEY}:\s*$", above):
        return Explained("dashes", line, 0)
    if front_matter:
        return Explained("close", line, 0)
    return Explained("no-key", line, 0)
