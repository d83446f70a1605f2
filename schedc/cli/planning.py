"""What `schedc plan` and `schedc apply` share: their options, reading and compiling the files,
the state, the API session, and explaining what went wrong.

Exit codes: 0 done (nothing pending, or everything applied); 1 a file or a user needs attention
(diagnostics, a 400, a 409, a user gone from the server); 2 schedc could not do its job (no key,
a refused key, an unusable state file or path); 3 the API kept failing after retries. `plan
--detailed-exitcode` exits 4 instead of 0 when there are changes to apply.

`plan` without --refresh sends nothing and imports neither httpx nor pydantic.
"""

from __future__ import annotations

import os
import sys
from typing import Optional

from ..files import GROWING
from .exits import EXIT_INPUT, EXIT_OK, EXIT_RETRY, EXIT_TOOL, Stop
from .inputs import (expand_paths, read_input, report_unread, report_unusable, same_email, show_diagnostics,
                     source_text)
from .settings import settings_for

EXIT_PENDING = 4
# The client's defaults, repeated so that `plan` without --refresh does not import the client
# (and httpx); tests/test_apply.py holds the two equal.
DEFAULT_BASE_URL = "https://api.meetergo.com"
DEFAULT_JOURNAL = ".schedc-journal.jsonl"
# What each result of `apply` means for the exit code.
STEP_EXIT = {"created": EXIT_OK, "adopted": EXIT_OK, "updated": EXIT_OK, "unchanged": EXIT_OK, "skipped": EXIT_OK,
             "exists": EXIT_INPUT, "uncertain": EXIT_INPUT, "rejected": EXIT_INPUT, "missing": EXIT_INPUT,
             "unlisted": EXIT_INPUT, "refused": EXIT_TOOL, "not-sent": EXIT_TOOL, "failed": EXIT_RETRY}


def tell(line: str) -> None:
    """A line on stderr, with hidden characters escaped and any API key (or key shape) blanked
    out: server messages and file names are quoted in these lines."""
    from ..secrets import redact
    from ..compiler.words import visible

    print(redact(visible(line), shapes=True), file=sys.stderr)


