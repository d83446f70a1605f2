"""`schedc submit PATH…`: argv, streams and exit codes over `schedc.meetergo`.

Exit codes for submit (STYLE §9): 0 every user created or skipped; 1 a file or a request
needs attention (diagnostics, 400, 409, a changed file, a probably-created user); 2 schedc
could not do its job (no key, a refused key, an unsafe URL, an unreadable file or journal);
3 still failing after retries (network, 429, 5xx), so a script can try again later.
"""

from __future__ import annotations

import os
import sys

from ..files import GROWING
from .exits import EXIT_INPUT, EXIT_OK, EXIT_RETRY, EXIT_TOOL, Stop
from .inputs import (expand_paths, read_input, report_unread, report_unusable, same_email, show_diagnostics,
                     source_text)
from .sandbox import socket_errors_not_signals
from .settings import settings_for


class _File:
    """One input file: its name, bytes and (when it compiled) its request."""

    def __init__(self, name: str, data: bytes, request, holidays=None):
        self.name, self.data, self.request, self.holidays = name, data, request, holidays


def holiday_bodies(region) -> tuple:
    """The holiday requests of a file's region: one per year from this year to the end of the
    API's window (none without a region)."""
    if region is None:
        return ()
    from ..compiler.clock_changes import today
    from ..meetergo import contract

    return tuple(contract.holiday_body(year, region.country, region.state)
                 for year in contract.holiday_years(today().year))


def _window_passed(files) -> None:
    """Say so when files name holidays but the API's window of years lies in the past."""
    from ..compiler.clock_changes import today
    from ..meetergo import contract

    if any(f.holidays is not None for f in files) and not contract.holiday_years(today().year):
        first, last = contract.HOLIDAY_YEARS
        print(f"schedc: warning: meetergo takes public holidays for {first}-{last} only, so none are sent for "
              f"{today().year}; add them in meetergo's settings", file=sys.stderr)


def run(args) -> int:
    from .. import meetergo

    socket_errors_not_signals()
    settings = settings_for(args)
    try:
        base = meetergo.check_base_url(args.base_url or os.environ.get("MEETERGO_BASE_URL") or meetergo.DEFAULT_BASE_URL)
    except meetergo.SubmitError as exc:
        raise Stop(EXIT_TOOL, f"error: {exc}") from None
    files, worst = _compile_all(args, settings)
    ready = [f for f in files if f.request is not None]
    if worst and not args.keep_going:
        raise Stop(worst, "error: nothing was sent: fix the files above, or pass --keep-going to send the others")
    items = [meetergo.Item(f.name, f.request.email, meetergo.request_body(f.request), holiday_bodies(f.holidays)) for f in ready]
    _window_passed(ready)
    journal = meetergo.Journal(None if args.no_journal else settings["journal"], GROWING * settings["max-input-size"])
    if args.dry_run:
        return max(worst, _dry_run(items, base, journal, args))
    try:
        key = meetergo.key_from_environment(path=args.api_key_file, limit=settings["max-input-size"])
        journal.open()
    except meetergo.SubmitError as exc:
        raise Stop(EXIT_TOOL, f"error: {exc}") from None
    report = _Report(args, {f.name: f for f in ready}, len(items), unsent=len(files) - len(ready))
    options = meetergo.BatchOptions(base_url=base, concurrency=settings["concurrency"], rate=settings["rate"],
                             burst=settings["burst"], timeout=args.timeout,
                             backoff=meetergo.Backoff(attempts=args.attempts, base=args.backoff))
    from ..meetergo import event_loop

    try:
        report.progress.start()
        event_loop.run(meetergo.submit_batch(items, api_key=key, journal=journal, options=options, on_result=report,
                                   watch=report.watch, on_holidays=report.holidays))
    except KeyboardInterrupt:
        report.end_progress()
        print(f"{sum(report.counts.values())} of {report.summary()}; the journal has every outcome, so "
              "running the same command again carries on", file=sys.stderr)
        raise
    except meetergo.SubmitError as exc:  # the journal stopped taking lines: stop before sending more
        report.end_progress()
        print(report.summary(), file=sys.stderr)
        raise Stop(EXIT_TOOL, f"error: {exc}. Nothing more was sent; once the journal can be written, "
                              "running the same command again carries on") from None
    except Exception as exc:  # never let the key ride out on an error message
        secret = key.authorization()[len("Bearer "):]
        if secret in str(exc) or secret in repr(exc.args):
            raise RuntimeError(f"{type(exc).__name__} (message withheld: it held the key)") from None
        raise
    finally:
        journal.close()
        report.end_progress()
    print(report.summary(), file=sys.stderr)
    return max(worst, report.worst)


