"""`schedc sandbox`: a local stand-in for the meetergo user API on 127.0.0.1, to rehearse with."""

from __future__ import annotations

import sys

from .exits import EXIT_OK, EXIT_TOOL, Stop
from .options import count, rate


def add_parser(commands, common) -> None:
    sandbox = commands.add_parser(
        "sandbox", parents=[common], help="run a local stand-in for the meetergo user API",
        description="Serve a local imitation of POST /v4/user (and of the GET and PATCH calls that "
                    "plan and apply make) on 127.0.0.1, to rehearse scripts. "
                    "Prints its URL on the first line of stdout.",
        epilog="examples:\n  schedc sandbox --port 0\n  schedc sandbox --strict\n"
               "  schedc submit --base-url http://127.0.0.1:8765 team/\n\n"
               "exit codes:\n  0  stopped with Ctrl-C\n  2  could not listen on the port")
    sandbox.add_argument("-q", "--quiet", action="store_true",
                         help="do not print the line that says where it serves on stderr")
    for action in sandbox._actions:  # the shared -v does more here: say so in this command's help
        if action.dest == "verbose":
            action.help = ("log each request line on stderr (never a header, so never a key), and show a "
                           "traceback on internal errors")
    sandbox.add_argument("--port", type=count(int, 0), default=8765, metavar="N",
                         help="the port (default 8765; 0 picks a free one)")
    sandbox.add_argument("--rate", type=rate, default="100/min", metavar="N/UNIT",
                         help="answer 429 past this rate per key (default 100/min, as documented)")
    sandbox.add_argument("--burst", type=count(int, 1), default=200, metavar="N",
                         help="requests a key may send at once (default 200, as documented)")
    sandbox.add_argument("--retry-after", action="store_true", help="send a Retry-After header with 429")
    sandbox.add_argument("--strict", action="store_true",
                         help="accept only what the API reference documents: a field schedc sends on an "
                              "assumption gets 400, an endpoint it assumes exists gets 404")
    sandbox.set_defaults(run=run)


def socket_errors_not_signals() -> None:
    """`schedc` kills itself on SIGPIPE so that `| head` ends quietly; a network program must
    not: a peer that hangs up should be an error on that socket, not the end of the process."""
    import signal

    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_IGN)


def run(args) -> int:
    from ..submit.sandbox import Sandbox

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
