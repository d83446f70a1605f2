"""`schedc plan PATH…`: what `apply` would change, per user; with --refresh, drift too.

Exit codes: 0 the plan was shown; 1 a file or a user needs attention; 2 schedc could not do its
job; 3 the API kept failing (with --refresh); with --detailed-exitcode, 4 when there are
changes to apply. Without --refresh it sends nothing and imports neither httpx nor pydantic.
"""

from __future__ import annotations

from ..secrets import json_text
from .exits import EXIT_OK, Stop
from .planning import EXIT_PENDING, Run, refresh_live, tell
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
    counts = {"create": 0, "update": 0, "none": 0, "gone": 0}
    for entry in entries:
        counts["gone" if entry.gone else entry.action] += 1
        if entry.file in by_file:
            run.notes(by_file[entry.file], entry)
        if args.json:
            run.out(json_text(entry.as_json()))
        elif entry.gone:
            run.out(f"untracked {entry.email}  no longer in the repo; left alone (schedc never deletes users)"
                    f"  ({entry.file})")
        else:
            label = {"create": "create", "update": "update", "none": "unchanged"}[entry.action]
            lines = [f"{label:<9} {entry.email}  ({entry.file})"]
            lines += [f"            {change.describe()}" for change in entry.changes]
            if entry.holidays is not None:
                lines += [f"            {line}" for line in entry.holidays.describe()]
            run.out("\n".join(lines))
    if not args.quiet:
        text = f"plan: {counts['create']} to create, {counts['update']} to update, {counts['none']} unchanged"
        if counts["gone"]:
            text += f", {counts['gone']} no longer in the repo"
        tell(text + ("" if args.refresh else " (compared with the state; --refresh compares with the server)"))
    if run.worst == EXIT_OK and args.detailed_exitcode and (counts["create"] or counts["update"]):
        return EXIT_PENDING
    return run.worst


__all__ = ["run"]