def _compile_all(args, settings) -> tuple[list[_File], int]:
    """Compile and check every file before anything is sent; show every diagnostic."""
    from ..api import analyze
    from ..report import use_colour

    colour = use_colour(sys.stderr, args.color)
    files, worst, seen = [], EXIT_OK, {}
    for path, problem in expand_paths(args.paths, settings.excluded):
        if problem:
            if report_unusable(path, problem):
                worst = max(worst, EXIT_TOOL)
            continue
        try:
            name, data = read_input(path, None, settings["max-input-size"])
        except Stop as stop:
            report_unread(stop, colour)
            worst = max(worst, stop.code)
            continue
        result = analyze(data, name, timezone=settings.timezone_flag, default_timezone=settings.timezone_fill,
                         end_of_day=settings["end-of-day"], flags=("--timezone",))
        diagnostics, request = list(result.diagnostics), result.request
        twice = same_email(seen, request.email, name, data) if request is not None else None
        if twice is not None:
            diagnostics.append(twice)
            request = None
        text = source_text(data)
        show_diagnostics(settings.reported(diagnostics, text, name), text, colour)
        if request is None:
            worst = max(worst, EXIT_INPUT)
        files.append(_File(name, data, request, result.holidays if request is not None else None))
    if not files and worst == EXIT_OK:
        raise Stop(EXIT_TOOL, "error: no .sched files to submit")
    return files, worst


def _dry_run(items, base: str, journal, args) -> int:
    from .. import meetergo
    from ..meetergo.journal import holiday_key

    try:
        journal.read() if journal.path else None
    except meetergo.SubmitError as exc:
        raise Stop(EXIT_TOOL, f"error: {exc}") from None
    key_set = bool(args.api_key_file or os.environ.get("MEETERGO_API_KEY", "").strip())
    sent = 0

    def show(item, request: dict) -> None:
        if args.json:
            from ..secrets import json_text

            print(json_text({"file": item.file, **request}))
        else:
            head = "".join(f"{name}: {value}\n" for name, value in request["headers"].items())
            body = item.body.decode("utf-8") if request["method"] == "POST" else _json(request["body"]) + "\n"
            sys.stdout.write(f"# {item.file}\n{request['method']} {request['url']}\n{head}\n{body}\n")

    for item in items:
        memory = journal.state(base, item.email)
        created = memory.created
        if created is not None:
            same = created.get("hash") == item.hash
            done = journal.holidays_done(base, item.email)
            waiting = [b for b in item.holidays if holiday_key(b) not in done] if same else []
            if not (same and args.quiet and not waiting):
                print(f"schedc: {item.file}: not sent: {item.email} was created on {created.get('time')}"
                      + ("" if same else ", and the file has changed since")
                      + (f"; its holidays for {', '.join(holiday_key(b) for b in waiting)} are still to add"
                         if waiting else ""), file=sys.stderr)
        else:
            show(item, meetergo.describe_request(item.body, base, key_set=key_set))
            sent += 1
            waiting = list(item.holidays)
        for body in waiting:
            show(item, meetergo.describe_holiday(body, base, created, key_set=key_set))
            sent += 1
    print(f"dry run: {sent} request{'' if sent == 1 else 's'} would be sent to {base}; nothing was sent"
          + ("" if key_set else " (and no key is set: set MEETERGO_API_KEY or pass --api-key-file)"),
          file=sys.stderr)
    return EXIT_OK


def _json(data) -> str:
    import json

    return json.dumps(data, indent=2, ensure_ascii=False)


