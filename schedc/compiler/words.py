"""The words of the language and what they mean: days, times, durations, channels, slugs.

The one copy of each: the checks, the lowering, the printer, the JSON importer and the sandbox
all read them from here (zone names live in `zones`).

Pure functions over strings; used by the checks, the lowering and (later) the printer.
"""

from __future__ import annotations

import functools
import re

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: no `typing` at run time saves 16% of a cold check (docs/performance.md)
    from typing import Iterable, Optional

DAY_KEYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DAY_SHORT = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

# Every accepted spelling (lower-cased) → day index, Monday = 0.
DAY_NUMBERS: dict[str, int] = {}
for _i, _full in enumerate(DAY_KEYS):
    DAY_NUMBERS[_full] = _i
    DAY_NUMBERS[_full[:3]] = _i
    DAY_NUMBERS[_full[:2]] = _i

DAY_ALIASES: dict[str, tuple[int, ...]] = {
    "weekdays": (0, 1, 2, 3, 4),
    "weekends": (5, 6),
    "daily": (0, 1, 2, 3, 4, 5, 6),
}


def day_index(word: str) -> Optional[int]:
    return DAY_NUMBERS.get(word.lower())


def alias_days(word: str) -> Optional[tuple[int, ...]]:
    return DAY_ALIASES.get(word.lower())


def suggest_day(word: str) -> Optional[str]:
    """`Mnday` → `Monday`, `Tues` → `Tue`: the closest spelling, in its canonical case."""
    # Two-letter names are suggested only for two-letter input: `Fir` → `Fri`, not `Fr`.
    import difflib

    known = [name for name in DAY_NUMBERS if len(name) > 2 or len(word) <= 2] + list(DAY_ALIASES)
    match = difflib.get_close_matches(word.lower(), known, n=1, cutoff=0.6)
    if not match:
        return None
    best = match[0]
    return best if best in DAY_ALIASES else best.capitalize()


def format_days(days: Iterable[int]) -> str:
    """Day indexes → `Mon-Fri`, `Mon, Wed`, `Mon-Wed, Fri` (runs of three or more as ranges)."""
    ordered = sorted(set(days))
    parts, i = [], 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        if j - i >= 2:
            parts.append(f"{DAY_SHORT[ordered[i]]}-{DAY_SHORT[ordered[j]]}")
        else:
            parts.extend(DAY_SHORT[d] for d in ordered[i : j + 1])
        i = j + 1
    return ", ".join(parts)


# ---- times: minutes since midnight; 1440 is the end of the day
_TIME = re.compile(r"([0-9]{1,2}):([0-9]{2})")


@functools.lru_cache(maxsize=4096)
def parse_time(text: str) -> Optional[int]:
    """`9:00` → 540, `24:00` → 1440; None for anything that is not a time of day."""
    match = _TIME.fullmatch(text)
    if not match:
        return None
    hours, minutes = int(match[1]), int(match[2])
    if minutes > 59 or hours > 24 or (hours == 24 and minutes):
        return None
    return hours * 60 + minutes


# A time as the API writes it: `HH:MM` from `00:00` to `23:59`, and `24:00`.
API_TIME_PATTERN = r"([01][0-9]|2[0-3]):[0-5][0-9]|24:00"

@functools.lru_cache(maxsize=None)  # filled as used: a table of all 1,441 cost every start 1 ms
def format_time(minutes: int) -> str:
    """540 → `09:00`, 1440 → `24:00`."""
    if not 0 <= minutes <= 1440:
        raise IndexError(f"{minutes} minutes is not a time of day")
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


# ---- durations: 45min, 45m, 1h, 1h30, 1h30m, 90min
_DURATION = re.compile(r"(?:([0-9]+)h(?:([0-9]+)(?:min|m)?)?|([0-9]+)(?:min|m))", re.IGNORECASE)
MIN_DURATION, MAX_DURATION = 5, 480  # minutes, as the API documents


@functools.lru_cache(maxsize=1024)
def parse_duration(text: str) -> Optional[int]:
    """Minutes, or None when the minutes after an hour count are 60 or more (`1h75`)."""
    match = _DURATION.fullmatch(text)
    if not match:
        return None
    if match[3] is not None:
        return _count(match[3])
    minutes = _count(match[2] or "0")
    return None if minutes > 59 else _count(match[1]) * 60 + minutes


HUGE = 10**9  # what any longer number of minutes or hours counts as: far out of range either way


def _count(digits: str) -> int:
    """A whole number from its digits, never reading more than nine of them: Python refuses to
    convert very long digit strings, and no duration needs more."""
    digits = digits.lstrip("0") or "0"
    return int(digits) if len(digits) <= 9 else HUGE


def format_duration(minutes: int) -> str:
    return f"{minutes}min"


