"""`schedc sandbox`: a local stand-in for the meetergo user API on 127.0.0.1, to rehearse with."""

from __future__ import annotations

import sys

from .exits import EXIT_OK, EXIT_TOOL, Stop


def socket_errors_not_signals() -> None:
    """`schedc` kills itself on SIGPIPE so that `| head` ends quietly; a network program must
    not: a peer that hangs up should be an error on that socket, not the end of the process."""
    import signal

    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_IGN)


def run(args) -> int:
    from ..meetergo.sandbox import Sandbox

    socket_errors_not_signals()
    try:
        server = Sandbox(args.port, rate=args.rate, burst=args.burst, retry_after=args.retry_after,
                         verbose=args.verbose, strict=args.strict)
    except OSError as exc:
        raise Stop(EXIT_TOOL, f"error: cannot listen on 127.0.0.1:{args.port}: {exc.strerror or exc}") from None
    print(server.url, flush=True)
    if not args.quiet:
        strict = " (strict: only what the reference documents)" if args.strict else ""
        print(f"schedc sandbox: serving POST {server.url}/v4/user{strict}; Ctrl-C stops it", file=sys.stderr,
              flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return EXIT_OK