class _Report:
    """Prints each result as it comes, keeps the counts and the worst exit code."""

    def __init__(self, args, files: dict, total: int, unsent: int = 0):
        from ..report import use_colour
        from .progress import Progress

        self.args, self.files, self.total = args, files, total
        self.unsent = unsent  # files with errors, left out under --keep-going
        self.colour = use_colour(sys.stderr, args.color)
        self.counts = {"created": 0, "skipped": 0, "failed": 0}
        self.failures: dict[str, int] = {}
        self.worst = EXIT_OK
        # the live status line: on a terminal only, and never under --json (a program reads that)
        self.progress = Progress(total, stream=sys.stderr, enabled=None if not args.json else False)
        self.credential_told = False
        self.stdout_gone = False

    def watch(self, event: str, email: str = "", wait: float = 0.0, **fields) -> None:
        """What the batch waits for, from the client, shown on the status line."""
        if event == "pacing":
            self.progress.wait("pacing", "pacing: next request in {left}", wait)
        elif event == "retry":
            self.progress.wait(f"retry {email}", f"retrying {email} after {fields.get('reason')}, "
                                                 f"attempt {fields.get('attempt')} in {{left}}", wait)

    def __call__(self, item, result) -> None:
        label, code, text, fields = _verdict(item, result, self.args.if_exists)
        self.worst = max(self.worst, code)
        bucket = label if label in ("created", "skipped") else "failed"
        self.counts[bucket] += 1
        if bucket == "failed":
            self.failures[label] = self.failures.get(label, 0) + 1
        quiet = self.args.quiet and label == "skipped"  # -q: only what happened in this run
        if self.args.json:
            from ..secrets import json_text

            self._out(json_text({"file": item.file, "email": item.email, "outcome": label, **fields}))
        elif not quiet:
            self._out(f"{label:<9} {item.email}  {text}  ({item.file})")
        self.progress.clear()
        self._explain(item, result)
        self.progress.advance(tally=self._tally())

    def holidays(self, item, steps) -> None:
        """The holiday requests sent for a user, after its own line: one line for the years
        added, one for a year that was not (the later years wait with it for the next run)."""
        for step in steps:
            code = {"done": EXIT_OK, "rejected": EXIT_INPUT, "failed": EXIT_RETRY}.get(step.outcome, EXIT_TOOL)
            self.worst = max(self.worst, code)
        if self.args.json:
            from ..secrets import json_text

            self._out(json_text({"file": item.file, "email": item.email, "outcome": "holidays", "holidays": [
                {"year": st.year, "region": st.region, "outcome": st.outcome,
                 **({"status": st.status} if st.status else {}), **({"message": st.message} if st.message else {})}
                for st in steps]}))
            return
        done = [st for st in steps if st.outcome == "done"]
        if done:
            years = ", ".join(str(st.year) for st in done)
            self._out(f"{'holidays':<9} {item.email}  {done[0].region} added for {years}  ({item.file})")
        for step in steps:
            if step.outcome == "done":
                continue
            said = f"HTTP {step.status}: {step.message}" if step.status else step.message
            rerun = ("fix the cause, then run the same command again" if step.outcome == "rejected" else
                     "running the same command again adds it and the later years")
            self._out(f"{'holidays':<9} {item.email}  {step.year} {step.region} {step.outcome}: {said}; {rerun}"
                      f"  ({item.file})")

    def _out(self, line: str) -> None:
        """A result on stdout. If the reader has gone (`| head`), the batch still finishes:
        stopping halfway would leave users half done, and the journal has every outcome."""
        if self.stdout_gone:
            return
        from ..secrets import redact
        from ..compiler.words import visible

        try:  # file names and server text are quoted: escaped, and no key or key shape shown
            self.progress.print(redact(visible(line), shapes=True), file=sys.stdout)
        except BrokenPipeError:
            self.stdout_gone = True
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())  # so the final flush at exit does not fail too
            os.close(devnull)

    def _explain(self, item, result) -> None:
        """Diagnostics for rejections, plain words for a refused key (once)."""
        from ..meetergo.rejections import conflict_diagnostic, rejection_diagnostics
        from ..meetergo.outcomes import AlreadyExists, Rejected

        source = self.files[item.file]
        if isinstance(result, Rejected) and result.credential:
            if not self.credential_told:
                self.credential_told = True
                print(f"schedc: error: {_credential_words(result)}", file=sys.stderr)
            return
        if isinstance(result, Rejected):
            found = rejection_diagnostics(source.data, item.file, result.status, result.message, result.errors,
                                          flags={"--timezone": self.args.timezone})
        elif isinstance(result, AlreadyExists) and not result.probably_ours and self.args.if_exists == "error":
            found = [conflict_diagnostic(source.data, item.file, item.email, result.message)]
        else:
            return
        show_diagnostics(found, source_text(source.data), self.colour)

    def _tally(self) -> str:
        return ", ".join(f"{n} {label}" for label, n in self.counts.items())

    def end_progress(self) -> None:
        self.progress.close()

    def summary(self) -> str:
        text = f"{self.total} file{'' if self.total == 1 else 's'} submitted: {self._tally()}"
        if set(self.failures) - {"failed"}:  # say what kind of failures, unless they are all plain ones
            words = {"failed": "still failing"}
            text += " (" + ", ".join(f"{n} {words.get(label, label)}" for label, n in sorted(self.failures.items())) + ")"
        if self.unsent:
            text += f"; {self.unsent} file{' was' if self.unsent == 1 else 's were'} not sent: errors in the file"
        return text


