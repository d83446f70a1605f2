"""Write the option tables of the docs from the command-line table (or, with --check, say which
are stale).

    python tools/cli_docs.py            # after changing an option in schedc/cli/table.py
    python tools/cli_docs.py --check    # exit 1 if a page's table differs from the table's

A page asks for the options of a command with a pair of comments; what is between them is
rewritten, and the rest of the page is left as written:

    <!-- options of `schedc check`: written by tools/cli_docs.py from schedc/cli/table.py -->
    | Option | Meaning |
    …
    <!-- end of options -->

A row is the option's names with its value (`--select CODES`, `--end-of-day 23:59|24:00`) and
its `doc`, or else its help as a sentence. The command's own options come first, in the
table's order, then those every command takes.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from schedc.cli import table  # noqa: E402  (the checkout's, not an installed copy)

DOCS = ROOT / "docs"
BLOCK = re.compile(r"(<!-- options of `schedc (?P<name>[\w-]+)`:[^\n]*-->\n)(?P<body>.*?)(<!-- end of options -->)",
                   flags=re.S)


def names(option: table.Option) -> str:
    """`--select CODES`, `-q`, `--quiet`, `--end-of-day 23:59\\|24:00` (a `|` in a table cell is escaped)."""
    value = "" if option.kind == table.FLAG else (option.metavar or "\\|".join(option.words))
    return ", ".join(f"`{name} {value}`" if value else f"`{name}`" for name in option.names)


def meaning(option: table.Option) -> str:
    if option.doc:
        return option.doc
    text = option.text()
    return text[0].upper() + text[1:] + ("" if text.endswith(".") else ".")


def rows(command: table.Command) -> str:
    options = [o for o in (*command.options, *table.common_of(command), table.HELP) if not o.hidden]
    return "".join(["| Option | Meaning |\n", "| --- | --- |\n",
                    *(f"| {names(o)} | {meaning(o)} |\n" for o in options)])


def rewritten(text: str, page: str) -> str:
    def table_of(match: re.Match) -> str:
        command = table.command(match["name"])
        if command is None:
            raise SystemExit(f"{page}: no command `{match['name']}` in schedc/cli/table.py")
        return match[1] + rows(command) + match[4]

    return BLOCK.sub(table_of, text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a page is stale")
    parser.add_argument("--docs", type=Path, default=DOCS, help="the folder of pages (default docs/)")
    args = parser.parse_args()
    stale = []
    for path in sorted(args.docs.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        new = rewritten(text, path.name)
        if new == text:
            continue
        stale.append(path.name)
        if not args.check:
            path.write_text(new, encoding="utf-8")
    if stale and args.check:
        print(f"the option tables of {', '.join(stale)} differ from schedc/cli/table.py: "
              "run python tools/cli_docs.py", file=sys.stderr)
        return 1
    for page in stale:
        print(f"rewrote the option tables of {page}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
