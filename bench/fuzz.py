#!/usr/bin/env python3
"""Front-end fuzzing campaign: generated and mutated inputs through check, compile, fmt and import.

Every input is made from (seed, index) alone, so any failure it reports can be replayed with
`--replay INDEX`. Each input goes through:

- `schedc.check` and `schedc.analyze` (compile): no exception; every span and label inside the
  text; each diagnostic rendered for a terminal holds no control character and stays short;
  an error `compile` reports that `check` did not is only about the missing identity (SC2xx);
- `format_text` when the file has no error: no `FormatError`, a second pass changes nothing,
  and the formatted text compiles to the same JSON;
- `import_json` of the compiled JSON: no error, and the imported text compiles to the same JSON;
- `import_json` of mutated JSON: no exception, spans inside the JSON text.

Inputs run in worker processes (one per core by default). A worker that spends longer than
`--timeout` seconds on one input is killed and the input is counted as a hang.

    python bench/fuzz.py                    # the full campaign: 1,000,000 inputs
    python bench/fuzz.py --count 2000       # a short run
    python bench/fuzz.py --replay 12345     # run one input in this process and show it

Exit status: 0 when every input passed, 1 when any failed, 2 on bad options.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import queue
import random
import sys
import time
import traceback
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CHUNK = 500  # inputs per task handed to a worker
RENDER_LIMIT = 4000  # characters of one rendered diagnostic, path excluded

# ---- generating valid-looking schedules
DAYS = [["Mon", "Mo", "Monday", "mon"], ["Tue", "Tu", "Tuesday"], ["Wed", "We", "Wednesday", "WED"],
        ["Thu", "Th", "Thursday"], ["Fri", "Fr", "Friday"], ["Sat", "Sa", "Saturday"], ["Sun", "Su", "Sunday"]]
ALIASES = ["weekdays", "weekends", "daily", "Weekdays", "DAILY"]
MISSPELT = ["Mnday", "Tues", "Wedn", "Thurs", "Fir", "Sunady", "Satu", "Xyz"]
ZONES = ["Europe/London", "UTC", "America/New_York", "Asia/Kolkata", "Europe/Berlin", "US/Eastern",
         "Australia/Lord_Howe", "Etc/GMT+5", "Europe/Londn", "Mars/Olympus", "utc"]
CHANNELS = ["connect", "zoom", "teams", "phone", "google-meet", "attendee-phone", "skype", "in-person", "fax"]
NAMES = ["John", "Ana", "Lima", "Smith", "O'Brien", '"Mary Ann"', '"van der Berg"', "Zoë", "李", '""', '"a\\"b"']
EMAILS = ["<john@example.com>", "<ana.lima@example.org>", "<x@y>", "<bad>", "<>", "<a@b.c>", "<Ünï@example.com>"]
DURATIONS = ["15min", "30min", "45min", "1h", "1h30", "90m", "2h15min", "0min", "600min", "24h", "5m"]
SLUGS = ["intro", "john-smith-45min", "a", "Bad Slug", "x_y", "-lead", "trail-", "ok-123"]
TOKENS = ["Mon", "tue", "off", "closed", "tz", "user", "meeting", "availability", "slug", "45min", "zoom",
          "09:00", "24:00", "9:5", "-", ",", ";", "\n", "\r\n", "#", '"', "<", ">", " ", "\t", "00:00"]
CONTROLS = ["\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\r", "\x1b", "\x1b[31m", "\x7f", "\x85", "\x9b",
            "\u2028", "\u2029", "\ufeff", "\u200b", "\u202e", "\u2066", "\ud800", "\udfff"]
UNICODE = ["é", "ß", "日本", "🙂", "e\u0301", "\u0663", "Ａ", "ﬀ", "İ", "\U0001d7d7", "\u00a0", "\u3000", "Ω", "ǅ"]


def _time(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.85:
        h, m = rng.randrange(25), rng.choice([0, 0, 0, 15, 30, 45, rng.randrange(60)])
        return rng.choice([f"{h:02d}:{m:02d}", f"{h}:{m:02d}"])
    return rng.choice(["24:00", "0:00", "9:5", "25:00", "12:60", "99:99", "1:1", "007:00"])


def _days(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.4:
        return rng.choice(DAYS[rng.randrange(7)])
    if roll < 0.7:
        return f"{rng.choice(DAYS[rng.randrange(7)])}-{rng.choice(DAYS[rng.randrange(7)])}"
    if roll < 0.85:
        return ",".join(rng.choice(DAYS[rng.randrange(7)]) for _ in range(rng.randint(2, 4)))
    if roll < 0.97:
        return rng.choice(ALIASES)
    return rng.choice(MISSPELT)


def _tz(rng: random.Random) -> str:
    return f"tz {rng.choice(ZONES)}"


def _statement(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.55:
        days = _days(rng)
        if rng.random() < 0.12:
            return f"{days} {rng.choice(['off', 'closed', 'Off'])}"
        ranges = [f"{_time(rng)}-{_time(rng)}" for _ in range(rng.choice([1, 1, 1, 2, 2, 3, 5]))]
        text = days + " " + rng.choice([",", ", "]).join(ranges)
        if rng.random() < 0.2:
            text += " " + _tz(rng)
        return text
    if kind < 0.65:
        parts = ["user"]
        for _ in range(rng.choice([0, 1, 2, 2, 2])):
            parts.append(rng.choice(NAMES))
        parts.append(rng.choice(EMAILS))
        if rng.random() < 0.5:
            parts.append(_tz(rng))
        return " ".join(parts)
    if kind < 0.72:
        name = rng.choice(['"Business Hours"', '"John\'s hours"', '""', '"Ünïcode"'])
        return f"availability {name}" + (f" {_tz(rng)}" if rng.random() < 0.3 else "")
    if kind < 0.85:
        parts = []
        if rng.random() < 0.5:
            parts += ["meeting", rng.choice(['"Intro"', '"45 Minute Discovery Call"', '""'])]
        parts.append(rng.choice(DURATIONS))
        if rng.random() < 0.8:
            parts.append(rng.choice(CHANNELS))
        if rng.random() < 0.4:
            parts += ["slug", rng.choice(SLUGS)]
        return " ".join(parts)
    if kind < 0.93:
        return _tz(rng)
    return "# " + rng.choice(["a comment", "Mon 09:00-17:00", "ünï", ""])


def generate(rng: random.Random) -> str:
    """A schedule that is usually valid and often complete: a user, hours, a meeting type."""
    lines = []
    if rng.random() < 0.7:
        lines.append(f"user {rng.choice(NAMES[:5])} {rng.choice(NAMES[:5])} {rng.choice(EMAILS[:2])} "
                     f"{_tz(rng) if rng.random() < 0.8 else ''}".rstrip())
    for _ in range(rng.randint(0, 6)):
        lines.append(_statement(rng))
    if rng.random() < 0.6:
        start = rng.randrange(0, 12)
        lines.append(f"{_days(rng)} {start:02d}:00-{start + rng.randint(1, 11):02d}:30")
    if rng.random() < 0.6:
        lines.append(f"{rng.choice(DURATIONS[:6])} {rng.choice(CHANNELS[:5])}")
    rng.shuffle(lines)
    if rng.random() < 0.2:
        return "; ".join(lines)
    newline = "\r\n" if rng.random() < 0.1 else "\n"
    text = newline.join(lines)
    return text + newline if rng.random() < 0.8 else text


# ---- mutating text
def _huge_number(rng: random.Random) -> str:
    return "9" * rng.choice([20, 310, 4301, 5000, 6000]) if rng.random() < 0.5 else str(rng.randrange(10 ** 30))


def _insertion(rng: random.Random) -> str:
    kind = rng.randrange(6)
    if kind == 0:
        return "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 12)))
    if kind == 1:
        return _huge_number(rng)
    if kind == 2:
        return rng.choice(CONTROLS)
    if kind == 3:
        return rng.choice(UNICODE)
    if kind == 4:
        return rng.choice(TOKENS)
    return chr(rng.randrange(0x20, 0x3000))


def mutate_text(text: str, rng: random.Random) -> str:
    for _ in range(rng.randint(1, 4)):
        at = rng.randint(0, len(text))
        kind = rng.randrange(7)
        if kind <= 2:
            text = text[:at] + _insertion(rng) + text[at:]
        elif kind == 3:
            text = text[:at] + text[at + rng.randint(1, 8):]
        elif kind == 4:
            text = text[:at]
        elif kind == 5 and text:
            a = rng.randrange(len(text))
            piece = text[a:a + rng.randint(1, 40)]
            text = text[:at] + piece * rng.randint(1, 20) + text[at:]
        else:
            lines = text.split("\n")
            rng.shuffle(lines)
            text = "\n".join(lines)
    return text


def mutate_bytes(data: bytes, rng: random.Random) -> bytes:
    data = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        at = rng.randint(0, len(data))
        kind = rng.randrange(4)
        if kind == 0 and data:
            i = rng.randrange(len(data))
            data[i] ^= 1 << rng.randrange(8)
        elif kind == 1:
            data[at:at] = bytes([rng.randrange(256)])
        elif kind == 2:
            data[at:at] = rng.choice([b"\xff", b"\xc3", b"\xe2\x80", b"\xed\xa0\x80", b"\xef\xbb\xbf", b"\xf4\x90\x80\x80"])
        else:
            del data[at:]
    return bytes(data)


HUGE = "\x00huge number\x00"  # stands for a number too long for Python's int() until the text is written


def mutate_json(data: dict, rng: random.Random) -> str:
    """The compiled body with one value replaced, removed or retyped, then maybe text mutations."""
    def places(value, path=()):
        yield path
        if isinstance(value, dict):
            for k, v in value.items():
                yield from places(v, path + (k,))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                yield from places(v, path + (i,))

    paths = [p for p in places(data) if p]
    for _ in range(rng.randint(1, 3)):
        if not paths:
            break
        path = rng.choice(paths)
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        roll = rng.randrange(8)
        replacement = [
            lambda: HUGE,
            lambda: rng.choice(CONTROLS) + "x",
            lambda: rng.choice([None, True, [], {}, 1.5, -1, "", "25:00", "09:00", "monday"]),
            lambda: [[[[[[[[]]]]]]]],
            lambda: rng.choice(UNICODE) * rng.randint(1, 50),
            lambda: "9" * 5000,
            lambda: _time(rng),
            None,
        ][roll]
        try:
            if replacement is None:
                if isinstance(parent, dict):
                    del parent[path[-1]]
                elif isinstance(parent, list):
                    parent.pop(path[-1])
                paths = [p for p in places(data) if p]
            else:
                parent[path[-1]] = replacement()
                paths = [p for p in places(data) if p]
        except (KeyError, IndexError, TypeError):
            pass
    text = json.dumps(data, indent=rng.choice([None, 2]), ensure_ascii=rng.random() < 0.5)
    text = text.replace(json.dumps(HUGE), _huge_number(rng))
    if rng.random() < 0.3:
        text = mutate_text(text, rng)
    return text


def make_input(seed: int, index: int):
    """(kind, value, options) for one input, from (seed, index) only."""
    rng = random.Random(f"{seed}:{index}")
    roll = rng.random()
    base = generate(rng)
    if roll < 0.3:
        kind, value = "generated", base
    elif roll < 0.75:
        kind, value = "mutated", mutate_text(base, rng)
    elif roll < 0.85:
        kind, value = "bytes", mutate_bytes(base.encode("utf-8", "surrogatepass"), rng)
    else:
        kind, value = "json", base  # the JSON is made from the compiled schedule in `run_one`
    options = {}
    if rng.random() < 0.5:
        options = {"email": "ana@example.com", "given_name": "Ana", "family_name": "Lima",
                   "timezone": rng.choice(["Europe/London", "UTC"])}
    if rng.random() < 0.1:
        options["end_of_day"] = "24:00"
    return kind, value, options, rng


# ---- checking one input
class Failure(Exception):
    def __init__(self, category: str, detail: str):
        super().__init__(detail)
        self.category = category
        self.detail = detail


def _lines(value) -> list:
    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else value
    return text.split("\n")


def _span_inside(span, lines) -> bool:
    """Inside the text: it starts on a character of a line or on the line's end, and ends (exclusive)
    at most after the line's newline, which only a line that is not the last has."""
    if span.line < 1 or span.line > len(lines) or span.end_line < span.line or span.end_line > len(lines):
        return False
    if span.column < 1 or span.column > len(lines[span.line - 1]) + 1:
        return False
    newline = 1 if span.end_line < len(lines) else 0
    if span.end_column < 1 or span.end_column > len(lines[span.end_line - 1]) + 1 + newline:
        return False
    return span.end_line > span.line or span.end_column >= span.column