class Run:
    """One run of plan or apply: the files, the state, the streams."""

    def __init__(self, args):
        from ..report import use_colour

        self.args = args
        self.settings = settings_for(args)  # the options given, over the configuration file, over the defaults
        self.colour = use_colour(sys.stderr, args.color)
        self.worst = EXIT_OK
        self.sources: dict[str, bytes] = {}
        self.broken: list[str] = []  # files read that have errors

    def raise_to(self, code: int) -> None:
        self.worst = max(self.worst, code)

    def show(self, diagnostics) -> None:
        for diagnostic in diagnostics:
            show_diagnostics([diagnostic], source_text(self.sources.get(diagnostic.path or "", b"")), self.colour)

    # ---- inputs
    def base(self, network: bool) -> str:
        url = self.args.base_url or os.environ.get("MEETERGO_BASE_URL") or DEFAULT_BASE_URL
        if not network:
            return url.strip().rstrip("/")  # the state's key, as `check_base_url` would give it
        from .. import meetergo

        try:
            return meetergo.check_base_url(url)
        except meetergo.SubmitError as exc:
            raise Stop(EXIT_TOOL, f"error: {exc}") from None

    def targets(self) -> list:
        """Compile and check every file; show every diagnostic; the files that compiled."""
        import json  # here, not at the top: building the `schedc` parser imports this module
        from ..api import analyze
        from ..sync.apply import Target

        found, seen = [], {}
        for path, problem in expand_paths(self.args.paths, self.settings.excluded):
            if problem:
                if report_unusable(path, problem):
                    self.raise_to(EXIT_TOOL)
                continue
            if path == "-":
                tell("schedc: error: plan and apply read files, not stdin (`-`)")
                self.raise_to(EXIT_TOOL)
                continue
            try:
                _, data = read_input(path, None, self.settings["max-input-size"])
            except Stop as stop:
                report_unread(stop, self.colour)
                self.raise_to(EXIT_TOOL)
                continue
            self.sources[path] = data
            result = analyze(data, path, timezone=self.settings.timezone_flag,
                             default_timezone=self.settings.timezone_fill, end_of_day=self.settings["end-of-day"],
                             flags=("--timezone",))
            diagnostics, text = list(result.diagnostics), result.to_json()
            body = json.loads(text) if text is not None else None
            twice = same_email(seen, body["email"], path, data) if body is not None else None
            if twice is not None:
                diagnostics.append(twice)
                body = None
            self.show(self.settings.reported(diagnostics, source_text(data), path))
            if body is None:
                self.raise_to(EXIT_INPUT)
                self.broken.append(path)
                continue
            region = result.holidays
            found.append(Target(path, data, body["email"], body, text.encode("utf-8"),
                                region.code if region is not None else None))
        if not found and self.worst == EXIT_OK:
            raise Stop(EXIT_TOOL, "error: no .sched files to plan")
        return found

    def state(self, targets, base: str, lock: bool):
        """The state (locked for apply), with what a `submit` journal created taken over."""
        import hashlib

        from ..sync.state import State, StateError

        limit, journal = GROWING * self.settings["max-input-size"], self.settings["journal"]
        state = State(self.settings["state"], limit)
        try:
            state.lock() if lock else state.load()
            state.read_serial = state.serial  # as read: what a saved plan is compared with
            bodies = {t.email.lower(): ("sha256:" + hashlib.sha256(t.raw).hexdigest(), t.body) for t in targets}
            taken = state.carry_over(base, journal_entries(journal, limit), bodies)
            if taken and lock:
                state.save()
        except StateError as exc:
            state.unlock()
            raise Stop(EXIT_TOOL, f"error: {exc}") from None
        except OSError as exc:
            state.unlock()
            raise Stop(EXIT_TOOL, f"error: cannot read the journal `{journal}`: {exc.strerror or exc}") from None
        if taken and not self.args.quiet:
            tell(f"schedc: took over {len(taken)} user{'' if len(taken) == 1 else 's'} from the submit journal")
        return state

    def session(self, base: str, client):
        """The API session of this run. Its pacer remembers, in the journal, the requests of
        earlier runs (submit's too) and records its own, so runs back to back keep to one rate;
        the journal is held (locked) until `session.close()`."""
        from .. import meetergo
        from ..sync.apply import Session
        from ..meetergo.pacing import Backoff

        journal = meetergo.Journal(self.settings["journal"], GROWING * self.settings["max-input-size"])
        try:
            key = meetergo.key_from_environment(path=self.args.api_key_file, limit=self.settings["max-input-size"])
            journal.open()
        except meetergo.SubmitError as exc:
            raise Stop(EXIT_TOOL, f"error: {exc}") from None
        options = meetergo.BatchOptions(base_url=base, concurrency=self.settings["concurrency"], rate=self.settings["rate"],
                                 burst=self.settings["burst"], timeout=self.args.timeout,
                                 backoff=Backoff(attempts=self.args.attempts, base=self.args.backoff))
        return Session(key, base, options, client, journal)

    # ---- results
    def out(self, line: str) -> None:
        """A result on stdout (a JSON line comes from `secrets.json_text`, already escaped)."""
        from ..secrets import redact
        from ..compiler.words import visible

        try:
            print(redact(visible(line), shapes=True), flush=True)
        except BrokenPipeError:  # the reader went away; the work goes on (the state has it)
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)

    def problem(self, target, answer, part: Optional[str], reading: bool) -> None:
        """Explain an answer that stopped the work on one user, and raise the exit code."""
        from .. import meetergo
        from ..sync.apply import Unreadable
        from ..diagnostics import error
        from ..meetergo.rejections import field_span

        what = {"availability": "availability", "meetingType": "meeting type", "user": "user",
                "holidays": "availability's holiday exceptions"}.get(part or "", "user")
        if isinstance(answer, Unreadable):
            self.raise_to(EXIT_RETRY)
            tell(f"schedc: error: {target.file}: the server answered HTTP {answer.status} for the {what} of "
                 f"`{target.email}`, but not as the API documents it: {answer.reason}; nothing of this user "
                 "was compared or changed")
            return
        if isinstance(answer, meetergo.Rejected) and answer.credential:
            self.raise_to(EXIT_TOOL)
            tell(f"schedc: error: the server refused the API key (HTTP {answer.status}: {answer.message}); "
                  "nothing more was sent")
            return
        if isinstance(answer, meetergo.Failed):
            self.raise_to(EXIT_RETRY)
            tell(f"schedc: error: {target.file}: still failing after {answer.attempts} attempt"
                  f"{'' if answer.attempts == 1 else 's'}: {answer.reason}")
            return
        self.raise_to(EXIT_INPUT)
        where = {"availability": "availability.name", "meetingType": "meetingType"}.get(part or "", "email")
        if not isinstance(answer, meetergo.Rejected) or answer.status == 404:
            reason = answer if isinstance(answer, str) else f"HTTP 404: {answer.message}"
            span = field_span(target.data, where) or field_span(target.data, where.split(".")[0])
            help_text = ("if it was deleted in meetergo, remove this user from the state file and apply again to "
                         "create it anew")
            if reading:
                help_text += _assumed_read(part)
            self.show([error("SC312", f"the {what} schedc recorded for `{target.email}` is not on the server "
                                      f"({reason})", span, path=target.file, help=help_text)])
            return
        if reading:
            tell(f"schedc: error: {target.file}: the server refused to show the {what} of `{target.email}` "
                  f"(HTTP {answer.status}): {answer.message}")
            return
        if part == "holidays":
            self.show([holiday_diagnostic(target, answer)])
            return
        self.show(patch_diagnostics(target, part or "user", answer))

    def notes(self, target, entry) -> None:
        from ..diagnostics import warning
        from ..meetergo.rejections import field_span

        for note in entry.notes:
            self.show([warning("SC313", f"the user's time zone changed from `{note.before}` to `{note.after}`, "
                                        "and the API cannot change it", field_span(target.data, "timezone"),
                               path=target.file,
                               help="change the zone in meetergo's web app; the availability's zone is sent on an "
                                    "assumption")])


