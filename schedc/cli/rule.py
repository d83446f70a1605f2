"""`schedc rule CODE…` prints a code's documentation; `schedc rule --all` lists every code.

The text is the code's section of docs/diagnostics.md (what it means, why it matters, an
example, how to fix it), as Markdown, from the copy the package ships (`schedc/rules.md`).
"""

from __future__ import annotations

import sys

from .exits import EXIT_OK, EXIT_TOOL, Stop


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
