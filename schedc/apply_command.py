"""What `schedc plan` and `schedc apply` do: argv, streams and exit codes over `schedc.apply`.

Exit codes: 0 done (nothing pending, or everything applied); 1 a file or a user needs attention
(diagnostics, a 400, a 409, a user gone from the server); 2 schedc could not do its job (no key,
a refused key, an unusable state file or path); 3 the API kept failing after retries. `plan
--detailed-exitcode` exits 4 instead of 0 when there are changes to apply.

`plan` without --refresh sends nothing and imports neither httpx nor pydantic.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from typing import Optional

from .cli import EXIT_INPUT, EXIT_OK, EXIT_TOOL, expand_paths, report_unusable

EXIT_RETRY, EXIT_PENDING = 3, 4
DEFAULT_BASE_URL = "https://api.meetergo.com"
DEFAULT_JOURNAL = ".schedc-journal.jsonl"
# What each result of `apply` means for the exit code.
STEP_EXIT = {"created": EXIT_OK, "adopted": EXIT_OK, "updated": EXIT_OK, "unchanged": EXIT_OK, "skipped": EXIT_OK,
             "exists": EXIT_INPUT, "uncertain": EXIT_INPUT, "rejected": EXIT_INPUT, "missing": EXIT_INPUT,
             "unlisted": EXIT_INPUT, "refused": EXIT_TOOL, "not-sent": EXIT_TOOL, "failed": EXIT_RETRY}


class _Stop(Exception):
    def __init__(self, code: int, message: str):
        super().__init__(message)
        self.code, self.message = code, message


class _Run:
    """One run of plan or apply: the files, the state, the streams."""

    def __init__(self, args):
        from .render import use_colour

        self.args = args
        self.colour = use_colour(sys.stderr, args.color)
        self.worst = EXIT_OK
        self.sources: dict[str, bytes] = {}
        self.broken: list[str] = []  # files read that have errors

    def raise_to(self, code: int) -> None:
        self.worst = max(self.worst, code)

    def show(self, diagnostics) -> None:
        from .render import render

        for diagnostic in diagnostics:
            data = self.sources.get(diagnostic.path or "", b"")
            text = data.decode("utf-8", errors="replace").lstrip("\ufeff")
            print(render(diagnostic, text, colour=self.colour), file=sys.stderr, end="\n\n")

    # ---- inputs
    def base(self, network: bool) -> str:
        url = self.args.base_url or os.environ.get("MEETERGO_BASE_URL") or DEFAULT_BASE_URL
        if not network:
            return url.strip().rstrip("/")  # the state's key, as `check_base_url` would give it
        from . import submit as s

        try:
            return s.check_base_url(url)
        except s.SubmitError as exc:
            raise _Stop(EXIT_TOOL, f"error: {exc}") from None

    def targets(self) -> list:
        """Compile and check every file; show every diagnostic; the files that compiled."""
        from .api import analyze
        from .apply import Target
        from .diagnostics import error
        from .rejections import field_span

        found, seen = [], {}
        for path, problem in expand_paths(self.args.paths):
            if problem:
                if report_unusable(path, problem):
                    self.raise_to(EXIT_TOOL)
                continue
            if path == "-":
                print("schedc: error: plan and apply read files, not stdin (`-`)", file=sys.stderr)
                self.raise_to(EXIT_TOOL)
                continue
            try:
                with open(path, "rb") as handle:
                    data = handle.read()
            except OSError as exc:
                report_unusable(path, (exc.strerror or str(exc)).lower())
                self.raise_to(EXIT_TOOL)
                continue
            self.sources[path] = data
            result = analyze(data, path, timezone=self.args.timezone, end_of_day=self.args.end_of_day)
            diagnostics, text = list(result.diagnostics), result.to_json()
            body = json.loads(text) if text is not None else None
            if body is not None:
                first = seen.setdefault(body["email"].lower(), path)
                if first != path:
                    diagnostics.append(error(
                        "SC304", f"`{body['email']}` is also the e-mail of `{first}`", field_span(data, "email"),
                        path=path, help="one e-mail is one user: give each file its own address"))
                    body = None
            self.show(diagnostics)
            if body is None:
                self.raise_to(EXIT_INPUT)
                self.broken.append(path)
                continue
            found.append(Target(path, data, body["email"], body, text.encode("utf-8")))
        if not found and self.worst == EXIT_OK:
            raise _Stop(EXIT_TOOL, "error: no .sched files to plan")
        return found

    def state(self, targets, base: str, lock: bool):
        """The state (locked for apply), with what a `submit` journal created taken over."""
        from .state import DEFAULT_STATE, State, StateError

        state = State(self.args.state or DEFAULT_STATE)
        try:
            state.lock() if lock else state.load()
            bodies = {t.email.lower(): ("sha256:" + hashlib.sha256(t.raw).hexdigest(), t.body) for t in targets}
            taken = state.carry_over(base, _journal(self.args.journal or DEFAULT_JOURNAL), bodies)
            if taken and lock:
                state.save()
        except StateError as exc:
            state.unlock()
            raise _Stop(EXIT_TOOL, f"error: {exc}") from None
        except OSError as exc:
            state.unlock()
            raise _Stop(EXIT_TOOL, f"error: cannot read the journal: {exc.strerror or exc}") from None
        if taken and not self.args.quiet:
            print(f"schedc: took over {len(taken)} user{'' if len(taken) == 1 else 's'} from the submit journal",
                  file=sys.stderr)
        return state

    def session(self, base: str, client):
        from . import submit as s
        from .apply import Session

        try:
            key = s.key_from_environment(path=self.args.api_key_file)
        except s.SubmitError as exc:
            raise _Stop(EXIT_TOOL, f"error: {exc}") from None
        options = s.BatchOptions(base_url=base, concurrency=self.args.concurrency, rate=self.args.rate,
                                 burst=self.args.burst, timeout=self.args.timeout,
                                 backoff=s.Backoff(attempts=self.args.attempts, base=self.args.backoff))
        return Session(key, base, options, client)

    # ---- results
    def out(self, line: str) -> None:
        try:
            print(line, flush=True)
        except BrokenPipeError:  # the reader went away; the work goes on (the state has it)
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)

    def problem(self, target, answer, part: Optional[str], reading: bool) -> None:
        """Explain an answer that stopped the work on one user, and raise the exit code."""
        from . import submit as s
        from .diagnostics import error
        from .rejections import field_span

        if isinstance(answer, s.Rejected) and answer.credential:
            self.raise_to(EXIT_TOOL)
            print(f"schedc: error: the server refused the API key (HTTP {answer.status}: {answer.message}); "
                  "nothing more was sent", file=sys.stderr)
            return
        if isinstance(answer, s.Failed):
            self.raise_to(EXIT_RETRY)
            print(f"schedc: error: {target.file}: still failing after {answer.attempts} attempt"
                  f"{'' if answer.attempts == 1 else 's'}: {answer.reason}", file=sys.stderr)
            return
        self.raise_to(EXIT_INPUT)
        what = {"availability": "availability", "meetingType": "meeting type", "user": "user"}.get(part or "", "user")
        where = {"availability": "availability.name", "meetingType": "meetingType"}.get(part or "", "email")
        if not isinstance(answer, s.Rejected) or answer.status == 404:
            reason = answer if isinstance(answer, str) else f"HTTP 404: {answer.message}"
            span = field_span(target.data, where) or field_span(target.data, where.split(".")[0])
            self.show([error("SC312", f"the {what} schedc recorded for `{target.email}` is not on the server "
                                      f"({reason})", span, path=target.file,
                             help="if it was deleted in meetergo, remove this user from the state file and "
                                  "apply again to create it anew")])
            return
        if reading:
            self.show([error("SC310", f"the server refused to show the {what} of `{target.email}` "
                                      f"(HTTP {answer.status}): {answer.message}", field_span(target.data, where),
                             path=target.file)])
            return
        self.show(patch_diagnostics(target, part or "user", answer))

    def notes(self, target, entry) -> None:
        from .diagnostics import warning
        from .rejections import field_span

        for note in entry.notes:
            self.show([warning("SC313", f"the user's time zone changed from `{note.before}` to `{note.after}`, "
                                        "and the API cannot change it", field_span(target.data, "timezone"),
                               path=target.file,
                               help="change the zone in meetergo's web app; the availability's zone is updated")])


def patch_diagnostics(target, part: str, answer) -> list:
    """SC310 per field a rejected PATCH names, at the statement that produced it."""
    from .diagnostics import error
    from .rejections import field_span

    prefix = {"availability": "availability.", "meetingType": "meetingType.", "user": ""}[part]
    found = []
    for item in answer.errors:
        name = item.field.split("meetingInfo.", 1)[-1] if part == "meetingType" else item.field
        request_field = prefix + name if name else ""
        found.append(error("SC310", f"the server rejected the update of `{request_field or part}`: {item.message}",
                           field_span(target.data, request_field) if request_field else None, path=target.file))
    if not found:
        found.append(error("SC310", f"the server rejected the update of the {part} (HTTP {answer.status}): "
                                    f"{answer.message}", field_span(target.data, part if part != "user" else "email"),
                           path=target.file))
    return found


def _journal(path: str) -> list[dict]:
    """The entries of a submit journal (none when there is no journal); a cut line is skipped."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        return []
    entries = []
    for line in data.splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict):
            entries.append(entry)
    return entries


