"""`schedc plan PATH…`: what `apply` would change, per user; with --refresh, drift too; with
`-o PLANFILE`, saved for `schedc apply PLANFILE` (`saved_plan.py`).

Exit codes: 0 the plan was shown; 1 a file or a user needs attention; 2 schedc could not do its
job; 3 the API kept failing (with --refresh); with --detailed-exitcode, 4 when there are
changes to apply. Without --refresh it sends nothing and imports neither httpx nor pydantic.
"""

from __future__ import annotations

from ..secrets import json_text
from .exits import EXIT_OK, EXIT_TOOL, Stop
from .planning import EXIT_PENDING, Run, count_plan, entry_text, plan_summary, refresh_live, tell
from .sandbox import socket_errors_not_signals


def run(args) -> int:
    state = Run(args)
    try:
        return _plan(state)
    except Stop as stop:
        tell(f"schedc: {stop.message}")
        return max(state.worst, stop.code)


def _plan(run: Run) -> int:
    from ..sync.apply import make_plan

    args = run.args
    if args.refresh:
        socket_errors_not_signals()
    base = run.base(network=args.refresh)
    targets = run.targets()
    state = run.state(targets, base, lock=False)
    users = state.users(base)
    live = None
    if args.refresh:
        session = run.session(base, None)
        try:
            live = refresh_live(run, session, targets, users)
        finally:
            session.close()
    entries = make_plan(targets, users, args.paths, live, run.broken)
    by_file = {t.file: t for t in targets}
    counts = count_plan(entries)
    for entry in entries:
        if entry.file in by_file:
            run.notes(by_file[entry.file], entry)
        run.out(json_text(entry.as_json()) if args.json else entry_text(entry))
    if not args.quiet:
        tell(plan_summary(counts) + ("" if args.refresh else " (compared with the state; --refresh compares with "
                                                             "the server)"))
    if args.out:
        _save(run, base, state, targets, live, entries)
    if run.worst == EXIT_OK and args.detailed_exitcode and (counts["create"] or counts["update"]):
        return EXIT_PENDING
    return run.worst


def _save(run: Run, base: str, state, targets, live, entries) -> None:
    """`-o PLANFILE`: the plan, with what it was made from, for `schedc apply PLANFILE`; only a
    plan every file of which compiled, and every user of which could be read, is saved."""
    from ..sync import saved_plan
    from .inputs import write_atomically

    args = run.args
    if run.worst != EXIT_OK:
        tell(f"schedc: error: the plan was not saved to `{args.out}`: fix what is shown above first")
        run.raise_to(EXIT_TOOL)
        return
    plan = saved_plan.build(name=args.out, base=base, state_path=state.path, serial=state.read_serial, refreshed=bool(args.refresh),
                            scope=args.paths, targets=targets, live=live, entries=entries)
    write_atomically(args.out, saved_plan.dumps(plan))
    if not args.quiet:
        tell(f"schedc: saved the plan to `{args.out}`; `schedc apply {args.out}` applies exactly this plan")


__all__ = ["run"]
