"""Write schedc/compiler/generated_parser.py and schedc/compiler/terminals.py from schedc/compiler/grammar.lark (or, with
--check, say if either is stale).

    python tools/regenerate_parser.py            # after editing the grammar or upgrading lark
    python tools/regenerate_parser.py --check    # exit 1 if a committed file is out of date

The grammar is the one definition of the syntax. generated_parser.py is lark's stand-alone
parser for it; terminals.py holds the grammar's terminals, as lark compiles them and rewritten to
compile fast, for the fast path (schedc/compiler/fastpath.py), which builds every pattern it reads words
with from them. Both are committed beside the grammar so that nothing is generated, written or
run from outside the package at run time. Lark numbers its parse states by iterating over sets, so the output
depends on Python's hashing and on memory addresses: generation runs with PYTHONHASHSEED=0, and
the parse table is then renumbered canonically (terminals and rules by name, states in the order
a breadth-first walk from the start state meets them), which makes the output the same bytes on
every run, machine and Python with the same lark (see `unbounded_widths`). Renumbering changes no transition.
"""

from __future__ import annotations

import argparse
import ast
import io
import itertools
import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GRAMMAR = ROOT / "schedc" / "compiler" / "grammar.lark"
GENERATED = ROOT / "schedc" / "compiler" / "generated_parser.py"
TERMINALS = ROOT / "schedc" / "compiler" / "terminals.py"
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
    from schedc.compiler.parser import LARK_OPTIONS

    out = io.StringIO()
    gen_standalone(lark.Lark(GRAMMAR.read_text(encoding="utf-8"), **LARK_OPTIONS), out=out)
    lines = out.getvalue().split("\n")
    at = lines.index("DATA = (") + 1
    lines[at] = repr(canonical(ast.literal_eval(lines[at])))
    at = lines.index("MEMO = (") + 1
    lines[at] = repr(unbounded_widths(ast.literal_eval(lines[at])))
    return HEADER + "\n".join(lines)


# ---- the terminals, for the fast path

try:  # the parser of Python's own `re`, to rewrite the terminals' patterns
    from re import _constants as sre_constants, _parser as sre_parse
except ImportError:  # Python 3.10
    import sre_constants
    import sre_parse

IGNORECASE = sre_constants.SRE_FLAG_IGNORECASE
ASCII_CHARS = [chr(c) for c in range(128)]
ASCII_OUT = dict.fromkeys(range(128))  # str.translate: delete ASCII
CATEGORIES = {"CATEGORY_DIGIT": r"\d", "CATEGORY_NOT_DIGIT": r"\D", "CATEGORY_SPACE": r"\s",
              "CATEGORY_NOT_SPACE": r"\S", "CATEGORY_WORD": r"\w", "CATEGORY_NOT_WORD": r"\W"}
AT = {"AT_BEGINNING": "^", "AT_BEGINNING_STRING": r"\A", "AT_END": "$", "AT_END_STRING": r"\Z",
      "AT_BOUNDARY": r"\b", "AT_NON_BOUNDARY": r"\B"}
FLAG_LETTERS = {sre_constants.SRE_FLAG_IGNORECASE: "i", sre_constants.SRE_FLAG_MULTILINE: "m",
                sre_constants.SRE_FLAG_DOTALL: "s", sre_constants.SRE_FLAG_VERBOSE: "x",
                sre_constants.SRE_FLAG_ASCII: "a"}


class Unsupported(Exception):
    """A construct the rewriting does not handle: the terminal's exact pattern is used instead."""


def _char(code: int, in_class: bool) -> str:
    """One character as regular-expression text, escaped where it must be."""
    char = chr(code)
    if char.isascii() and (char.isalnum() or char in "_ "):
        return char
    if char in "\t\n\r\f\v":
        return {"\t": r"\t", "\n": r"\n", "\r": r"\r", "\f": r"\f", "\v": r"\v"}[char]
    if 32 < code < 127:
        specials = "\\]^-[" if in_class else "\\.^$*+?{}[]|()"
        return "\\" + char if char in specials else char
    return f"\\x{code:02x}" if code < 256 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _ranges(codes) -> str:
    """Character codes as class text, in order, runs of three or more as ranges."""
    out = []
    for _, run in itertools.groupby(enumerate(sorted(set(codes))), lambda pair: pair[1] - pair[0]):
        run = [code for _, code in run]
        out.append(f"{_char(run[0], True)}-{_char(run[-1], True)}" if len(run) > 2 else
                   "".join(_char(code, True) for code in run))
    return "".join(out)