def check_spans(diagnostics, value, what: str) -> None:
    lines = _lines(value)
    for d in diagnostics:
        for span in [d.span] + [label.span for label in d.labels]:
            if span is not None and not _span_inside(span, lines):
                raise Failure("span outside the text", f"{what}: {d.code} at {tuple(span)} in {len(lines)} lines")


def check_rendering(diagnostics, value) -> None:
    from schedc.report import render

    source = value.decode("utf-8", "replace") if isinstance(value, bytes) else value
    for d in diagnostics:
        shown = render(d, source)
        bad = [c for c in shown if c != "\n" and unicodedata.category(c) in ("Cc", "Cs")]
        if bad:
            raise Failure("control character in output", f"{d.code}: {ascii(bad[0])} in {shown[:300]!r}")
        if len(shown) > RENDER_LIMIT:
            raise Failure("unbounded output", f"{d.code}: {len(shown):,} characters for one diagnostic")


PLANTED: dict = {}  # index → "exception" | "span" | "hang": a self-test that the campaign notices each


def run_one(seed: int, index: int) -> str:
    """Checks one input; returns its kind; raises `Failure` on a broken property."""
    if index in PLANTED:
        _plant(PLANTED[index])
    import schedc
    from schedc import analyze, check, format_text, import_json
    from schedc.diagnostics import ScheduleError
    from schedc.fmt import FormatError

    kind, value, options, rng = make_input(seed, index)

    def guarded(what, call):
        try:
            return call()
        except Failure:
            raise
        except Exception as exc:  # noqa: BLE001 - every exception is what the campaign counts
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            where = f"{Path(frame.filename).name}:{frame.lineno}"
            raise Failure("exception", f"{what}: {type(exc).__name__} at {where}: {str(exc)[:200]}") from None

    if kind == "json":
        compiled = guarded("compile", lambda: analyze(value, email="ana@example.com", given_name="Ana",
                                                      family_name="Lima", timezone="UTC"))
        body = compiled.to_json() if compiled.ok else '{"email": "ana@example.com"}'
        source = mutate_json(json.loads(body), rng)
        imported = guarded("import", lambda: import_json(source))
        check_spans(imported.diagnostics, source, "import")
        check_rendering(imported.diagnostics, source)
        if imported.text is not None:
            again = guarded("compile imported", lambda: analyze(imported.text))
            if any(d.is_error for d in again.diagnostics):
                raise Failure("round trip", f"imported text has errors: {again.diagnostics[0]}")
        return kind

    found = guarded("check", lambda: check(value, **({"end_of_day": options["end_of_day"]}
                                                     if "end_of_day" in options else {})))
    check_spans(found, value, "check")
    if index % 4 == 0:
        check_rendering(found, value)
    compiled = guarded("compile", lambda: analyze(value, **options))
    check_spans(compiled.diagnostics, value, "compile")
    checked_errors = {(d.code, d.span) for d in found if d.is_error}
    for d in compiled.diagnostics:
        if d.is_error and (d.code, d.span) not in checked_errors and not d.code.startswith("SC2"):
            raise Failure("check and compile disagree", f"compile reports {d} that check does not")
    body = guarded("to_json", compiled.to_json) if compiled.ok else None
    if body is not None and index % 16 == 0:
        model = guarded("request", lambda: compiled.request.to_json())
        if model != body:
            raise Failure("round trip", "request.to_json() differs from Compiled.to_json()")
    if isinstance(value, bytes) or any(d.is_error for d in found):
        return kind

    formatted = guarded("fmt", lambda: _format(format_text, value, FormatError))
    if isinstance(formatted, Failure):
        raise formatted
    second = guarded("fmt twice", lambda: format_text(formatted))
    if second != formatted:
        raise Failure("fmt not idempotent", f"{formatted!r} → {second!r}")
    if body is not None:
        again = guarded("compile formatted", lambda: analyze(formatted, **options))
        if again.to_json() != body:
            raise Failure("fmt changed meaning", f"{value!r} → {formatted!r}")
        imported = guarded("import", lambda: import_json(body))
        if imported.text is None:
            raise Failure("round trip", f"import of compiled JSON fails: {imported.diagnostics[0]}")
        back = guarded("compile imported", lambda: analyze(imported.text, end_of_day=options.get("end_of_day", "23:59")))
        if back.to_json() != body:
            raise Failure("round trip", f"import_json(compile(x)) compiles to other JSON: {imported.text!r}")
    del schedc, ScheduleError
    return kind


