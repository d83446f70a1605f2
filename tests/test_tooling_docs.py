"""The examples in docs/fmt.md and docs/import.md are what the tool does."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys

import pytest

import schedc
from conftest import EXAMPLES, ROOT


def text_blocks(page: str) -> list[str]:
    return re.findall(r"^```text\n(.*?)^```$", (ROOT / "docs" / page).read_text(encoding="utf-8"), re.M | re.S)


def test_fmt_before_and_after():
    before, after = text_blocks("fmt.md")[:2]
    assert schedc.format_text(before) == after


def test_import_example():
    shown = text_blocks("import.md")[0]
    command, _, output = shown.partition("\n")
    assert command == "$ schedc import maria.json"
    imported = schedc.import_json((EXAMPLES / "team" / "maria-garcia.json").read_text(encoding="utf-8"))
    assert imported.text == output


def test_import_shape_example(schedc):
    shown = text_blocks("import.md")[2]
    command, _, output = shown.partition("\n")
    body = re.fullmatch(r"\$ echo '(.*)' \| schedc import -", command)[1]
    done = schedc("import", "-", stdin=body + "\n")
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == output + "\n"


# ---- the shell sessions of docs/import.md (the conventions of the reference pages)
FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.M | re.S)


def sessions(page: str) -> list[tuple[str, str]]:
    """[(schedule saved before the session or "", console block)]."""
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    found, previous = [], None
    for match in FENCE.finditer(text):
        if match[1] == "console":
            before = previous[2] if previous and previous[1] == "sched" and \
                text[previous.end():match.start()].strip() == "" else ""
            found.append((before, match[2]))
        previous = match
    return found


def run_console(schedule: str, block: str, directory) -> tuple[list[str], list[str]]:
    """(shown outputs, real outputs) of the `$ ` commands of a console block."""
    pairs: list[tuple[str, list[str]]] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            pairs.append((line[2:], []))
        else:
            pairs[-1][1].append(line)
    if schedule:
        name = next(w for c, _ in pairs for w in shlex.split(c) if w.endswith(".sched"))
        (directory / name).write_text(schedule, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env.update(SCHEDC_PYTHON=sys.executable, TERM="dumb")
    real, status = [], 0
    for command, _ in pairs:
        script = f'schedc() {{ "$SCHEDC_PYTHON" -m schedc "$@"; }}\n(exit {status})\n{command}\n'
        done = subprocess.run(["bash", "-c", script], cwd=directory, env=env, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
        status = done.returncode
        real.append(done.stdout.decode().rstrip("\n"))
    return ["\n".join(lines) for _, lines in pairs], real


@pytest.mark.skipif(shutil.which("bash") is None or shutil.which("sed") is None, reason="needs bash and sed")
@pytest.mark.parametrize("schedule, block", sessions("import.md"), ids=lambda x: x.split("\n")[0][:40])
def test_import_page_sessions_show_what_the_tool_prints(schedule, block, tmp_path):
    shown, real = run_console(schedule, block, tmp_path)
    assert shown == real


def test_import_page_explains_every_import_code():
    from schedc.diagnostics import CODES

    text = (ROOT / "docs" / "diagnostics.md").read_text(encoding="utf-8")
    for code in (c for c in CODES if c.startswith("SC4")):
        assert f"\n## {code} — {CODES[code]}\n" in text, code
