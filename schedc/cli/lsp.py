"""`schedc lsp`: start the language server on stdin and stdout (the `lsp` extra)."""

from __future__ import annotations

import os
import sys

from .exits import EXIT_OK, EXIT_TOOL


def add_parser(commands, common) -> None:
    lsp = commands.add_parser(
        "lsp", parents=[common], help="run the language server for editors (needs schedc[lsp])",
        description="Speak the Language Server Protocol on stdin and stdout: diagnostics as you type, "
                    "formatting, hover, completion and quick fixes for .sched files. Editors start it; "
                    "see docs/editors.md. Each document gets the settings `schedc check` would use: the "
                    "configuration found from its folder, or FILE with --config, or none with --no-config. "
                    "Needs the optional extra: pip install 'schedc[lsp]'.",
        epilog="examples:\n  schedc lsp   (started by an editor, not by hand)\n\n"
               "exit codes:\n  0  the editor asked the server to exit\n"
               "  2  the lsp extra is not installed, or --config names no file")
    lsp.add_argument("--stdio", action="store_true",
                     help="accepted for editors that pass it; stdio is the only transport")
    lsp.set_defaults(run=run)


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
