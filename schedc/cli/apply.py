"""`schedc apply PATH…`: create new users, and PATCH the parts of existing ones that changed;
`schedc apply PLANFILE`: exactly the plan `schedc plan -o` saved.

Given files, it reads the server first (as `plan --refresh` does; `--no-refresh` compares with
the state alone), shows the plan and asks before sending (on a terminal; `--auto-approve` answers
for it; without a terminal it refuses, as terraform does in CI). Given a plan, it asks nothing
but refuses unless the files, the state and the server are as the plan found them.

Exit codes: 0 everything applied; 1 a file or a user needs attention (diagnostics, 400, 409,
a user that cannot be adopted or is gone from the server), or the question was not answered
`yes`; 2 schedc could not do its job (no key, a refused key, an unusable state, no terminal to
ask on, a saved plan that no longer matches); 3 the API kept failing after retries; 130
interrupted.
"""

from __future__ import annotations

from ..secrets import json_text
from ..files import GROWING, same_path
from .exits import EXIT_INPUT, EXIT_TOOL, Stop
from .planning import STEP_EXIT, Run, count_plan, entry_text, plan_summary, refresh_live, tell, with_client
from .sandbox import socket_errors_not_signals


def run(args) -> int:
    state = Run(args)
    try:
        return _apply(state)
    except Stop as stop:
        tell(f"schedc: {stop.message}")
        return max(state.worst, stop.code)


def _apply(run: Run) -> int:
    from ..sync import apply
    from ..meetergo import event_loop
    from ..sync.apply import make_plan

    args = run.args
    saved = _saved_plan(run)
    if saved is None:  # as terraform: read the server first unless told not to (--no-refresh)
        args.refresh = args.refresh is not False
    socket_errors_not_signals()
    base = run.base(network=True)
    targets = run.targets()
    if run.worst and saved is not None:
        raise Stop(max(run.worst, EXIT_TOOL), f"error: nothing was sent: the files of the plan `{saved['name']}` are "
                                              "not as they were when it was made (see above)")
    if run.worst and not args.keep_going:
        raise Stop(run.worst, "error: nothing was sent: fix the files above, or pass --keep-going to apply the others")
    if saved is not None:
        _same_files(saved, targets, base)
    session = run.session(base, None)
    try:
        state = run.state(targets, base, lock=True)
    except Stop:
        session.close()
        raise
    counts: dict[str, int] = {}
    try:
        if saved is not None and (state.read_serial != saved["state"]["serial"]
                                  or not same_path(state.path, saved["state"]["path"])):
            raise Stop(EXIT_TOOL, f"error: nothing was sent: the state `{state.path}` was written since the plan was "
                                  "made; make the plan again")
        users = state.users(base)
        checking = saved is not None and not saved["refreshed"]  # a plan of the state alone: is the server still so?
        live = refresh_live(run, session, targets, users) if args.refresh or checking else None
        if session.stop:
            raise Stop(EXIT_TOOL, "error: nothing was changed")
        if run.worst and saved is not None:
            raise Stop(max(run.worst, EXIT_TOOL), f"error: nothing was sent: the server could not be read to check "
                                                  f"the plan `{saved['name']}` (see above)")
        if checking:
            _same_server(saved, users, live)
            live = None
        scope = saved["scope"] if saved is not None else args.paths
        entries = make_plan(targets, users, scope, live, run.broken)
        if saved is not None:
            _same_plan(saved, entries, live)
        by_file = {t.file: t for t in targets}
        for entry in entries:
            if entry.gone and not args.quiet:
                tell(f"schedc: note: {entry.email} ({entry.file}) is no longer in the repo; left alone")
            elif entry.file in by_file:
                run.notes(by_file[entry.file], entry)
            if entry.holidays is not None and entry.holidays.stays and not args.quiet:
                tell(f"schedc: note: {entry.email} ({entry.file}): the {entry.holidays.stays} holidays stay on the "
                     "server (the API documents no way to remove them): remove them by hand in meetergo")
        if saved is None:
            _confirm(run, entries)

        def report(step) -> None:
            counts[step.label] = counts.get(step.label, 0) + 1
            run.raise_to(STEP_EXIT[step.label])
            fields = _step_fields(step)
            if args.json:
                run.out(json_text({"file": step.file, "email": step.email, "outcome": step.label, **fields}))
            else:
                run.out(f"{step.label:<9} {step.email}  {_step_text(step, fields)}  ({step.file})")
            _explain(run, by_file.get(step.file), step, args.if_exists)
            if step.notes and step.file in by_file:  # the user's own zone, only now read from the server
                run.notes(by_file[step.file], step)

        async def work(client):
            session.client = client
            return await apply.apply(session, entries, by_file, state, args.if_exists, report, live)

        try:
            event_loop.run(with_client(session.options, work))
        except KeyboardInterrupt:
            tell("schedc: interrupted; the state has every finished step, so running the same command "
                  "again carries on")
            raise
        except Exception as exc:  # never let the key ride out on an error message
            secret = session.key.authorization()[len("Bearer "):]
            if secret in str(exc) or secret in repr(exc.args):
                raise RuntimeError(f"{type(exc).__name__} (message withheld: it held the key)") from None
            raise
    finally:
        state.unlock()
        session.close()
    if not args.quiet:
        total = sum(counts.values())
        tally = ", ".join(f"{n} {label}" for label, n in sorted(counts.items()))
        tell(f"{total} user{'' if total == 1 else 's'} applied: {tally or 'nothing to do'}")
    return run.worst