def _socket_errors_not_signals() -> None:
    import signal

    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_IGN)


async def _with_client(options, work):
    import httpx

    limits = httpx.Limits(max_connections=max(1, options.concurrency))
    async with httpx.AsyncClient(timeout=options.timeout, limits=limits, follow_redirects=False,
                                 trust_env=False) as client:
        return await work(client)


def _refresh(run: _Run, session, targets, users) -> dict:
    from .apply import refresh

    def problem(target, answer, part):
        run.problem(target, answer, part, reading=True)

    async def work(client):
        session.client = client
        return await refresh(session, targets, users, problem)

    import asyncio

    return asyncio.run(_with_client(session.options, work))


# ---- plan
def run_plan(args) -> int:
    run = _Run(args)
    try:
        return _plan(run)
    except _Stop as stop:
        print(f"schedc: {stop.message}", file=sys.stderr)
        return max(run.worst, stop.code)


def _plan(run: _Run) -> int:
    from .apply import make_plan

    args = run.args
    if args.refresh:
        _socket_errors_not_signals()
    base = run.base(network=args.refresh)
    targets = run.targets()
    state = run.state(targets, base, lock=False)
    users = state.users(base)
    live = None
    if args.refresh:
        live = _refresh(run, run.session(base, None), targets, users)
    entries = make_plan(targets, users, args.paths, live, run.broken)
    by_file = {t.file: t for t in targets}
    counts = {"create": 0, "update": 0, "none": 0, "gone": 0}
    for entry in entries:
        counts["gone" if entry.gone else entry.action] += 1
        if entry.file in by_file:
            run.notes(by_file[entry.file], entry)
        if args.json:
            run.out(json.dumps(entry.as_json(), ensure_ascii=False))
        elif entry.gone:
            run.out(f"untracked {entry.email}  no longer in the repo; left alone (schedc never deletes users)"
                    f"  ({entry.file})")
        else:
            label = {"create": "create", "update": "update", "none": "unchanged"}[entry.action]
            lines = [f"{label:<9} {entry.email}  ({entry.file})"]
            lines += [f"            {change.describe()}" for change in entry.changes]
            run.out("\n".join(lines))
    if not args.quiet:
        text = f"plan: {counts['create']} to create, {counts['update']} to update, {counts['none']} unchanged"
        if counts["gone"]:
            text += f", {counts['gone']} no longer in the repo"
        print(text + ("" if args.refresh else " (compared with the state; --refresh compares with the server)"),
              file=sys.stderr)
    if run.worst == EXIT_OK and args.detailed_exitcode and (counts["create"] or counts["update"]):
        return EXIT_PENDING
    return run.worst


