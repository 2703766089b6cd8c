"""Issue 9, the loader's part: YAML that silently means something else, syntax errors in plain words at the line
the editor wrote, correct positions, and hostile files that stay fast and never crash.

Ordinary mistakes run `showcase validate --format json` in-process; hostile input runs it in its own process under
a 5 s timeout and asserts that it finished, exited 1 and printed no traceback.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.catalogue import catalogue
from generator.cli import main
from generator.diagnostics import Diagnostic, format_github, format_human
from generator.load import parse_yaml

from .conftest import REPO

FILE = "content/proposals/fall.md"
HEAD = (
    'title: "Fall"\norganization: jugendtreff\nsummary: "Kurz."\nstatus: open\nsubmitted: 2026-01-10\n'
    'reviewed: 2026-02-01\nneeds:\n  - kind: sachspende\n    description: "Etwas"\n'
)
"""Valid front matter, 9 lines: the file's lines 2–10."""
SECONDS_BOUND = 5.0
DE = catalogue("de").strings["messages"]


def write(root: Path, front: str, body: str = "Text.\n", name: str = FILE) -> None:
    (root / name).write_text(f"---\n{front}---\n{body}", encoding="utf-8")


def validate(capsys, root: Path, in_dir) -> tuple[int, list[dict]]:
    in_dir(root)
    code = main(["validate", "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


def problems_of(diagnostics: list[dict], path: str = FILE) -> list[tuple[int, str, str]]:
    return [(d["line"], d["field"], d["code"]) for d in diagnostics if d["path"] == path]


def fixed_parts(key: str) -> list[str]:
    """The parts of a catalogue message that do not depend on its values."""
    import re

    return [part for part in re.split(r"\{[^{}]*\}", DE[key]) if len(part.strip()) > 3]


def assert_message(diagnostic: dict, key: str) -> None:
    for part in fixed_parts(key):
        assert part.strip() in diagnostic["message"], (key, diagnostic["message"])
    assert "found" not in diagnostic["message"] and "expected" not in diagnostic["message"], diagnostic


# --- 1. a ` #` that cuts a text short --------------------------------------------------------------------------


@pytest.mark.parametrize(("front", "line", "field"), [
    (HEAD.replace('summary: "Kurz."', "summary: Für Raum # 3 und Flur"), 4, "summary"),
    (HEAD.replace('description: "Etwas"', "description: Farbe #1 und Rollen # zwei Stück"), 10,
     "needs[0].description"),
    (HEAD + "themes: [bildung # jugend\n  ]\n", 11, "themes[0]"),
])
def test_comment_after_an_unquoted_text_is_an_error(capsys, project, in_dir, front, line, field):
    root = project()
    write(root, front)
    code, diagnostics = validate(capsys, root, in_dir)
    assert code == 1
    assert (line, field, "yaml-comment-in-text") in problems_of(diagnostics)
    found = next(d for d in diagnostics if d["code"] == "yaml-comment-in-text")
    assert_message(found, "yaml-comment-in-text")
    assert "Anführungszeichen" in found["message"]


def test_quoted_text_with_hash_and_comment_lines_stay_valid(capsys, project, in_dir):
    root = project()
    write(root, "# Kommentarzeile\n" + HEAD.replace('summary: "Kurz."', 'summary: "Für Raum # 3"  # ok')
          .replace("status: open", "status: open  # gesetzt"))
    code, diagnostics = validate(capsys, root, in_dir)
    assert (code, diagnostics) == (0, [])


# --- 2. numbers that look like German thousands or clock times --------------------------------------------------


@pytest.mark.parametrize(("written", "instead", "code"), [
    ("value_eur: 2.500", "`2500`", "yaml-ambiguous-number"),
    ("value_eur: 12.000", "`12000`", "yaml-ambiguous-number"),
    ("hours: 1:30.0", "`1.5`", "yaml-ambiguous-number"),
    ("hours: 1:30", "`1.5`", "yaml-ambiguous-number"),
    ("hours: 1,5", "`1.5`", "wrong-type"),
    ("value_eur: 2.500.000", "`2500000`", "wrong-type"),
])
def test_numbers_written_the_german_way_say_what_to_write(capsys, project, in_dir, written, instead, code):
    root = project()
    write(root, HEAD + f"    {written}\n")
    status, diagnostics = validate(capsys, root, in_dir)
    assert status == 1
    field = "needs[0]." + written.split(":")[0]
    assert (11, field, code) in problems_of(diagnostics)
    assert instead in next(d["message"] for d in diagnostics if d["field"] == field)


def test_plain_decimals_and_quoted_texts_are_not_thousands(capsys, project, in_dir):
    root = project()
    write(root, HEAD + "    value_eur: 2.5\n    hours: 1500\n", body="Text\n")
    write(root, HEAD.replace('title: "Fall"', "title: 2.500 Stunden"), name="content/proposals/zwei.md")
    code, diagnostics = validate(capsys, root, in_dir)
    assert (code, diagnostics) == (0, [])


# --- 3. syntax errors in plain words, at the line the editor wrote ------------------------------------------------

SYNTAX = [
    # (name, front matter, line of the mistake in the file, message key)
    ("unclosed-quote", HEAD.replace('title: "Fall"', 'title: "Fall'), 2, "yaml-syntax-unclosed-quote"),
    ("tab-indent", HEAD.replace("    description", "\tdescription"), 10, "yaml-syntax-tab"),
    ("tab-start", "\t" + HEAD, 2, "yaml-syntax-tab"),
    ("tab-list", HEAD.replace("  - kind", "\t- kind"), 9, "yaml-syntax-tab"),
    ("bad-indentation", HEAD.replace("summary:", " summary:"), 4, "yaml-syntax-indent"),
    ("bad-indentation-list", HEAD.replace("    description", "   description"), 10, "yaml-syntax-indent"),
    ("no-space-after-colon", HEAD.replace('title: "Fall"', "title:Fall"), 2, "yaml-syntax-space"),
    ("colon-in-text", HEAD.replace('summary: "Kurz."', "summary: Wichtig: wir brauchen Farbe"), 4,
     "yaml-syntax-colon"),
    ("curly-quotes", HEAD.replace('title: "Fall"', "title: „Fall: neu“"), 2, "yaml-syntax-curly"),
    ("curly-quotes-english", HEAD.replace('summary: "Kurz."', "summary: “Kurz: knapp”"), 4, "yaml-syntax-curly"),
    ("no-break-space", HEAD.replace("  - kind", "\u00a0 - kind"), 9, "yaml-syntax-nbsp"),
    ("list-without-dashes", HEAD + "themes:\nbildung\njugend\n", 12, "yaml-syntax-dashes"),
    ("stray-character", HEAD.replace('summary: "Kurz."', "summary: `Kurz`"), 4, "yaml-syntax-stray"),
    ("stray-after-quote", HEAD.replace('title: "Fall"', 'title: "Fall" neu'), 2, "yaml-syntax-stray"),
    ("missing-closing-dashes", HEAD + "\nHier beginnt der Text.\n\nNoch mehr: Text\n", 12, "yaml-syntax-close"),
    ("unclosed-bracket", HEAD + "themes: [bildung, jugend\n", 12, "yaml-syntax-bracket"),
]


@pytest.mark.parametrize(("front", "line", "key"), [case[1:] for case in SYNTAX], ids=[c[0] for c in SYNTAX])
def test_syntax_errors_name_the_mistake_and_the_real_line(capsys, project, in_dir, front, line, key):
    root = project()
    body = "---\nmehr Text\n" if key == "yaml-syntax-close" else "Text.\n"
    write(root, front, body=body)
    code, diagnostics = validate(capsys, root, in_dir)
    assert code == 1
    mine = [d for d in diagnostics if d["path"] == FILE]
    assert [(d["line"], d["code"]) for d in mine] == [(line, "yaml-syntax")], mine
    assert_message(mine[0], key)


def test_unclosed_front_matter_names_the_line_where_the_text_begins(capsys, project, in_dir):
    root = project()
    (root / FILE).write_text(f"---\n{HEAD}\nHier beginnt der Text.\n", encoding="utf-8")
    (root / "content/proposals/nur-kopf.md").write_text(f"---\n{HEAD}", encoding="utf-8")
    code, diagnostics = validate(capsys, root, in_dir)
    assert code == 1
    assert problems_of(diagnostics) == [(12, "", "front-matter-missing")]
    assert_message(next(d for d in diagnostics if d["path"] == FILE), "front-matter-missing-close")
    assert problems_of(diagnostics, "content/proposals/nur-kopf.md") == [(1, "", "front-matter-missing")]


@pytest.mark.parametrize("text", ["a: b: c: [\n", "a: @x\n", "? [a\n", "a: b\n- c\n", "- a\nb: c\n", "a: 'x\n"])
def test_other_syntax_errors_are_plain_too(text):
    _, diagnostics = parse_yaml(text, "x.yml", "en")
    assert diagnostics and all(d.code in ("yaml-syntax", "not-a-mapping") for d in diagnostics)
    english = ("found", "expected", "while ", "scanning", "parsing", "could not")
    assert not any(word in d.message for d in diagnostics for word in english), diagnostics
    assert all(1 <= d.line <= len(text.split("\n")) for d in diagnostics)


# --- 4. positions as editors count them ---------------------------------------------------------------------------


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])
def test_unicode_line_breaks_do_not_shift_later_lines(capsys, project, in_dir, separator):
    root = project()
    write(root, HEAD.replace('summary: "Kurz."', f'summary: "Satz eins{separator}Satz zwei"') + "district: [\n")
    code, diagnostics = validate(capsys, root, in_dir)
    assert code == 1
    assert problems_of(diagnostics) == [(12, "", "yaml-syntax")]