def _plant(kind: str) -> None:
    from schedc import Diagnostic, Span

    if kind == "hang":
        time.sleep(3600)
    if kind == "exception":
        raise Failure("exception", "check: ValueError at planted:1: a planted exception")
    check_spans([Diagnostic("SC000", "error", "planted", Span(2, 1, 2, 2))], "one line", "check")


def _format(format_text, value, FormatError):
    try:
        return format_text(value)
    except FormatError as exc:
        return Failure("fmt refused", str(exc)[:200])


# ---- running many inputs in worker processes
def worker(seed: int, tasks, results, current, planted: dict) -> None:
    """Runs tasks (start, stop, skip) and reports (start, stop, counts, failures) for each."""
    PLANTED.update(planted)
    for index in range(8):  # import and warm up everything once, outside the per-input clock
        try:
            run_one(seed, -1 - index)
        except Failure:
            pass
    current[0], current[1] = -1, 0.0

    while True:
        task = tasks.get()
        if task is None:
            return
        start, stop, skip = task
        kinds, failures = Counter(), []
        for index in range(start, stop):
            if index in skip:
                continue
            current[0], current[1] = index, time.monotonic()
            try:
                kinds[run_one(seed, index)] += 1
            except Failure as failure:
                kinds["failed"] += 1
                failures.append((index, failure.category, failure.detail))
            except Exception as exc:  # noqa: BLE001 - a bug of the campaign itself, reported like the rest
                kinds["failed"] += 1
                failures.append((index, "campaign error", f"{type(exc).__name__}: {str(exc)[:200]}"))
        current[0], current[1] = -1, 0.0
        results.put((start, stop, dict(kinds), failures))


