"""The examples of docs/fmt.md that go beyond the first before/after pair are what `fmt` does."""

from __future__ import annotations

import re

from conftest import ROOT

PAGE = (ROOT / "docs" / "fmt.md").read_text(encoding="utf-8")


def text_block(first_line: str) -> str:
    """The ```text block of docs/fmt.md whose first line is `first_line`."""
    for body in re.findall(r"^```text\n(.*?)^```$", PAGE, re.M | re.S):
        if body.startswith(first_line + "\n"):
            return body
    raise AssertionError(f"docs/fmt.md has no text block starting {first_line!r}")


def following_block(first_line: str) -> str:
    blocks = re.findall(r"^```text\n(.*?)^```$", PAGE, re.M | re.S)
    return blocks[blocks.index(text_block(first_line)) + 1]


def as_bytes(shown: str) -> bytes:
    """A block written with `\\t` and `\\r\\n` escapes → the bytes it stands for."""
    lines = shown.split("\n")[:-1]  # the block's own line breaks are not part of the file
    return "".join(lines).replace("\\t", "\t").replace("\\r\\n", "\r\n").encode()


def test_the_whitespace_example(tmp_path, schedc):
    before = text_block('user\\t"Ana\\tMaria"  Lima <ana@example.com>   \\r\\n')
    after = following_block('user\\t"Ana\\tMaria"  Lima <ana@example.com>   \\r\\n')
    path = tmp_path / "ana.sched"
    path.write_bytes(as_bytes(before))
    assert not path.read_bytes().endswith(b"\n")
    assert schedc("fmt", "-q", "ana.sched", cwd=tmp_path).returncode == 0
    assert path.read_bytes() == as_bytes(after)


def test_the_header_example(tmp_path, schedc):
    first = "# Ana's schedule, kept by the support team."
    before, after = text_block(first), following_block(first)
    assert before != after
    done = schedc("fmt", "-q", "-", stdin=before)
    assert (done.returncode, done.stdout, done.stderr) == (0, after, "")


def test_the_errors_brief_example(tmp_path, schedc):
    shown = text_block("$ schedc fmt --errors=brief team/")
    command, _, output = shown.partition("\n")
    team = tmp_path / "team"
    team.mkdir()
    (team / "ana.sched").write_text("Mon 09:00-12:00, 11:00-13:00\nTue 09:00-12:00, 10:00-11:00\n")
    (team / "bob.sched").write_text("tz UTC\nmon 9:00-17:00\n")
    (team / "cy.sched").write_text("tz UTC\nMon 09:00-17:00\n")
    done = schedc(*command.split()[2:], cwd=tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (1, "", output)
