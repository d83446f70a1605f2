"""The option tables of the docs are written from the command-line table (tools/cli_docs.py),
and a page whose table differs from it fails here."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from schedc.cli import table

ROOT = Path(__file__).resolve().parent.parent
TOOL = [sys.executable, str(ROOT / "tools" / "cli_docs.py")]


def cli_docs(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*TOOL, *args], capture_output=True, text=True, timeout=60)


def test_the_option_tables_of_the_docs_are_the_tables_of_the_command_line():
    done = cli_docs("--check")
    assert (done.returncode, done.stderr) == (0, "")


def test_the_cli_page_has_a_table_for_check_and_compile_naming_every_option():
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for name in ("check", "compile"):
        head = f"<!-- options of `schedc {name}`: written by tools/cli_docs.py from schedc/cli/table.py -->\n"
        block = text[text.index(head):text.index("<!-- end of options -->", text.index(head))]
        for option in (*table.command(name).options, *table.COMMON, table.HELP):
            for option_name in option.names:
                assert f"`{option_name}" in block, (name, option_name)


def test_a_stale_table_is_found_and_rewritten(tmp_path):
    page = tmp_path / "cli.md"
    shutil.copy(ROOT / "docs" / "cli.md", page)
    original = page.read_text(encoding="utf-8")
    page.write_text(original.replace("| `--show-settings` | Print", "| `--show-settings` | Prints"), encoding="utf-8")
    done = cli_docs("--check", "--docs", str(tmp_path))
    assert done.returncode == 1
    assert done.stderr == ("the option tables of cli.md differ from schedc/cli/table.py: run python "
                           "tools/cli_docs.py\n")
    done = cli_docs("--docs", str(tmp_path))
    assert (done.returncode, done.stdout) == (0, "rewrote the option tables of cli.md\n")
    assert page.read_text(encoding="utf-8") == original


def test_a_table_for_a_command_the_table_does_not_have_is_an_error(tmp_path):
    (tmp_path / "x.md").write_text("<!-- options of `schedc frobnicate`: written by tools/cli_docs.py -->\n"
                                   "<!-- end of options -->\n", encoding="utf-8")
    done = cli_docs("--check", "--docs", str(tmp_path))
    assert (done.returncode, done.stderr) == (1, "x.md: no command `frobnicate` in schedc/cli/table.py\n")