def _saved_plan(run: Run):
    """The plan of `schedc apply PLANFILE` (its files become the paths to read), or None when the
    paths are schedules."""
    import os

    from ..sync import saved_plan
    from ..files import read

    args = run.args
    if len(args.paths) != 1 or args.paths[0].endswith(".sched") or not os.path.isfile(args.paths[0]):
        return None
    name = args.paths[0]
    try:
        data = read(name, GROWING * run.settings["max-input-size"])
    except OSError as exc:
        raise Stop(EXIT_TOOL, f"error: cannot read `{name}`: {exc.strerror or exc}") from None
    if not saved_plan.looks_like_plan(data):
        return None
    try:
        plan = saved_plan.loads(data, name)
    except saved_plan.PlanError as exc:
        raise Stop(EXIT_TOOL, f"error: {exc}") from None
    if args.refresh is True and not plan["refreshed"]:
        raise Stop(EXIT_TOOL, f"error: `{name}` was made without --refresh, and a saved plan is applied as it was "
                              "made; make it again with `schedc plan --refresh -o`")
    if args.refresh is False and plan["refreshed"]:
        raise Stop(EXIT_TOOL, f"error: `{name}` was made with --refresh, and a saved plan is applied as it was "
                              "made (its check of the server included); make it again without --refresh")
    args.paths, args.refresh = [f["path"] for f in plan["files"]], plan["refreshed"]
    if args.paths:  # the settings of the files planned (found from them, as `plan` found them), wherever the plan lies
        from .settings import settings_for

        run.settings = settings_for(args)
    plan["name"] = name
    return plan


def _stale(plan: dict, what: str) -> Stop:
    return Stop(EXIT_TOOL, f"error: nothing was sent: {what} since the plan `{plan['name']}` was made; make the plan "
                           "again (schedc plan -o) and review it")


def _same_files(plan: dict, targets, base: str) -> None:
    from ..sync.saved_plan import digest

    if base != plan["base"]:
        raise Stop(EXIT_TOOL, f"error: nothing was sent: the plan `{plan['name']}` was made for {plan['base']}, "
                              f"not {base}")
    found = {t.file: digest(t.data) for t in targets}
    for item in plan["files"]:
        if found.get(item["path"]) != item["sha256"]:
            raise _stale(plan, f"`{item['path']}` changed")


def _same_plan(plan: dict, entries, live) -> None:
    """The plan made now is the one saved, and (for a refreshed plan) the server has what it had."""
    from ..sync.saved_plan import live_digest

    if plan["refreshed"]:
        now = {email: live_digest(fields) for email, fields in (live or {}).items()}
        for email in sorted(set(now) | set(plan["live"])):
            if now.get(email) != plan["live"].get(email):
                raise _stale(plan, f"the server's copy of {email} changed")
    if [e.as_json() for e in entries] != plan["entries"]:
        raise _stale(plan, "what the plan would do changed")


def _same_server(plan: dict, users: dict, live: dict) -> None:
    """A plan made without --refresh trusted the state's record of what the server has: refuse
    when the server no longer has it (drift since the last apply)."""
    from ..sync.plan import drift

    for email, fields in sorted(live.items()):
        changed = drift(users[email].get("applied"), fields)
        if changed:
            raise Stop(EXIT_TOOL, f"error: nothing was sent: the server's copy of {email} changed ({changed[0].label}) "
                                  f"since schedc applied it, and the plan `{plan['name']}` was made from the state "
                                  "alone; make it again with `schedc plan --refresh -o` and review it")


