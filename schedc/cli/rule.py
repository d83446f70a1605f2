"""`schedc rule CODE…` prints a code's documentation; `schedc rule --all` lists every code.

The text is the code's section of docs/diagnostics.md (what it means, why it matters, an
example, how to fix it), as Markdown, from the copy the package ships (`schedc/rules.md`).
"""

from __future__ import annotations

import sys

from .exits import EXIT_OK, EXIT_TOOL, Stop, epilog


def add_parser(commands, common) -> None:
    rule = commands.add_parser("rule", parents=[common], help="explain a diagnostic code",
                               description="Print the documentation of diagnostic codes (what, why, an example, "
                                           "the fix), or list every code with --all.",
                               epilog=epilog("schedc rule SC102", "schedc rule --all"))
    rule.add_argument("codes", nargs="*", metavar="CODE", help="a code such as SC102")
    rule.add_argument("--all", action="store_true", help="list every code with its severity and title")
    rule.set_defaults(run=run)


def run(args) -> int:
    from ..rules import rule, rules, suggest

    if args.all:
        for found in rules().values():
            severity = "warning" if found.silenceable else "error"
            sys.stdout.write(f"{found.code}  {severity:<7}  {found.title}\n")
        return EXIT_OK
    if not args.codes:
        raise Stop(EXIT_TOOL, "error: name a code, like `schedc rule SC102`, or list them with `schedc rule --all`")
    texts = []
    for code in args.codes:
        found = rule(code)
        if found is None:
            near = suggest(code)
            raise Stop(EXIT_TOOL, f"error: `{code}` is not a diagnostic code"
                                  + (f"; did you mean `{near}`?" if near else "; `schedc rule --all` lists them"))
        texts.append(found.text)
    sys.stdout.write("\n".join(texts))
    return EXIT_OK
