"""`schedc lsp`: start the language server on stdin and stdout (the `lsp` extra)."""

from __future__ import annotations

import sys

from .exits import EXIT_OK, EXIT_TOOL


def run(args) -> int:
    from ..lsp import EXTRA_HINT, missing, serve

    absent = missing()
    if absent:
        print(f"schedc: error: `schedc lsp` needs {absent}, which is not installed; {EXTRA_HINT}", file=sys.stderr)
        return EXIT_TOOL
    serve()
    return EXIT_OK