class Rewriter:
    """Rewrites a pattern to compile fast and collects the characters on which it may differ.

    A class with letters, where case is ignored, is spelt out in ASCII and matched with case
    (`(?-i:[0-9A-Za-z])`): `re` compiles one several times faster so. The characters outside
    ASCII that `re` would also fold into it (`ſ` for `s`, the Kelvin sign for `k`) are left out,
    as are the characters outside ASCII that any class names. Each class rewritten is compared
    with the original on every character there is: the characters where the two disagree are the
    odd ones, and a text without any of them matches the rewritten pattern exactly where it
    matches the original. Groups become non-capturing; the rest is written as it was.
    """

    def __init__(self, everything: str):
        self.everything = everything  # every character, once
        self.odd: set[int] = set()
        self._folding = None

    def pattern(self, regexp: str) -> str:
        parsed = sre_parse.parse(regexp)
        return self.sequence(list(parsed), bool(parsed.state.flags & IGNORECASE))

    def sequence(self, items, fold: bool) -> str:
        return "".join(self.item(op, av, fold) for op, av in items)

    def grouped(self, items, fold: bool) -> str:
        """The items as one atom, for a repetition to apply to."""
        text = self.sequence(items, fold)
        atom = len(items) == 1 and str(items[0][0]) in ("LITERAL", "NOT_LITERAL", "IN", "ANY", "SUBPATTERN", "BRANCH")
        return text if atom else f"(?:{text})"

    def item(self, op, av, fold: bool) -> str:
        name = str(op)
        if name in ("LITERAL", "NOT_LITERAL", "IN"):
            return self.characters(name, av, fold)
        if name == "ANY":
            return "."
        if name == "BRANCH":
            return "(?:" + "|".join(self.sequence(list(b), fold) for b in av[1]) + ")"
        if name == "SUBPATTERN":
            _group, add, remove, body = av
            inner_fold = (fold or bool(add & IGNORECASE)) and not remove & IGNORECASE
            added = "".join(letter for flag, letter in FLAG_LETTERS.items() if add & flag)
            dropped = "".join(letter for flag, letter in FLAG_LETTERS.items() if remove & flag)
            inner = list(body)
            if not added and not dropped and len(inner) == 1 and str(inner[0][0]) == "BRANCH":
                return self.item(*inner[0], inner_fold)  # a branch is a group already
            return f"(?{added}{'-' + dropped if dropped else ''}:{self.sequence(inner, inner_fold)})"
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, body = av
            if (low, high) == (0, sre_constants.MAXREPEAT):
                times = "*"
            elif (low, high) == (1, sre_constants.MAXREPEAT):
                times = "+"
            elif (low, high) == (0, 1):
                times = "?"
            elif high == sre_constants.MAXREPEAT:
                times = f"{{{low},}}"
            else:
                times = f"{{{low}}}" if low == high else f"{{{low},{high}}}"
            times += {"MAX_REPEAT": "", "MIN_REPEAT": "?", "POSSESSIVE_REPEAT": "+"}[name]
            return self.grouped(list(body), fold) + times
        if name in ("ASSERT", "ASSERT_NOT"):
            direction, body = av
            kind = ("=" if name == "ASSERT" else "!") if direction == 1 else ("<=" if name == "ASSERT" else "<!")
            return f"(?{kind}{self.sequence(list(body), fold)})"
        if name == "ATOMIC_GROUP":
            return f"(?>{self.sequence(list(av), fold)})"
        if name == "AT" and str(av) in AT:
            return AT[str(av)]
        raise Unsupported(name)

    def characters(self, name: str, av, fold: bool) -> str:
        """A literal, a negated literal or a class, rewritten where it would compile slowly."""
        if name != "IN":
            return _char(av, False) if name == "LITERAL" else self.class_text([("LITERAL", av)], True)
        negate = any(str(op) == "NEGATE" for op, _ in av)
        members = [(str(op), value) for op, value in av if str(op) != "NEGATE"]
        if any(op not in ("LITERAL", "RANGE", "CATEGORY") for op, _ in members):
            raise Unsupported(name)
        original = self.class_text(members, negate)
        spans = [(v, v) if op == "LITERAL" else v for op, v in members if op != "CATEGORY"]
        foreign = any(high > 127 for _, high in spans)
        cased = any(chr(c).lower() != chr(c).upper() for low, high in spans for c in range(low, min(high, 127) + 1))
        if not foreign and not (fold and cased):
            return original
        exact = re.compile(f"(?i:{original})" if fold else original)
        categories = "".join(CATEGORIES[str(value)] for op, value in members if op == "CATEGORY")
        covered = {c for c in ASCII_CHARS if categories and re.fullmatch(f"[{categories}]", c)}
        inside = {c for c in ASCII_CHARS if exact.fullmatch(c)}
        named = (set(ASCII_CHARS) - inside if negate else inside) - covered
        body = _ranges(ord(c) for c in named) + categories
        rewritten = f"[{'^' if negate else ''}{body}]" if body else "[\\s\\S]" if negate else "[^\\s\\S]"
        if fold:
            rewritten = f"(?-i:{rewritten})"
        # where the two may differ: anywhere, or (case ignored, only ASCII named) where case folds
        candidates = self.everything if foreign or categories else self.folding()
        differ = re.compile(f"(?s)(?:(?={exact.pattern})(?!{rewritten})|(?={rewritten})(?!{exact.pattern})).")
        for found in differ.finditer(candidates):
            if found.group().isascii():
                raise AssertionError(f"rewriting {original} went wrong at {found.group()!r}")
            self.odd.add(ord(found.group()))
        return rewritten

    def folding(self) -> str:
        """The characters outside ASCII that match some ASCII character when case is ignored."""
        if self._folding is None:
            self._folding = "".join(re.findall(r"(?i)[\x00-\x7f]", self.everything.translate(ASCII_OUT)))
        return self._folding

    @staticmethod
    def class_text(members, negate: bool) -> str:
        parts = []
        for op, value in members:
            if op == "LITERAL":
                parts.append(_char(value, True))
            elif op == "RANGE":
                parts.append(f"{_char(value[0], True)}-{_char(value[1], True)}")
            elif op == "CATEGORY":
                parts.append(CATEGORIES[str(value)])
            else:
                raise Unsupported(op)
        return f"[{'^' if negate else ''}{''.join(parts)}]"