def test_positions_after_a_line_separator_are_right(capsys, project, in_dir):
    root = project()
    write(root, HEAD.replace('summary: "Kurz."', 'summary: "Satz\u2028zwei"') + "titel: x\n")
    code, diagnostics = validate(capsys, root, in_dir)
    assert code == 1
    assert (11, "titel", "unknown-field") in problems_of(diagnostics)


def test_encoding_error_column_counts_characters(capsys, project, in_dir):
    root = project()
    (root / FILE).write_bytes(f"---\n{HEAD}".replace('"Fall"', '"Größe \xff"').encode("utf-8")
                              .replace(b"\xc3\xbf", b"\xff") + b"---\nText\n")
    code, diagnostics = validate(capsys, root, in_dir)
    assert code == 1
    assert [(d["line"], d["column"], d["code"]) for d in diagnostics if d["path"] == FILE] == [(2, 15, "encoding")]


# --- hostile input: own process, bounded, exit 1, no traceback ----------------------------------------------------


def run_bounded(root: Path) -> tuple[int, list[dict], float]:
    started = time.perf_counter()
    completed = subprocess.run([sys.executable, "-m", "generator", "validate", "--format", "json"], cwd=root,
                               capture_output=True, timeout=SECONDS_BOUND, env={**os.environ, "PYTHONPATH": str(REPO)})
    seconds = time.perf_counter() - started
    assert b"Traceback" not in completed.stderr + completed.stdout, completed.stderr[-2000:]
    return completed.returncode, json.loads(completed.stdout.decode("utf-8")), seconds