def _confirm(run: Run, entries) -> None:
    """Show the plan; on a terminal ask before anything is sent, without one refuse unless
    --auto-approve (as terraform does in CI)."""
    import sys

    args = run.args
    pending = [e for e in entries if not e.gone and e.action != "none"]
    ask = bool(pending) and not args.auto_approve
    if pending and (not args.quiet or ask):  # nothing to change: nothing to show before the results
        for entry in pending:
            tell(entry_text(entry))
        tell(plan_summary(count_plan(entries)))
    if not ask:
        return
    if not sys.stdin.isatty():
        raise Stop(EXIT_TOOL, "error: nothing was sent: apply asks before it changes anything, and there is no "
                              "terminal to ask on; pass --auto-approve, or apply a saved plan (schedc plan -o FILE)")
    print("Apply these changes? Only `yes` goes on: ", end="", file=sys.stderr, flush=True)
    answer = sys.stdin.readline()
    if answer.strip() != "yes":
        raise Stop(EXIT_INPUT, "apply cancelled; nothing was sent")


def _step_fields(step) -> dict:
    from .. import meetergo
    from ..sync.apply import Unreadable

    record = step.record or {}
    fields = {}
    if step.label in ("created", "adopted", "updated", "unchanged"):
        fields = {k: record.get(k) for k in ("userId", "availabilityId", "meetingTypeId")}
        fields["sent"] = list(step.sent)
        if step.holidays:
            fields["holidays"] = list(step.holidays)
        if step.label == "created":
            fields["bookingUrl"] = record.get("bookingUrl")
    answer = step.answer
    if isinstance(answer, meetergo.Rejected):
        fields.update({"status": answer.status, "message": answer.message,
                       "errors": [{"field": e.field, "message": e.message} for e in answer.errors]})
    elif isinstance(answer, meetergo.Failed):
        fields.update({"status": answer.status, "message": answer.reason, "attempts": answer.attempts})
    elif isinstance(answer, meetergo.AlreadyExists):
        fields.update({"status": 409, "message": answer.message})
    elif isinstance(answer, Unreadable):
        fields.update({"status": answer.status, "message": f"the answer is not as the API documents it: "
                                                           f"{answer.reason}", "attempts": answer.attempts})
    if step.part:
        fields["part"] = step.part
    if step.detail:
        fields["detail"] = step.detail
    return fields


def _step_text(step, fields: dict) -> str:
    from ..sync.apply import Unreadable

    label = step.label
    ids = " ".join(f"{k}={fields[k]}" for k in ("userId", "availabilityId", "meetingTypeId") if fields.get(k))
    if label == "created":
        added = f"  holidays {', '.join(map(str, step.holidays))}" if step.holidays else ""
        return f"{fields.get('bookingUrl')}  {ids}{added}"
    if label in ("updated", "adopted"):
        parts = list(step.sent) + ([f"holidays {', '.join(map(str, step.holidays))}"] if step.holidays else [])
        sent = f"sent {', '.join(parts)}" if parts else "nothing to change"
        return sent + (f"  {ids}" if label == "adopted" else "")
    if label == "unchanged":
        return "nothing to change"
    if label in ("exists", "uncertain", "skipped"):
        return {"exists": "already exists (pass --if-exists adopt to take it over)",
                "uncertain": "already exists, probably created by an earlier attempt whose answer was lost",
                "skipped": "already exists (--if-exists skip)"}[label]
    if label == "failed" and isinstance(step.answer, Unreadable):
        return f"HTTP {fields['status']}: {fields['message']}"
    if label == "failed":
        return f"still failing after {fields.get('attempts')} attempts: {fields.get('message')}"
    if "status" in fields:
        return f"HTTP {fields['status']}: {fields.get('message')}"
    return fields.get("detail", "")


def _explain(run: Run, target, step, if_exists: str) -> None:
    from .. import meetergo
    from ..diagnostics import error
    from ..meetergo.rejections import conflict_diagnostic, field_span, rejection_diagnostics

    if target is None:
        return
    answer = step.answer
    if step.label == "exists":
        run.show([conflict_diagnostic(target.data, target.file, target.email, answer.message, adopt=True)])
    elif step.label == "unlisted":
        run.show([error("SC311", f"`{target.email}` could not be adopted: {step.detail}",
                        field_span(target.data, "email"), path=target.file,
                        help="check the user in meetergo; the key may belong to another company")])
    elif step.label in ("rejected", "missing") or (step.label == "refused" and isinstance(answer, meetergo.Rejected)):
        if step.part is None and isinstance(answer, meetergo.Rejected) and not answer.credential:
            flags = {"--timezone": run.args.timezone} if run.args.timezone else None
            run.show(rejection_diagnostics(target.data, target.file, answer.status, answer.message, answer.errors,
                                           flags))
        else:
            run.problem(target, answer if answer is not None else step.detail, step.part, reading=False)


__all__ = ["run"]
