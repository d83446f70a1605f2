"""`schedc lsp`: start the language server on stdin and stdout (the `lsp` extra)."""

from __future__ import annotations

import os
import sys

from .exits import EXIT_OK, EXIT_TOOL


def run(args) -> int:
    from ..lsp import EXTRA_HINT, missing, serve

    absent = missing()
    if absent:
        print(f"schedc: error: `schedc lsp` needs {absent}, which is not installed; {EXTRA_HINT}", file=sys.stderr)
        return EXIT_TOOL
    if args.config and not args.no_config and not os.path.isfile(args.config):
        print(f"schedc: error: --config: cannot read `{args.config}`: no such file", file=sys.stderr)
        return EXIT_TOOL
    serve(args.config, args.no_config, {"max-input-size": args.max_input_size})
    return EXIT_OK