def first_characters(regexp: str) -> tuple[str, bool]:
    """The ASCII characters a match of `regexp` may start with, and whether it may start with a
    character outside ASCII (both generous: a zero-width assertion is not looked into)."""
    chars, beyond, _ = _first(list(sre_parse.parse(regexp)), False)
    return "".join(sorted(chars)), beyond


def _first(items, fold: bool) -> tuple[set, bool, bool]:
    """(ASCII characters, any beyond ASCII, whether the items may match nothing at all)."""
    chars, beyond = set(), False
    for op, av in items:
        name = str(op)
        if name in ("LITERAL", "NOT_LITERAL", "IN", "ANY"):
            if name == "ANY":
                atom, wide = ".", True
            elif name == "IN":
                members = [(str(o), v) for o, v in av if str(o) != "NEGATE"]
                atom = Rewriter.class_text(members, len(members) < len(av))
                wide = len(members) < len(av) or any(o == "CATEGORY" or o == "LITERAL" and v > 127
                                                     or o == "RANGE" and v[1] > 127 for o, v in members)
            else:
                atom = Rewriter.class_text([("LITERAL", av)], name == "NOT_LITERAL")
                wide = name == "NOT_LITERAL" or av > 127
            compiled = re.compile(f"(?i:{atom})" if fold else atom, re.DOTALL)
            return chars | {c for c in ASCII_CHARS if compiled.fullmatch(c)}, beyond or wide or fold, False
        if name == "BRANCH":
            results = [_first(list(b), fold) for b in av[1]]
            more, wide, empty = set().union(*(r[0] for r in results)), any(r[1] for r in results), any(
                r[2] for r in results)
        elif name == "SUBPATTERN":
            _group, add, remove, body = av
            more, wide, empty = _first(list(body), (fold or bool(add & IGNORECASE)) and not remove & IGNORECASE)
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            more, wide, empty = _first(list(av[2]), fold)
            empty = empty or av[0] == 0
        elif name == "ATOMIC_GROUP":
            more, wide, empty = _first(list(av), fold)
        elif name in ("ASSERT", "ASSERT_NOT", "AT"):
            more, wide, empty = set(), False, True
        else:  # anything else: any character at all
            more, wide, empty = set(ASCII_CHARS), True, True
        chars, beyond = chars | more, beyond or wide
        if not empty:
            return chars, beyond, False
    return chars, beyond, True


