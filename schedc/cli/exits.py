"""Exit codes and the one exception a command raises to stop with one.

0 clean; 1 the input needs attention (an error, or a warning under `--strict`); 2 schedc could
not do its job (usage, an unreadable file, an internal error); 3 the API kept failing after
retries, so a script can try again later.
"""

from __future__ import annotations

EXIT_OK, EXIT_INPUT, EXIT_TOOL, EXIT_RETRY = 0, 1, 2, 3


class Stop(Exception):
    """Raised deep in a command to stop with a code; only `main` turns it into a number."""

    def __init__(self, code: int, message: str = ""):
        super().__init__(message)
        self.code, self.message = code, message