def _assumed_read(part) -> str:
    """What SC312 adds when the read that found nothing is itself only assumed to exist: a server
    without it answers 404 for every user, and comparing with the state needs no read."""
    from ..meetergo import contract

    endpoint = {"meetingType": contract.READ_MEETING_TYPE, "user": contract.READ_USER}.get(part or "")
    if endpoint is None or not endpoint.assumption:
        return ""
    assumed = contract.ASSUMPTION[endpoint.assumption]
    return (f"; `{endpoint.method} {endpoint.path}` is not documented (assumption {assumed.name}, {assumed.cites}): "
            "if the server has no such call, compare with the state instead (`schedc apply --no-refresh`, "
            "`schedc plan` without --refresh)")


def patch_diagnostics(target, part: str, answer) -> list:
    """SC310 per field a rejected PATCH names, at the statement that produced it; a field sent on
    an assumption of the API contract says so in its help."""
    from ..diagnostics import error
    from ..sync.plan import UPDATE
    from ..meetergo.contract import ASSUMPTION
    from ..meetergo.rejections import field_span

    prefix = {"availability": "availability.", "meetingType": "meetingType.", "user": ""}[part]
    found = []
    for item in answer.errors:
        name = item.field.split("meetingInfo.", 1)[-1] if part == "meetingType" else item.field
        request_field = prefix + name if name else ""
        sent = UPDATE[part].field(item.field)
        assumed = ASSUMPTION.get(sent.assumption) if sent is not None else None
        help_text = None
        if assumed is not None:
            help_text = (f"`{item.field}` is not documented for this call (assumption {assumed.name}, "
                         f"{assumed.cites}): make the change in meetergo's web app, then run schedc apply")
        found.append(error("SC310", f"the server rejected the update of `{request_field or part}`: {item.message}",
                           field_span(target.data, request_field) if request_field else None, path=target.file,
                           help=help_text))
    if not found:
        found.append(error("SC310", f"the server rejected the update of the {part} (HTTP {answer.status}): "
                                    f"{answer.message}", field_span(target.data, part if part != "user" else "email"),
                           path=target.file))
    return found