# ---- channels (documented spelling)
CHANNELS = (
    "phone", "phone-incoming", "connect", "google", "zoom", "teamsForBusiness2", "webex",
    "whereby", "kmeet", "jitsi", "local", "local-attendee", "custom",
)
_CHANNEL_BY_LOWER = {c.lower(): c for c in CHANNELS}
# Names from older revisions of the API docs, and what they are called now.
_OLD_CHANNELS = {
    "teams": "teamsForBusiness2", "msteams": "teamsForBusiness2", "teamsforbusiness": "teamsForBusiness2",
    "google_meet": "google", "googlemeet": "google", "google-meet": "google", "meet": "google",
    "in_person": "local", "in-person": "local", "inperson": "local",
    "phone_incoming": "phone-incoming", "local_attendee": "local-attendee",
}


def channel(word: str) -> Optional[str]:
    return _CHANNEL_BY_LOWER.get(word.lower())


def suggest_channel(word: str) -> Optional[str]:
    import difflib

    lowered = word.lower()
    if lowered in _OLD_CHANNELS:
        return _OLD_CHANNELS[lowered]
    match = difflib.get_close_matches(lowered, list(_CHANNEL_BY_LOWER), n=1, cutoff=0.6)
    return _CHANNEL_BY_LOWER[match[0]] if match else None


# ---- slugs
SLUG_PATTERN = r"[a-z0-9]+(-[a-z0-9]+)*"
SLUG = re.compile(SLUG_PATTERN)


_LATIN = {"ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "đ": "d", "ł": "l", "þ": "th", "ð": "d", "ı": "i"}


def slugify(text: str) -> str:
    """A URL-friendly slug for `text`: `Über_Call` → `uber-call` (a letter with an accent keeps its
    letter, rather than being dropped)."""
    text = text.lower()
    if not text.isascii():
        import unicodedata

        text = "".join(_LATIN.get(c, c) for c in unicodedata.normalize("NFKD", text)
                       if not unicodedata.combining(c))
    return "-".join(re.findall(r"[a-z0-9]+", text))


# ---- characters that cannot be seen
# Control characters (tab, line feed and carriage return aside), lone surrogates, a byte-order
# mark past the start of the text, and the Unicode line separators: they are invisible, change
# what a line means, and in a terminal can rewrite what is shown.
HIDDEN = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufeff\u2028\u2029]"
# The ASCII ones: most text is ASCII, and this class compiles in a twentieth of the time of the
# whole one (its surrogate range makes `re` build a table of the Basic Multilingual Plane).
_HIDDEN_ASCII = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def find_hidden(text: str) -> Optional[re.Match]:
    """The first character of `text` that `HIDDEN` names, or None."""
    return _HIDDEN_ASCII.search(text) if text.isascii() else hidden_pattern().search(text)


@functools.lru_cache(maxsize=None)
def hidden_pattern() -> re.Pattern:
    return re.compile(HIDDEN)


def describe_character(char: str) -> str:
    """`U+001B (escape)`: a character by its code point and, where it has one, its name."""
    import unicodedata

    name = "byte-order mark" if char == "\ufeff" else unicodedata.name(char, "")
    if not name and "\x00" <= char <= "\x9f":
        name = {"\x00": "null", "\x1b": "escape", "\x07": "bell", "\x7f": "delete"}.get(char, "control character")
    if not name and "\ud800" <= char <= "\udfff":
        name = "lone surrogate"
    return f"U+{ord(char):04X}" + (f" ({name.lower()})" if name else "")


# The bidirectional controls: embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069).
# They are allowed in names and comments (a right-to-left name may need one), but they reorder
# how a line is drawn, so that what a reviewer reads is not what the file says (SC006), and a
# terminal would draw a message quoting one in the wrong order.
BIDI = "[\u202a-\u202e\u2066-\u2069]"
# Those and the marks that steer them (U+061C, U+200E, U+200F), as the inside of a class.
_BIDI_MARKS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# What a message, a file name or a JSON value for machines never shows raw: the hidden
# characters, and the bidirectional controls and marks.
SHOWN_ESCAPED = HIDDEN[:-1] + _BIDI_MARKS + "]"


@functools.lru_cache(maxsize=None)
def bidi_pattern() -> re.Pattern:
    return re.compile(BIDI)


@functools.lru_cache(maxsize=None)
def bidi_marks_pattern() -> re.Pattern:
    """The bidirectional controls and marks (what SHOWN_ESCAPED adds to HIDDEN)."""
    return re.compile(f"[{_BIDI_MARKS}]")


@functools.lru_cache(maxsize=None)
def shown_pattern() -> re.Pattern:
    return re.compile(SHOWN_ESCAPED)


def visible(text: str) -> str:
    """`text` with every hidden or bidirectional character written as an escape (`\\x1b`,
    `\\u2028`, `\\u202e`), for messages."""
    if text.isascii() and not _HIDDEN_ASCII.search(text):
        return text
    return shown_pattern().sub(lambda m: m[0].encode("unicode_escape", "backslashreplace").decode("ascii"), text)


def outside_strings(line: str):
    """(index, character) for each character of `line` outside a double-quoted string (where
    `\\"` does not end it): where `;` and `#` mean what they say."""
    quoted = escaped = False
    for index, char in enumerate(line):
        if quoted:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                quoted = False
        elif char == '"':
            quoted = True
        else:
            yield index, char
