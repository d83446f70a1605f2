"""`schedc lsp`: a language server for `.sched` files (install the `schedc[lsp]` extra).

`text` maps positions, `features` works out diagnostics, formatting, hover, completion and
quick fixes from the text, and `server` speaks the protocol through pygls. Importing this
package imports neither pygls nor the compiler; `missing()` says whether the extra is there.
"""

from __future__ import annotations

from typing import Optional

EXTRA_HINT = "install it with: pip install 'schedc[lsp]'"


def missing() -> Optional[str]:
    """The name of the first library of the `lsp` extra that cannot be imported, or None."""
    for name in ("lsprotocol.types", "pygls.lsp.server"):
        try:
            __import__(name)
        except ImportError:
            return name.split(".")[0]
    return None


def serve(config: Optional[str] = None, no_config: bool = False, given: Optional[dict] = None) -> None:
    """Speak the protocol on stdin and stdout until the editor says exit; `config` is a
    configuration file for every document (`--config`), `no_config` reads none, `given` holds
    the options given on the command line (`--max-input-size`), over every document's settings."""
    from .server import serve as start

    start(config, no_config, given)