def holiday_diagnostic(target, answer):
    """SC310 for a rejected holiday request, at the file's `holidays` statement."""
    from ..api import parse
    from ..diagnostics import ScheduleError, error
    from ..compiler.nodes import HolidaysStatement

    try:
        span = next((s.span for s in parse(target.data).statements if isinstance(s, HolidaysStatement)), None)
    except ScheduleError:
        span = None
    said = "; ".join(f"{e.field}: {e.message}" for e in answer.errors) or answer.message
    return error("SC310", f"the server rejected the holidays {target.holidays} (HTTP {answer.status}): {said}",
                 span, path=target.file, help="add them in meetergo's web app if the API keeps refusing them")


def entry_text(entry) -> str:
    """One entry of a plan as people read it: what happens to the user, then each change."""
    if entry.gone:
        return (f"untracked {entry.email}  no longer in the repo; left alone (schedc never deletes users)"
                f"  ({entry.file})")
    label = {"create": "create", "update": "update", "none": "unchanged"}[entry.action]
    lines = [f"{label:<9} {entry.email}  ({entry.file})"] + [f"            {change.describe()}" for change in entry.changes]
    if entry.holidays is not None:
        lines += [f"            {line}" for line in entry.holidays.describe()]
    return "\n".join(lines)


def count_plan(entries) -> dict[str, int]:
    counts = {"create": 0, "update": 0, "none": 0, "gone": 0}
    for entry in entries:
        counts["gone" if entry.gone else entry.action] += 1
    return counts


def plan_summary(counts: dict[str, int]) -> str:
    text = f"plan: {counts['create']} to create, {counts['update']} to update, {counts['none']} unchanged"
    return text + (f", {counts['gone']} no longer in the repo" if counts["gone"] else "")


def journal_entries(path: str, limit: int) -> list[dict]:
    """The entries of a submit journal (none when there is no journal); a cut line is skipped.
    Each `file`, written relative to the journal's folder, is made relative to the current directory."""
    from ..files import folder_of, read, read_from
    from ..meetergo.journal import Journal

    try:
        entries = Journal.parse(read(path, limit))
    except FileNotFoundError:
        return []
    folder = folder_of(path)
    return [{**e, "file": read_from(e["file"], folder)} if isinstance(e.get("file"), str) else e for e in entries]


async def with_client(options, work):
    """`await work(client)` with one HTTP client for the whole run."""
    from .. import meetergo

    async with meetergo.async_client(options.concurrency, options.timeout) as client:
        return await work(client)


def refresh_live(run: Run, session, targets, users) -> dict:
    from ..sync.apply import refresh

    def problem(target, answer, part):
        run.problem(target, answer, part, reading=True)

    async def work(client):
        session.client = client
        return await refresh(session, targets, users, problem)

    from ..meetergo import event_loop

    return event_loop.run(with_client(session.options, work))


__all__ = ["DEFAULT_BASE_URL", "DEFAULT_JOURNAL", "EXIT_PENDING", "STEP_EXIT", "Run", "count_plan", "entry_text",
           "plan_summary",
           "journal_entries", "patch_diagnostics", "refresh_live", "tell", "with_client"]