def campaign(count: int, seed: int, workers: int, timeout: float, seconds: float, progress, first: int = 0) -> dict:
    ctx = mp.get_context("fork" if sys.platform != "win32" else "spawn")
    tasks, results = ctx.Queue(), ctx.Queue()
    pending = {}
    for start in range(first, first + count, CHUNK):
        pending[start] = (start, min(start + CHUNK, first + count), frozenset())
        tasks.put(pending[start])
    procs = []

    def spawn():
        current = ctx.Array("d", [-1.0, 0.0], lock=False)  # the input a worker is on, and since when
        proc = ctx.Process(target=worker, args=(seed, tasks, results, current, dict(PLANTED)), daemon=True)
        proc.start()
        procs.append((proc, current))

    for _ in range(workers):
        spawn()
    kinds, failures, hangs = Counter(), [], []
    done = 0
    began = time.monotonic()
    last_report = began
    stopped_early = False
    while pending:
        try:
            start, stop, counted, found = results.get(timeout=0.2)
            if start in pending:
                del pending[start]
                kinds.update(counted)
                failures.extend(found)
                for index, category, detail in found:
                    if progress:
                        print(f"  input {index}: {category}: {detail}", file=sys.stderr, flush=True)
                done += sum(counted.values())
        except queue.Empty:
            pass
        now = time.monotonic()
        for i, (proc, current) in enumerate(list(procs)):
            index = int(current[0])
            if index >= 0 and now - current[1] > timeout:
                proc.kill()
                proc.join()
                procs.remove((proc, current))
                hangs.append(index)
                chunk = first + (index - first) // CHUNK * CHUNK
                if chunk in pending:  # run the chunk again without the input that hung
                    a, b, skip = pending[chunk]
                    pending[chunk] = (a, b, skip | {index})
                    tasks.put(pending[chunk])
                done += 1
                spawn()
            elif not proc.is_alive() and pending:
                procs.remove((proc, current))
                if index >= 0:  # the worker died on an input (a crash of the interpreter itself)
                    failures.append((index, "crash", f"the worker exited with {proc.exitcode}"))
                    chunk = first + (index - first) // CHUNK * CHUNK
                    if chunk in pending:
                        a, b, skip = pending[chunk]
                        pending[chunk] = (a, b, skip | {index})
                        tasks.put(pending[chunk])
                    done += 1
                spawn()
        if progress and now - last_report >= progress:
            last_report = now
            rate = done / (now - began) if now > began else 0.0
            print(f"  {done:,} inputs, {rate:,.0f}/s, {kinds['failed']:,} failed, {len(hangs)} hangs",
                  file=sys.stderr, flush=True)
        if seconds and now - began > seconds:
            stopped_early = True
            break
    for proc, _ in procs:
        proc.kill()
        proc.join()
    elapsed = time.monotonic() - began
    return {"count": count, "done": done, "seconds": elapsed, "kinds": kinds, "failures": sorted(failures),
            "hangs": sorted(hangs), "stopped_early": stopped_early, "workers": workers, "seed": seed,
            "first": first}