def _verdict(item, result, if_exists: str) -> tuple[str, int, str, dict]:
    """(label, exit code, human text, JSON fields) for one result."""
    from .. import meetergo

    if isinstance(result, meetergo.Created):
        fields = {k: v for k, v in meetergo.journal_fields(result).items() if k != "outcome"}
        ids = " ".join(f"{k}={fields[k]}" for k in ("userId", "availabilityId", "meetingTypeId", "companyId"))
        if result.found:
            return "created", EXIT_OK, ("found on the server: an earlier attempt whose answer was lost "
                                        f"created it  {ids}"), fields
        return "created", EXIT_OK, f"{result.booking_url}  {ids}", fields
    if isinstance(result, (meetergo.Skipped, meetergo.Changed)):
        entry = result.entry
        fields = {"reason": "journal", "createdAt": entry.get("time"), "userId": entry.get("userId"),
                  "bookingUrl": entry.get("bookingUrl")}
        if isinstance(result, meetergo.Skipped):
            return "skipped", EXIT_OK, f"already created on {entry.get('time')} by an earlier run (journal)", fields
        return "changed", EXIT_INPUT, (f"the file changed since this user was created on {entry.get('time')}; "
                                       "not sent (a created user is not updated by submit)"), fields
    if isinstance(result, meetergo.AlreadyExists):
        fields = {"status": 409, "message": result.message, "attempts": result.attempts}
        if result.probably_ours:
            fields["probablyOurs"] = True
            text = ("already exists, probably created by an earlier attempt whose answer was lost: "
                    "check this user in meetergo")
            return ("skipped", EXIT_OK, text, fields) if if_exists == "skip" else ("uncertain", EXIT_INPUT, text, fields)
        if if_exists == "skip":
            return "skipped", EXIT_OK, "already exists (--if-exists skip)", {**fields, "reason": "exists"}
        return "exists", EXIT_INPUT, f"already exists: {result.message}", fields
    if isinstance(result, meetergo.Rejected):
        fields = {k: v for k, v in meetergo.journal_fields(result).items() if k != "outcome"}
        label, code = ("refused", EXIT_TOOL) if result.credential else ("rejected", EXIT_INPUT)
        return label, code, f"HTTP {result.status}: {result.message}", fields
    if isinstance(result, meetergo.NotSent):
        return "not-sent", EXIT_TOOL, f"not sent: {result.reason}", {"reason": result.reason}
    fields = {k: v for k, v in meetergo.journal_fields(result).items() if k != "outcome"}
    text = f"still failing after {result.attempts} attempt{'' if result.attempts == 1 else 's'}: {result.reason}"
    if result.uncertain:
        text += " (an attempt may have reached the server: the next run will tell)"
    return "failed", EXIT_RETRY, text, fields


def _credential_words(result) -> str:
    if result.status == 401:
        return (f"the server refused the API key (HTTP 401: {result.message}). Check that it is a Platform "
                "API Key (`ak_live:<uuid>:<secret>`) copied whole, still active and not expired: keys last "
                "1 to 90 days and can be deactivated or revoked under Settings → API. Nothing more was sent")
    return (f"the server does not let this key create users (HTTP 403: {result.message}). Creating users "
            "needs an active API Platform subscription on the company and a Platform API Key of a company "
            "owner or admin. Nothing more was sent")
