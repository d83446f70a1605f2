"""Write schedc/generated_parser.py from schedc/grammar.lark (or, with --check, say if it is stale).

    python tools/regenerate_parser.py            # after editing the grammar or upgrading lark
    python tools/regenerate_parser.py --check    # exit 1 if the committed file is out of date

The grammar is the one definition of the syntax; the generated module is lark's stand-alone
parser for it, committed beside it so that nothing is generated, written or run from outside
the package at run time. Lark numbers its parse states by iterating over sets, so the output
depends on Python's hashing and on memory addresses: generation runs with PYTHONHASHSEED=0, and
the parse table is then renumbered canonically (terminals and rules by name, states in the order
a breadth-first walk from the start state meets them), which makes the output the same bytes on
every run, machine and Python with the same lark (see `unbounded_widths`). Renumbering changes no transition.
"""

from __future__ import annotations

import argparse
import ast
import io
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GRAMMAR = ROOT / "schedc" / "grammar.lark"
GENERATED = ROOT / "schedc" / "generated_parser.py"
HEADER = ("# Generated from grammar.lark by `python tools/regenerate_parser.py`: do not edit.\n"
          "# What follows is the output of lark's stand-alone generator, under its own licence (below).\n")


def generated_source() -> str:
    """The text generated_parser.py should hold, for this grammar and the installed lark."""
    if os.environ.get("PYTHONHASHSEED") != "0":
        done = subprocess.run([sys.executable, __file__, "--print"], capture_output=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": "0"})
        return done.stdout.decode("utf-8")
    import lark
    from lark.tools.standalone import gen_standalone

    sys.path.insert(0, str(ROOT))
    from schedc.parser import LARK_OPTIONS

    out = io.StringIO()
    gen_standalone(lark.Lark(GRAMMAR.read_text(encoding="utf-8"), **LARK_OPTIONS), out=out)
    lines = out.getvalue().split("\n")
    at = lines.index("DATA = (") + 1
    lines[at] = repr(canonical(ast.literal_eval(lines[at])))
    at = lines.index("MEMO = (") + 1
    lines[at] = repr(unbounded_widths(ast.literal_eval(lines[at])))
    return HEADER + "\n".join(lines)


def canonical(data: dict) -> dict:
    """The same parse table, numbered independently of the order lark happened to build it in."""
    table = data["parser"]["parser"]
    old_tokens, states = table["tokens"], table["states"]
    names = sorted(old_tokens.values())
    token_number = {name: k for k, name in enumerate(names)}
    by_old = {old: token_number[name] for old, name in old_tokens.items()}
    [start] = table["start_states"].values()
    order, seen = [], {start}
    queue = [start]
    while queue:
        state = queue.pop(0)
        order.append(state)
        for old_token in sorted(states[state], key=lambda t: by_old[t]):
            action, target = states[state][old_token]
            if action == 0 and target not in seen:
                seen.add(target)
                queue.append(target)
    if len(order) != len(states):
        raise SystemExit("the parse table has states the start state never reaches")
    number = {old: k for k, old in enumerate(order)}
    new_states = {}
    for old in order:
        actions = {}
        for old_token in sorted(states[old], key=lambda t: by_old[t]):
            action, target = states[old][old_token]
            actions[by_old[old_token]] = (action, number[target] if action == 0 else target)
        new_states[number[old]] = actions
    table["tokens"] = {k: name for k, name in enumerate(names)}
    table["states"] = new_states
    table["start_states"] = {key: number[value] for key, value in table["start_states"].items()}
    table["end_states"] = {key: number[value] for key, value in table["end_states"].items()}
    return data


# What `re` calls "no upper bound" differs by Python version: 2**32 - 1 (MAXREPEAT) before 3.11.7,
# 2**64 (MAXWIDTH) from then on. Lark writes it into each terminal's width, where it only ranks
# terminals by longest match, so any such width is written as the later value, on every Python.
UNBOUNDED = 2**64


def unbounded_widths(memo: dict) -> dict:
    """The terminal definitions, with every unbounded width written the same way."""
    for entry in memo.values():
        width = entry.get("pattern", {}).get("_width")
        if width is not None and width[1] >= 2**32 - 1:
            width[1] = UNBOUNDED
    return memo


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="exit 1 if generated_parser.py is out of date")
    parser.add_argument("--print", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    source = generated_source()
    if args.print:
        sys.stdout.buffer.write(source.encode("utf-8"))
        return 0
    current = GENERATED.read_bytes() if GENERATED.exists() else b""
    if current == source.encode("utf-8"):
        print("schedc/generated_parser.py matches schedc/grammar.lark")
        return 0
    if args.check:
        print("schedc/generated_parser.py is out of date: run `python tools/regenerate_parser.py`")
        return 1
    GENERATED.write_bytes(source.encode("utf-8"))
    print("wrote schedc/generated_parser.py")
    return 0


if __name__ == "__main__":
    sys.exit(main())