def summary(result: dict) -> str:
    kinds, failures = result["kinds"], result["failures"]
    by_category = Counter(category for _, category, _ in failures)
    exceptions = by_category.pop("exception", 0)
    spans = by_category.pop("span outside the text", 0)
    rate = result["done"] / result["seconds"] if result["seconds"] else 0.0
    lines = [
        f"fuzz: seed {result['seed']}, {result['workers']} worker(s)",
        f"inputs run        {result['done']:,} of {result['count']:,}"
        + (f" (from input {result['first']:,})" if result["first"] else "")
        + (" (stopped at the time limit)" if result["stopped_early"] else ""),
        "  by kind         " + ", ".join(f"{k} {kinds[k]:,}" for k in ("generated", "mutated", "bytes", "json")),
        f"time              {result['seconds']:,.1f} s ({rate:,.0f} inputs/s)",
        f"exceptions        {exceptions:,}",
        f"spans outside     {spans:,}",
        f"hangs             {len(result['hangs']):,}",
    ]
    for category, number in sorted(by_category.items()):
        lines.append(f"{category:<17} {number:,}")
    for index, category, detail in failures[:20]:
        lines.append(f"  input {index}: {category}: {detail}")
    for index in result["hangs"][:20]:
        lines.append(f"  input {index}: hang")
    failed = bool(failures or result["hangs"])
    lines.append("FAILED: replay one input with --replay INDEX" if failed else "all inputs passed")
    return "\n".join(lines)