# ---- apply
def run_apply(args) -> int:
    run = _Run(args)
    try:
        return _apply(run)
    except _Stop as stop:
        print(f"schedc: {stop.message}", file=sys.stderr)
        return max(run.worst, stop.code)


def _apply(run: _Run) -> int:
    import asyncio

    from . import apply as a
    from .apply import make_plan

    args = run.args
    _socket_errors_not_signals()
    base = run.base(network=True)
    targets = run.targets()
    if run.worst and not args.keep_going:
        raise _Stop(run.worst, "error: nothing was sent: fix the files above, or pass --keep-going to apply the others")
    session = run.session(base, None)
    state = run.state(targets, base, lock=True)
    counts: dict[str, int] = {}
    try:
        users = state.users(base)
        live = _refresh(run, session, targets, users) if args.refresh else None
        if session.stop:
            raise _Stop(EXIT_TOOL, "error: nothing was changed")
        entries = make_plan(targets, users, args.paths, live, run.broken)
        by_file = {t.file: t for t in targets}
        for entry in entries:
            if entry.gone and not args.quiet:
                print(f"schedc: note: {entry.email} ({entry.file}) is no longer in the repo; left alone",
                      file=sys.stderr)
            elif entry.file in by_file:
                run.notes(by_file[entry.file], entry)

        def report(step) -> None:
            counts[step.label] = counts.get(step.label, 0) + 1
            run.raise_to(STEP_EXIT[step.label])
            fields = _step_fields(step)
            if args.json:
                run.out(json.dumps({"file": step.file, "email": step.email, "outcome": step.label, **fields},
                                   ensure_ascii=False))
            else:
                run.out(f"{step.label:<9} {step.email}  {_step_text(step, fields)}  ({step.file})")
            _explain(run, by_file.get(step.file), step, args.if_exists)

        async def work(client):
            session.client = client
            return await a.apply(session, entries, by_file, state, args.if_exists, report)

        try:
            asyncio.run(_with_client(session.options, work))
        except KeyboardInterrupt:
            print("schedc: interrupted; the state has every finished step, so running the same command "
                  "again carries on", file=sys.stderr)
            raise
        except Exception as exc:  # never let the key ride out on an error message
            secret = session.key.authorization()[len("Bearer "):]
            if secret in str(exc) or secret in repr(exc.args):
                raise RuntimeError(f"{type(exc).__name__} (message withheld: it held the key)") from None
            raise
    finally:
        state.unlock()
    if not args.quiet:
        total = sum(counts.values())
        tally = ", ".join(f"{n} {label}" for label, n in sorted(counts.items()))
        print(f"{total} user{'' if total == 1 else 's'} applied: {tally or 'nothing to do'}", file=sys.stderr)
    return run.worst