def test_hundred_thousand_unknown_keys_are_counted_not_listed(project):
    root = project()
    write(root, HEAD + "".join(f"k{i}: x\n" for i in range(100_000)))
    code, diagnostics, seconds = run_bounded(root)
    assert code == 1 and seconds < SECONDS_BOUND
    mine = [d for d in diagnostics if d["path"] == FILE]
    assert len(mine) == 21
    assert sum(d["code"] == "unknown-field" for d in mine) == 20
    summary = next(d for d in mine if d["code"] == "too-many-problems")
    assert "99.980" in summary["message"] or "99980" in summary["message"], summary


def test_hundred_thousand_duplicate_keys_are_counted_not_listed(project):
    root = project()
    (root / "content/organizations/doppelt.yml").write_text(
        'name: "V"\nkind: nonprofit\n' + "kind: x\n" * 100_000, encoding="utf-8")
    code, diagnostics, seconds = run_bounded(root)
    assert code == 1 and seconds < SECONDS_BOUND
    mine = [d for d in diagnostics if d["path"] == "content/organizations/doppelt.yml"]
    assert [d["code"] for d in mine].count("yaml-duplicate-key") == 20
    assert any(d["code"] == "too-many-problems" and "99980" in d["message"].replace(".", "") for d in mine)


@pytest.mark.parametrize(("front", "line", "field", "code"), [
    (HEAD.replace('"Fall"', '"a\\0b"'), 2, "title", "control-character"),
    (HEAD + 'image: "bild\\0.png"\nimage_alt: "x"\n', 11, "image", "control-character"),
    (HEAD + 'image: "bild\\x01.png"\nimage_alt: "x"\n', 11, "image", "control-character"),
    (HEAD.replace('"Fall"', '"\\e[2J\\e[31mrot"'), 2, "title", "control-character"),
    (HEAD.replace('"Fall"', '"a\x00b"'), 2, "", "yaml-syntax"),
])
def test_control_characters_in_fields_are_errors_without_traceback(project, front, line, field, code):
    root = project()
    write(root, front)
    status, diagnostics, seconds = run_bounded(root)
    assert status == 1 and seconds < SECONDS_BOUND
    assert (line, field, code) in problems_of(diagnostics), diagnostics