def replay(seed: int, index: int) -> int:
    kind, value, options, _ = make_input(seed, index)
    print(f"input {index} ({kind}), options {options}:\n{value!r}")
    try:
        run_one(seed, index)
    except Failure as failure:
        print(f"{failure.category}: {failure.detail}")
        return 1
    print("passed")
    return 0


def options(argv=None) -> argparse.Namespace:
    """The command line, checked: exits 2 with a message on a bad option."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], allow_abbrev=False,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=1_000_000, help="inputs to run (default 1,000,000)")
    parser.add_argument("--start", type=int, default=0, help="index of the first input (default 0)")
    parser.add_argument("--seed", type=int, default=8, help="seed of the generators (default 8)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="worker processes (default: one per core)")
    parser.add_argument("--timeout", type=float, default=10.0,
                        help="seconds one input may take before it counts as a hang (default 10)")
    parser.add_argument("--seconds", type=float, default=0.0,
                        help="stop after this many seconds and report what ran (default: no limit)")
    parser.add_argument("--progress", type=float, default=0.0, help="print progress every N seconds to stderr")
    parser.add_argument("--replay", type=int, metavar="INDEX", help="run one input here and print it")
    parser.add_argument("--plant", action="append", default=[], metavar="KIND:INDEX",
                        help="self-test: make input INDEX fail with KIND (exception, span or hang); "
                             "the run must report it and exit 1")
    args = parser.parse_args(argv)
    for planted in args.plant:
        kind, _, index = planted.partition(":")
        if kind not in ("exception", "span", "hang") or not index.isdigit():
            parser.error(f"--plant takes exception:INDEX, span:INDEX or hang:INDEX, not {planted!r}")
        PLANTED[int(index)] = kind
    if args.count < 1 or args.workers < 1 or args.timeout <= 0 or args.start < 0:
        parser.error("--count, --workers and --timeout must be positive, --start not negative")
    return args


def main(argv=None) -> int:
    args = options(argv)
    if args.replay is not None:
        return replay(args.seed, args.replay)
    result = campaign(args.count, args.seed, args.workers, args.timeout, args.seconds, args.progress, args.start)
    print(summary(result))
    return 1 if result["failures"] or result["hangs"] else 0


if __name__ == "__main__":
    sys.exit(main())
