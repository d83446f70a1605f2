"""`schedc rule`: each code's documentation from the terminal, word for word the section of
docs/diagnostics.md, from the copy the package ships (schedc/rules.md).

Run `python tests/test_rules.py --update` after editing docs/diagnostics.md to copy its code
sections into schedc/rules.md.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "diagnostics.md"
SHIPPED = ROOT / "schedc" / "rules.md"
HEADER = ("<!-- The `## SCnnn` sections of docs/diagnostics.md, word for word: `schedc rule` prints them.\n"
          "Edit the page, never this file, then run `python tests/test_rules.py --update`. -->\n\n")


def page_sections() -> dict[str, str]:
    sys.path.insert(0, str(ROOT))
    from schedc.rules import sections

    return sections(PAGE.read_text(encoding="utf-8"))


def shipped_text() -> str:
    return HEADER + "\n".join(page_sections().values())


def test_the_package_ships_exactly_the_pages_sections():
    assert SHIPPED.read_text(encoding="utf-8") == shipped_text(), "run `python tests/test_rules.py --update`"


def test_every_code_has_a_rule():
    from schedc.diagnostics import CODES
    from schedc.rules import rules

    assert list(rules()) == list(page_sections())
    assert set(rules()) == set(CODES)


@pytest.mark.parametrize("code", ["SC102", "SC120", "SC140", "SC505"])
def test_rule_prints_the_docs_section(schedc, code):
    done = schedc("rule", code)
    assert done.returncode == 0, done.stderr
    assert done.stdout == page_sections()[code]
    assert done.stdout.startswith(f"## {code} — ")
    for part in ("### What it means", "### Why it matters", "### Example", "### How to fix it"):
        assert part in done.stdout


def test_rule_accepts_lower_case_and_several_codes(schedc):
    done = schedc("rule", "sc101", "SC125")
    assert done.returncode == 0
    assert done.stdout == page_sections()["SC101"] + "\n" + page_sections()["SC125"]


def test_rule_all_lists_every_code_with_severity_and_title(schedc):
    from schedc.diagnostics import CODES

    done = schedc("rule", "--all")
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    assert [line.split()[0] for line in lines] == list(page_sections())
    assert "SC102  error    overlapping ranges on the same day" in lines
    assert "SC120  warning  ranges that touch" in lines
    assert "SC202  warning  no time zone" in lines  # a warning in check, so it can be silenced there
    for line in lines:
        code, severity, title = re.fullmatch(r"(SC\d{3})  (error|warning) +(.+)", line).groups()
        assert title == CODES[code]


def test_rule_unknown_code_is_a_clear_error(schedc):
    done = schedc("rule", "SC1O2")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == "schedc: error: `SC1O2` is not a diagnostic code; did you mean `SC102`?\n"
    done = schedc("rule")
    assert done.returncode == 2
    assert "schedc rule --all" in done.stderr


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        sys.exit("usage: python tests/test_rules.py --update")
    SHIPPED.write_text(shipped_text(), encoding="utf-8")
    print(f"updated {SHIPPED.relative_to(ROOT)}")