def test_non_utf8_file_name_is_named_and_refused(project):
    root = project()
    folder = os.fsencode(root / "content/proposals")
    try:
        handle = os.open(folder + b"/\xff-fall.md", os.O_WRONLY | os.O_CREAT, 0o644)
    except OSError:
        pytest.skip("the file system refuses names that are not UTF-8")
    os.write(handle, f"---\n{HEAD}---\nText\n".encode())
    os.close(handle)
    status, diagnostics, seconds = run_bounded(root)
    assert status == 1 and seconds < SECONDS_BOUND
    found = [d for d in diagnostics if d["code"] == "file-name-encoding"]
    assert [d["path"] for d in found] == ["content/proposals/\\xff-fall.md"], diagnostics


def test_control_character_in_file_name_is_an_error(project):
    root = project()
    try:
        write(root, HEAD, name="content/proposals/fall\x01\x1b[31m.md")
    except OSError:
        pytest.skip("the file system refuses control characters in names")
    status, diagnostics, seconds = run_bounded(root)
    assert status == 1 and seconds < SECONDS_BOUND
    assert any(d["code"] == "invalid-id" and "\x01" in d["path"] for d in diagnostics), diagnostics


# --- diagnostics never echo control characters into a terminal or a CI log ---------------------------------------


def test_terminal_and_github_output_escape_control_characters(tmp_path):
    hostile = Diagnostic("content/proposals/x\x1b[2J.md", 2, 1, "title\x07", "unknown-field", "error",
                         "Das Feld `\x1b]0;owned\x07\u202e` ist unbekannt.\ncontent/fake.md:1:1: error[x]: y")
    for out in (format_human([hostile], tmp_path), format_github([hostile], tmp_path)):
        assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
        assert out.count("\n") == 1
        assert "\\x1b" in out and "\\u202e" in out