def _step_fields(step) -> dict:
    from . import submit as s

    record = step.record or {}
    fields = {}
    if step.label in ("created", "adopted", "updated", "unchanged"):
        fields = {k: record.get(k) for k in ("userId", "availabilityId", "meetingTypeId")}
        fields["sent"] = list(step.sent)
        if step.label == "created":
            fields["bookingUrl"] = record.get("bookingUrl")
    answer = step.answer
    if isinstance(answer, s.Rejected):
        fields.update({"status": answer.status, "message": answer.message,
                       "errors": [{"field": e.field, "message": e.message} for e in answer.errors]})
    elif isinstance(answer, s.Failed):
        fields.update({"status": answer.status, "message": answer.reason, "attempts": answer.attempts})
    elif isinstance(answer, s.AlreadyExists):
        fields.update({"status": 409, "message": answer.message})
    if step.part:
        fields["part"] = step.part
    if step.detail:
        fields["detail"] = step.detail
    return fields


def _step_text(step, fields: dict) -> str:
    label = step.label
    ids = " ".join(f"{k}={fields[k]}" for k in ("userId", "availabilityId", "meetingTypeId") if fields.get(k))
    if label == "created":
        return f"{fields.get('bookingUrl')}  {ids}"
    if label in ("updated", "adopted"):
        sent = ", ".join(step.sent) or "nothing to change"
        return f"sent {sent}" + (f"  {ids}" if label == "adopted" else "")
    if label == "unchanged":
        return "nothing to change"
    if label in ("exists", "uncertain", "skipped"):
        return {"exists": "already exists (pass --if-exists adopt to take it over)",
                "uncertain": "already exists, probably created by an earlier attempt whose answer was lost",
                "skipped": "already exists (--if-exists skip)"}[label]
    if label == "failed":
        return f"still failing after {fields.get('attempts')} attempts: {fields.get('message')}"
    if "status" in fields:
        return f"HTTP {fields['status']}: {fields.get('message')}"
    return fields.get("detail", "")


def _explain(run: _Run, target, step, if_exists: str) -> None:
    from . import submit as s
    from .diagnostics import error
    from .rejections import conflict_diagnostic, field_span, rejection_diagnostics

    if target is None:
        return
    answer = step.answer
    if step.label == "exists":
        run.show([conflict_diagnostic(target.data, target.file, target.email, answer.message)])
    elif step.label == "unlisted":
        run.show([error("SC311", f"`{target.email}` could not be adopted: {step.detail}",
                        field_span(target.data, "email"), path=target.file,
                        help="check the user in meetergo; the key may belong to another company")])
    elif step.label in ("rejected", "missing") or (step.label == "refused" and isinstance(answer, s.Rejected)):
        if step.part is None and isinstance(answer, s.Rejected) and not answer.credential:
            run.show(rejection_diagnostics(target.data, target.file, answer.status, answer.message, answer.errors))
        else:
            run.problem(target, answer if answer is not None else step.detail, step.part, reading=False)


__all__ = ["run_apply", "run_plan"]
