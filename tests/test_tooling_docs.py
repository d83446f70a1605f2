"""The examples in docs/fmt.md and docs/import.md are what the tool does."""

from __future__ import annotations

import re

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


def test_the_diagnostics_page_explains_every_import_code():
    from schedc.diagnostics import CODES

    text = (ROOT / "docs" / "diagnostics.md").read_text(encoding="utf-8")
    for code in (c for c in CODES if c.startswith("SC4")):
        assert f"\n## {code} — {CODES[code]}\n" in text, code
