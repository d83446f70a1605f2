"""`schedc apply PATH…`: create new users, and PATCH the parts of existing ones that changed.

Exit codes: 0 everything applied; 1 a file or a user needs attention (diagnostics, 400, 409,
a user that cannot be adopted or is gone from the server); 2 schedc could not do its job (no
key, a refused key, an unusable state); 3 the API kept failing after retries; 130 interrupted.
"""

from __future__ import annotations

from ..secrets import json_text
from .exits import EXIT_TOOL, Stop
from .planning import Run, STEP_EXIT, refresh_live, tell, with_client
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
    socket_errors_not_signals()
    base = run.base(network=True)
    targets = run.targets()
    if run.worst and not args.keep_going:
        raise Stop(run.worst, "error: nothing was sent: fix the files above, or pass --keep-going to apply the others")
    session = run.session(base, None)
    try:
        state = run.state(targets, base, lock=True)
    except Stop:
        session.close()
        raise
    counts: dict[str, int] = {}
    try:
        users = state.users(base)
        live = refresh_live(run, session, targets, users) if args.refresh else None
        if session.stop:
            raise Stop(EXIT_TOOL, "error: nothing was changed")
        entries = make_plan(targets, users, args.paths, live, run.broken)
        by_file = {t.file: t for t in targets}
        for entry in entries:
            if entry.gone and not args.quiet:
                tell(f"schedc: note: {entry.email} ({entry.file}) is no longer in the repo; left alone")
            elif entry.file in by_file:
                run.notes(by_file[entry.file], entry)
            if entry.holidays is not None and entry.holidays.stays and not args.quiet:
                tell(f"schedc: note: {entry.email} ({entry.file}): the {entry.holidays.stays} holidays stay on the "
                     "server (the API documents no way to remove them): remove them by hand in meetergo")

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