TERMINALS_HEADER = '''# Generated from grammar.lark by `python tools/regenerate_parser.py`: do not edit.
"""The terminals of grammar.lark, for the fast path (fastpath.py): the one source of its words.

EXACT: each terminal's regular expression as lark compiles it (flags written inline).
PATTERNS: the same, rewritten to compile faster: a class with letters whose case is ignored
spelt out in ASCII, characters outside ASCII left out of classes, groups not capturing. On a
text that holds no character ODD matches, each matches exactly what its EXACT expression
matches; the fast path leaves a line holding one to the parser.
WORDS: the terminals that are one fixed string (keywords, punctuation): the string, and whether
its case is ignored.
ORDER: the order lark's lexer tries the terminals in, where a parser state accepts several.
FIRST: the ASCII characters each pattern's match may start with, and whether it may start with
one beyond ASCII (so the fast path tries only the terminals that may match at a character).
"""
'''


def _literal(text: str) -> str:
    """A Python string literal for `text`: raw where it can be, for patterns."""
    if text.isprintable() and not text.endswith("\\"):
        for quote in ('"', "'"):
            if quote not in text:
                return f"r{quote}{text}{quote}"
    return repr(text)


def terminals_source(lark_instance) -> str:
    """The text schedc/compiler/terminals.py should hold for the grammar `lark_instance` was built from."""
    rewriter = Rewriter("".join(map(chr, range(0x110000))))
    exact, patterns, words = {}, {}, {}
    for terminal in sorted(lark_instance.terminals, key=lambda t: t.name):
        regexp = terminal.pattern.to_regexp()
        exact[terminal.name] = regexp
        try:
            patterns[terminal.name] = rewriter.pattern(regexp)
        except Unsupported:
            patterns[terminal.name] = regexp
        re.compile(patterns[terminal.name])
        if terminal.pattern.type == "str":
            words[terminal.name] = (terminal.pattern.value, "i" in terminal.pattern.flags)
    odd = f"[{_ranges(rewriter.odd)}]" if rewriter.odd else "[^\\s\\S]"
    lines = [TERMINALS_HEADER, "EXACT = {"]
    lines += [f'    "{name}": {_literal(text)},' for name, text in exact.items()]
    lines += ["}", "", "PATTERNS = {"]
    lines += [f'    "{name}": {_literal(text)},' for name, text in patterns.items()]
    lines += ["}", "", f"ODD = {_literal(odd)}", "", "WORDS = {"]
    lines += [f'    "{name}": ({json.dumps(text)}, {fold}),' for name, (text, fold) in words.items()]
    lines += ["}", "", "ORDER = ("]
    # lark's lexer sorts the terminals so (lark.lexer.BasicLexer) and takes the first that matches
    order = sorted(lark_instance.terminals,
                   key=lambda t: (-t.priority, -t.pattern.max_width, -len(t.pattern.value), t.name))
    lines += [f'    "{t.name}",' for t in order]
    lines += [")", "", "FIRST = {"]
    for name, pattern in patterns.items():
        chars, beyond = first_characters(pattern)
        lines.append(f'    "{name}": ({json.dumps(chars)}, {beyond}),')
    lines += ["}", ""]
    return "\n".join(lines)


def grammar_terminals() -> str:
    """The text terminals.py should hold, for this grammar and the installed lark."""
    import lark

    sys.path.insert(0, str(ROOT))
    from schedc.compiler.parser import LARK_OPTIONS

    return terminals_source(lark.Lark(GRAMMAR.read_text(encoding="utf-8"), **LARK_OPTIONS))


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
    parser.add_argument("--check", action="store_true", help="exit 1 if a generated file is out of date")
    parser.add_argument("--print", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    source = generated_source()
    if args.print:
        sys.stdout.buffer.write(source.encode("utf-8"))
        return 0
    wanted = {GENERATED: source, TERMINALS: grammar_terminals()}
    stale = [path for path, text in wanted.items()
             if (path.read_bytes() if path.exists() else b"") != text.encode("utf-8")]
    names = " and ".join(str(path.relative_to(ROOT)) for path in (stale or wanted))
    if not stale:
        print(f"{names} match schedc/compiler/grammar.lark")
        return 0
    if args.check:
        print(f"{names} {'is' if len(stale) == 1 else 'are'} out of date: run `python tools/regenerate_parser.py`")
        return 1
    for path in stale:
        path.write_bytes(wanted[path].encode("utf-8"))
    print(f"wrote {names}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
