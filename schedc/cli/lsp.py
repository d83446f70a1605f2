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
    if args.config and not args.no_config:
        problem = _unusable(args.config)
        if problem:
            print(f"schedc: error: --config: cannot read `{args.config}`: {problem}", file=sys.stderr)
            return EXIT_TOOL
    serve(args.config, args.no_config, {"max-input-size": args.max_input_size})
    return EXIT_OK


def _unusable(path: str):
    """Why the configuration file `path` cannot be read (it is absent, or no regular file: a
    device, a FIFO, a directory), or None. Its size and content are judged per document."""
    import stat

    from ..files import not_a_file

    try:
        mode = os.stat(path).st_mode
    except OSError:
        return "no such file"
    return None if stat.S_ISREG(mode) else not_a_file(mode)
