"""`showcase validate`: every problem in one run, each with file, line, column, field and a plain message."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from generator.cli import main
from generator.model import DEFAULT_NEED_KINDS

from .conftest import FIXTURES, REPO, check_golden


def run(capsys, *args: str) -> tuple[int, str]:
    code = main(["validate", *args])
    return code, capsys.readouterr().out


def test_sample_network_validates_without_any_problem(capsys, in_dir):
    in_dir(REPO)
    code, out = run(capsys)
    assert (code, out) == (0, "")


def test_minimal_fixture_is_valid(capsys, in_dir):
    in_dir(FIXTURES / "minimal")
    assert run(capsys) == (0, "")


def test_invalid_tree_reports_exactly_the_expected_diagnostics(capsys, in_dir, update_golden):
    in_dir(FIXTURES / "invalid")
    code, out = run(capsys)
    assert code == 1
    check_golden(FIXTURES / "invalid" / "expected.txt", out, update_golden)


def test_invalid_tree_as_json_names_file_line_field_and_code(capsys, in_dir):
    in_dir(FIXTURES / "invalid")
    code, out = run(capsys, "--format", "json")
    assert code == 1
    found = {(d["path"], d["line"], d["field"], d["code"]) for d in json.loads(out)}
    assert ("content/proposals/unknown-field.md", 2, "titel", "unknown-field") in found
    assert ("content/proposals/duplicate-key.md", 7, "status", "yaml-duplicate-key") in found
    assert ("content/proposals/money.md", 11, "needs[0].kind", "unknown-key") in found
    assert ("content/proposals/wrong-types.md", 2, "title", "wrong-type") in found
    assert ("content/cooperations/broken-story.md", 9, "partners[1].organization", "unknown-reference") in found


def test_github_actions_gets_annotations_automatically(capsys, in_dir, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    in_dir(FIXTURES / "invalid")
    code, out = run(capsys)
    assert code == 1
    assert "::error file=content/proposals/duplicate-key.md,line=7,col=1,title=yaml-duplicate-key (status)::" in out
    assert "::error file=content/proposals/notizen.txt,line=1" in out


def test_warnings_pass_unless_strict(capsys, project, in_dir):
    root = in_dir(project())
    proposal = root / "content/proposals/laptops-fuer-den-jugendtreff.md"
    text = proposal.read_text(encoding="utf-8")
    proposal.write_text(re.sub(r"email: .*", "email: jugendtreff@gmail.con", text, count=1), encoding="utf-8")
    assert run(capsys)[0] == 0
    code, out = run(capsys, "--strict")
    assert code == 1
    assert "warning[email-typo]" in out and "gmail.com" in out


def test_missing_config_is_a_usage_error(capsys, tmp_path):
    code, out = run(capsys, "--config", str(tmp_path / "nope.yml"))
    assert code == 2
    assert "error[config-missing]" in out


def test_invalid_config_is_a_usage_error_with_position(capsys, project, in_dir):
    root = in_dir(project())
    config = root / "site_config.yml"
    config.write_text(config.read_text().replace("language: de", "language: fr"))
    code, out = run(capsys)
    assert code == 2
    expected = ("site_config.yml:11:3: error[invalid-value]: "
                "`site.language` hat den Wert `fr`; erlaubt sind: `de`, `en`, `nl`.")
    assert expected in out


MONEY_KINDS = ("need_kinds:\n  geldspende:\n    label: Geld\n    monetary: true\n"
               + "".join(f"  {key}: {label}\n" for key, label in DEFAULT_NEED_KINDS.items()))


def test_money_as_a_need_kind_only_where_the_network_brokers_money(capsys, project, in_dir):
    root = in_dir(project())
    config = root / "site_config.yml"
    config.write_text(config.read_text() + MONEY_KINDS)
    code, out = run(capsys)
    assert code == 2
    assert ("site_config.yml:23:5: error[money-not-a-need]: `need_kinds.geldspende.monetary`: "
            "`geldspende` ist als Geld") in out
    config.write_text(config.read_text().replace("network:\n", "network:\n  monetary: true\n", 1))
    proposal = root / "content/proposals/raum-streichen.md"
    proposal.write_text(re.sub(r"kind: \w+", "kind: geldspende", proposal.read_text(), count=1))
    code, out = run(capsys)
    assert code == 0, out


def test_no_word_list_rejects_a_donation(capsys, project, in_dir):
    """A Sachspende is a Spende: the money rule is configuration, not a guess from words."""
    root = in_dir(project())
    config = root / "site_config.yml"
    kinds = "".join(f"  {key}: {label}\n" for key, label in DEFAULT_NEED_KINDS.items())
    config.write_text(config.read_text() + "need_kinds:\n  spende: Spende von Büromöbeln\n" + kinds)
    proposal = root / "content/proposals/raum-streichen.md"
    proposal.write_text(re.sub(r"kind: \w+", "kind: spende", proposal.read_text(), count=1))
    code, out = run(capsys)
    assert code == 0, out


def test_messages_follow_the_site_language(capsys, project, in_dir):
    root = in_dir(project())
    config = root / "site_config.yml"
    config.write_text(config.read_text().replace("language: de", "language: en"))
    proposal = root / "content/proposals/raum-streichen.md"
    proposal.write_text(proposal.read_text().replace("title:", "titel:"))
    code, out = run(capsys)
    assert code == 1
    assert "error[unknown-field]: The field `titel` is unknown. Did you mean `title`?" in out


def test_bom_and_crlf_are_accepted(capsys, project, in_dir):
    root = in_dir(project())
    proposal = root / "content/proposals/raum-streichen.md"
    proposal.write_bytes(b"\xef\xbb\xbf" + proposal.read_bytes().replace(b"\n", b"\r\n"))
    assert run(capsys) == (0, "")


def test_broken_file_does_not_cascade_into_reference_errors(capsys, project, in_dir):
    root = in_dir(project())
    org = root / "content/organizations/jugendtreff.yml"
    org.write_text(org.read_text() + "name: doppelt\n")
    code, out = run(capsys)
    assert code == 1
    assert out.count("error[") == 1, out


def test_alias_bomb_is_refused_quickly(capsys, project, in_dir):
    root = in_dir(project())
    bomb = "---\n" + 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]\n"
        for i in range(8)) + "---\n"
    (root / "content/proposals/bomb.md").write_text(bomb)
    code, out = run(capsys)
    assert code == 1
    assert "content/proposals/bomb.md:2:4: error[yaml-anchor]" in out


def test_file_over_one_megabyte_is_refused(capsys, project, in_dir):
    root = in_dir(project())
    (root / "content/proposals/huge.md").write_text("---\ntitle: x\n---\n" + "a" * 1_100_000)
    code, out = run(capsys)
    assert code == 1
    assert "content/proposals/huge.md:1:1: error[file-too-large]" in out


@pytest.mark.parametrize("depth", [45, 60_000])
def test_deep_flow_nesting_is_refused_before_parsing(capsys, project, in_dir, depth):
    root = in_dir(project())
    (root / "content/proposals/deep.md").write_text("---\ntitle: " + "[" * depth + "\n---\n")
    code, out = run(capsys)
    assert code == 1
    assert "content/proposals/deep.md:2:1: error[yaml-too-deep]" in out


def test_deep_block_nesting_is_refused(capsys, project, in_dir):
    root = in_dir(project())
    lines = "".join(" " * i + f"k{i}:\n" for i in range(60))
    (root / "content/proposals/deep.md").write_text("---\n" + lines + "---\n")
    code, out = run(capsys)
    assert code == 1
    assert "error[yaml-too-deep]" in out


def test_sample_error_output_is_relative_to_working_directory(capsys, in_dir):
    in_dir(FIXTURES)
    code, out = run(capsys, "--config", "invalid/site_config.yml")
    assert code == 1
    assert out.startswith("invalid/content/")


def test_console_script_exits_with_code_and_no_traceback(tmp_path):
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "generator", "validate"], cwd=FIXTURES / "invalid",
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert Path(FIXTURES / "invalid" / "expected.txt").read_text() == result.stdout
