"""Lark's syntax errors → SC001-SC003 diagnostics in prose.

The parser reports what it met and which terminals it would have accepted; this module says
that as a person would ("expected a time like `09:00`"), with a hint for the common confusing
cases. It reads the exception's attributes only, never its text, and takes the classes to
tell the kinds apart as an argument, so the shipped stand-alone parser and lark itself (in
the tests) are described by the same code.
"""

from __future__ import annotations

import re
from typing import Any, Optional

from ..diagnostics import Diagnostic, Span, error
from .words import describe_character

Token = Any  # a lark Token: a str with .type, .line, .column, .end_line, .end_column, .start_pos

# Terminal names as a person would say them ("expected a time like `09:00`").
TERMINAL_PROSE = {
    "TIME": "a time like `09:00`",
    "DAY": "a day like `Mon`",
    "ZONE": "a time zone like `Europe/London`",
    "DURATION": "a duration like `45min`",
    "CHANNEL": "a channel like `zoom`",
    "SLUG_TEXT": "a slug like `intro-call`",
    "EMAIL": "an e-mail address in angle brackets like `<ana@example.com>`",
    "NAME_WORD": "a name",
    "STRING": 'a quoted name like `"Business Hours"`',
    "REGION": "a holiday region like `DE-BY` or `US`",
    "TZ": "`tz`",
    "USER": "`user`",
    "AVAILABILITY": "`availability`",
    "MEETING": "`meeting`",
    "SLUG": "`slug`",
    "HOLIDAYS": "`holidays`",
    "OFF": "`off`",
    "COMMA": "`,`",
    "MINUS": "`-`",
    "_SEP": "the end of the statement (`;` or a new line)",
    "$END": "the end of the statement (`;` or a new line)",
}



def _describe_character(char: str) -> str:
    if char.isprintable() and not char.isspace():
        return f"`{char}`"
    return describe_character(char)  # `U+00A0 (no-break space)`


def _expected(names) -> str:
    order = list(TERMINAL_PROSE)
    ranked = sorted(names, key=lambda name: order.index(name) if name in order else len(order))
    items = list(dict.fromkeys(TERMINAL_PROSE.get(name, f"`{name}`") for name in ranked))
    if len(items) > 4:
        items = items[:4] + ["…"]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def _end_span(text: str) -> Span:
    line = text.count("\n") + 1
    column = len(text) - (text.rfind("\n") + 1) + 1
    return Span(line, column, line, column)


def diagnostic(exc, text: str, path: Optional[str], kinds) -> Diagnostic:
    """One lark exception → one diagnostic: what was found, what was expected, a likely fix.

    `kinds` is the module whose exception classes raised it: the shipped parser, or lark.
    """
    if isinstance(exc, kinds.UnexpectedCharacters):
        char = text[exc.pos_in_stream]
        span = Span(exc.line, exc.column, exc.line, exc.column + 1)
        if char == '"':
            return error("SC002", "unterminated string", span, path=path,
                         help='close the string with `"` on the same line (write `\\"` for a quote inside it)')
        if char == "<":
            return error("SC002", "unterminated e-mail address", span, path=path,
                         help="write the address as `<ana@example.com>`, with no spaces")
        shown = "a tab" if char == "\t" else _describe_character(char)
        expected = _expected(exc.allowed or ())
        return error("SC002", f"unexpected character {shown}", span, path=path,
                     help=_dash_hint(_line(text, exc.line)) or (f"expected {expected}" if exc.allowed else None))
    assert isinstance(exc, (kinds.UnexpectedToken, kinds.UnexpectedEOF))
    expected_names = set(getattr(exc, "expected", None) or getattr(exc, "accepts", None) or ())
    token = getattr(exc, "token", None)
    if token is None or token.type == "$END":
        span = _end_span(text)
        return error("SC003", f"unexpected end of input, expected {_expected(expected_names)}", span,
                     path=path, help=_hint(None, expected_names))
    span = Span(token.line, token.column, token.end_line or token.line, token.end_column or token.column + 1)
    if token.type == "_SEP":  # the statement ended early, at `;` or the end of the line
        found = "`;`" if token.value == ";" else "end of line"
        return error("SC003", f"unexpected {found}, expected {_expected(expected_names)}",
                     Span(token.line, token.column, token.line, token.column + 1),
                     path=path, help=_early_end_hint(token, text, expected_names) or _hint(None, expected_names))
    found = f"`{token.value}`"
    if token.value.startswith("<") and "EMAIL" in expected_names:
        return error("SC002", "unterminated e-mail address", Span(token.line, token.column, token.line, token.column + 1),
                     path=path, help="write the address as `<ana@example.com>`, with no spaces")
    if token.value.startswith('"') and "STRING" in expected_names:
        return error("SC002", "unterminated string", Span(token.line, token.column, token.line, token.column + 1),
                     path=path, help='close the string with `"` on the same line (write `\\"` for a quote inside it)')
    message = f"unexpected {found}, expected {_expected(expected_names)}"
    help_ = _context_hint(token, text, expected_names) or _hint(token, expected_names)
    return error("SC001", message, span, path=path, help=help_)


def _hint(token: Optional[Token], expected: set) -> Optional[str]:
    """The likely cause behind a syntax error, for the common confusing cases."""
    value = token.value if token is not None else ""
    if "TIME" in expected and len(expected) == 1:
        return "a range needs a start and an end, like `09:00-17:00`"
    if value.isdigit() and "DURATION" in expected:
        return f"write durations without a space, like `{value}min`"
    looks_like_duration = value[:1].isdigit() and ":" not in value and any(c.isalpha() for c in value)
    if looks_like_duration and token.type != "DURATION":
        return "durations are written like `45min`, `90m`, `1h` or `1h30`"
    if "_SEP" in expected and token is not None and _starts_statement(value):
        return f"end the statement with `;` or a new line before `{value}`"
    if value.isdigit() or (value[:1].isdigit() and ":" not in value and "TIME" not in expected):
        return "times are written `HH:MM-HH:MM` after the days, durations like `45min`"
    if "EMAIL" in expected and "NAME_WORD" not in expected and "STRING" not in expected:
        return 'a user has at most two names; quote a name with spaces: `user "Anna Maria" Berg <anna@example.com>`'
    if "EMAIL" in expected:
        return "a user statement reads `user GIVEN FAMILY <EMAIL>`"
    if "ZONE" in expected:
        return "`tz` is followed by an IANA zone name like `Europe/London`"
    if "SLUG_TEXT" in expected:
        return "`slug` is followed by the booking-page slug, like `intro-call`"
    if "STRING" in expected and "AVAILABILITY" not in expected and "DURATION" not in expected:
        return 'names are double-quoted: `availability "Business Hours"`'
    if "DURATION" in expected and "DAY" not in expected:
        return "a meeting statement reads `meeting \"NAME\" DURATION CHANNEL slug SLUG`, like `meeting \"Intro\" 30min zoom`"
    return None


def _starts_statement(word: str) -> bool:
    """Whether `word` could begin a statement of its own: a keyword, a day, or a duration
    (so that ending the statement before it is the likely fix)."""
    from .words import alias_days, day_index

    head = re.split(r"[-,;]", word, maxsplit=1)[0]
    return (word.lower() in _KEYWORDS or day_index(head) is not None or alias_days(head) is not None
            or re.fullmatch(r"[0-9]+(h[0-9]*(min|m)?|min|m)", word, re.I) is not None)


# ---- hints that need the rest of the statement: what people bring from other tools
_KEYWORDS = ("availability", "meeting", "user", "tz", "slug", "off", "closed", "holidays")
_KEYWORD_ALIASES = {"timezone": "tz", "zone": "tz", "time_zone": "tz", "usr": "user", "name": "user",
                    "meet": "meeting", "meetings": "meeting", "hours": "availability", "closed": "off"}
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2212"  # hyphen, non-breaking hyphen, figure, en, em dash, minus
_HOUR_RANGE = re.compile(r"([0-9]{1,2})-([0-9]{1,2})")
_DOTTED_TIME = re.compile(r"([0-9]{1,2})[.hH]([0-9]{2})")  # `09.00`, `9h00`: a colon meant
_RANGE_WORDS = ("to", "till", "until", "through", "thru", "and")  # `and` lists: `Mon, Tue`
_COMPACT_RANGE = re.compile(r"([0-9]{1,2})(?:h?([0-9]{2})|h)-([0-9]{1,2})(?:h?([0-9]{2})|h)", re.I)  # `0900-1700`, `9h-17h`
_SPACED_UNIT = {"h": "h", "hr": "h", "hrs": "h", "hour": "h", "hours": "h", "m": "min", "min": "min",
                "mins": "min", "minute": "min", "minutes": "min"}
_WORDY_DURATION = re.compile(r"([0-9]+)(" + "|".join(sorted(_SPACED_UNIT, key=len, reverse=True)) + ")", re.I)
_TWELVE_HOUR = re.compile(r"([0-9]{1,2})(?::([0-9]{2}))?\s*(am|pm)-([0-9]{1,2})(?::([0-9]{2}))?\s*(am|pm)", re.I)


def _line(text: str, number: int) -> str:
    lines = text.split("\n")
    return lines[number - 1].rstrip("\r") if 0 < number <= len(lines) else ""


def _statement_start(line: str, column: int) -> str:
    """The text of the statement the error is in, from its start to the error: after the last
    `;` outside quotes before `column` (1-based)."""
    from .words import outside_strings

    ends = [i for i, char in outside_strings(line[: column - 1]) if char == ";"]
    return line[ends[-1] + 1 if ends else 0: column - 1]


def _dash_hint(line: str) -> Optional[str]:
    dashes = sorted({c for c in line if c in _DASHES})
    if not dashes:
        return None
    import unicodedata

    names = " and ".join(f"`{c}` ({unicodedata.name(c, 'a dash').lower()})" for c in dashes)
    fixed = line.translate({ord(c): "-" for c in _DASHES}).strip()
    return f"{names} is not a hyphen: write a plain `-`, like `{fixed}`"


def _range_word_hint(word: str, before: str, after: str) -> str:
    """`Mon to Fri`, `09:00 until 17:00`: a range is written with `-`, with both ends named."""
    from .words import alias_days, day_index, parse_time

    first = (before.split() or [""])[-1]
    then = (after.split() or [""])[0].rstrip(";,")
    days = (day_index(first) is not None or alias_days(first)) and day_index(then) is not None
    if word.lower() == "and":
        return f"days are listed with `,`: `{first}, {then}`" if days else "list days or ranges with `,`"
    if days:
        return f"a range of days is written with `-`: `{first}-{then}`"
    if parse_time(first) is not None and parse_time(then) is not None:
        return f"a range of times is written with `-`: `{first}-{then}`"
    return f"ranges are written with `-`, not `{word}`: `Mon-Fri 09:00-17:00`"


def _clock(hour: str, minutes: Optional[str], half: str) -> Optional[str]:
    h, m = int(hour), int(minutes or 0)
    if not 1 <= h <= 12 or m > 59:
        return None
    h = (h % 12) + (12 if half.lower() == "pm" else 0)
    return f"{h:02d}:{m:02d}"


def _days_only(word: str) -> bool:
    """Whether `word` is a day, an alias (`weekdays`) or a range of days (`Mon-Fri`)."""
    from .words import alias_days, day_index

    parts = word.rstrip(",;").split("-")
    return 0 < len(parts) <= 2 and all(day_index(p) is not None or alias_days(p) is not None for p in parts)


def _zone_like(word: str) -> bool:
    """Whether `word` reads as a time zone (`Europe/Berlin`, `UTC`, `EST`) rather than a day or keyword."""
    from .zones import abbreviation, is_zone

    return "/" in word or (not _days_only(word) and word.lower() not in _KEYWORDS
                           and (is_zone(word) or abbreviation(word) is not None))


def _quiet_zone(name: str) -> str:
    """The zone to write for `name`: itself, or what the checks would say to write instead of an
    abbreviation or a legacy alias (`EST` → `America/New_York`), so the hint leads to no warning."""
    from .zones import abbreviation, legacy_target

    meant = abbreviation(name)
    return meant[0] if meant is not None else legacy_target(name) or name


def _early_end_hint(token: Token, text: str, expected: set) -> Optional[str]:
    """Help for a statement that ends too early: `user Ana ana@example.com` read the address as
    a name, and then found no address."""
    line = _line(text, token.line)
    if "EMAIL" in expected:
        words = _statement_start(line, token.column).split()
        address = next((w for w in reversed(words) if "@" in w and not w.startswith("<")), None)
        if address is not None:
            return f"write the e-mail address in angle brackets: `<{address.strip('<>')}>`"
    return None


def _statement_rest(line: str, column: int) -> str:
    """The statement's text from `column` (1-based) to its end: up to `;` or `#` outside quotes."""
    from .words import outside_strings

    tail = line[column - 1:]
    end = next((i for i, char in outside_strings(tail) if char in ";#"), len(tail))
    return tail[:end].strip()


def _context_hint(token: Token, text: str, expected: set) -> Optional[str]:
    """Help for the mistakes that lark's "expected" alone would mislead about."""
    from .words import parse_time

    line = _line(text, token.line)
    value = str(token.value)
    dash = _dash_hint(line)
    if dash:
        return dash
    before = _statement_start(line, token.column)
    after = line[token.column - 1 + len(value):]
    if "DURATION" in expected:  # `45 minutes`, `1 hour`, `45minutes`: the unit as the grammar spells it
        unit = (after.split() or [""])[0].lower().rstrip(";,")
        if value.isdigit() and unit in _SPACED_UNIT:
            return f"write durations without a space, like `{value}{_SPACED_UNIT[unit]}`"
        match = _WORDY_DURATION.fullmatch(value)
        if match:
            return f"write `{match[1]}{_SPACED_UNIT[match[2].lower()]}`: durations are written like `45min`, " \
                   "`90m`, `1h` or `1h30`"
    if value == ":" and before.split() and "TIME" in expected:  # `Mon-Fri: 09:00-17:00`
        return f"no colon after the days: write `{before.strip()} {after.strip()}`"
    words = before.split()
    if value == ":" and words and words[-1].lower() in _KEYWORDS:  # `tz: UTC`, `holidays: DE-BY`
        fixed = " ".join([*words, *_statement_rest(line, token.column + 1).split()])
        return f"no colon after `{words[-1]}`: write `{fixed}`"
    if words and words[0].endswith(":") and words[0][:-1].lower() in _KEYWORDS:  # `user: Ana Lima <…>`
        fixed = " ".join([words[0][:-1], *words[1:], *_statement_rest(line, token.column).split()])
        return f"no colon after `{words[0][:-1]}`: write `{fixed}`"
    if (len(words) == 1 and value[:1].isalpha() and "TIME" in expected and _days_only(words[0])
            and _days_only(value)):  # `Mon Wed Fri 09:00-12:00`: a list of days
        listed = [words[0], value] + [w for w in after.split() if _days_only(w)][:5]
        return f"days are listed with `,`: `{', '.join(listed)}`"
    first = re.match(r"\s*([A-Za-z_]+)", before)
    if first is not None and before.strip() == first[1]:  # the error follows the statement's first word
        word = first[1]
        from .words import alias_days, day_index

        lowered = word.lower()
        if lowered == "slug":
            return f"`slug` ends a meeting statement, after the duration and channel: `30min zoom slug {value}`"
        if day_index(word) is None and alias_days(word) is None and lowered not in _KEYWORDS:
            import difflib

            meant = _KEYWORD_ALIASES.get(lowered) or next(
                iter(difflib.get_close_matches(lowered, _KEYWORDS, n=1, cutoff=0.7)), None)
            if meant is not None:
                return f"did you mean `{meant}`? `{word}` is read as a day name, and is not one"
    if "TZ" in expected and value.lower() in ("timezone", "zone", "time_zone", "timezone:"):  # `timezone Europe/Berlin`
        return f"did you mean `tz`? write `tz {_quiet_zone((after.split() or ['Europe/London'])[0].rstrip(';'))}`"
    if "SLUG" in expected and re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", value) and "-" in value:
        return f"a slug follows `slug`: write `slug {value}`"  # `30min zoom intro-call`
    if len(words) > 1 and words[-2].lower() == "slug" and "_SEP" in expected:  # `slug Intro Call`: one word
        from .words import slugify

        fixed = slugify(" ".join([words[-1], value, *_statement_rest(line, token.column).split()[1:]]))
        if fixed:
            return f"a slug is one word of lowercase letters, digits and hyphens: `slug {fixed}`"
    if words and value[:1].isalpha() and "TZ" in expected and "ZONE" not in expected and _zone_like(value):
        return f"a time zone follows `tz`: write `tz {_quiet_zone(value)}`"  # `Mon-Fri 09:00-17:00 UTC`
    if value.lower() == "except" and "_SEP" in expected:  # `weekdays 09:00-17:00 except Wed`
        days = (after.split() or ["Wed"])[0].rstrip(";,")
        return f"write the exception as a rule of its own, after this one: `{before.strip()}; {days} off`"
    if len(words) == 2 and words[0].lower() == "holidays" and value[:1].isalpha():  # `holidays DE BY`
        return f"a German state follows its country after a hyphen: `holidays {words[1]}-{value}`"
    if "EMAIL" in expected and "@" in value and not value.startswith("<"):
        return f"write the e-mail address in angle brackets: `<{value.strip('<>')}>`"
    names, address = words[1:] + [value], (after.split() or [""])[0].rstrip(";")
    if ("EMAIL" in expected and "NAME_WORD" not in expected and "STRING" not in expected and len(words) == 3
            and words[0].lower() == "user" and not any(w.startswith('"') for w in names)
            and address.startswith("<")):  # `user Ana Maria Lima <ana@example.com>`: in its own words
        return f'a user has at most two names; quote a name with spaces: `user "{names[0]} {names[1]}" {names[2]} {address}`'
    written = (line[token.column - 1:].split() or [value])[0].rstrip(";,")  # the whole word, `13:00-17:00`
    if _DOTTED_TIME.match(value) and not re.search(r"[0-9]:[0-9]", written):
        rest = _statement_rest(line, token.column)  # every range of the rule: `09.00-12.00, 13.00-17.00`
        fixed = _DOTTED_TIME.sub(lambda m: f"{int(m[1]):02d}:{m[2]}", rest)
        return f"times are written with a colon, `HH:MM`: write `{fixed}`"
    match = _COMPACT_RANGE.fullmatch(written)
    if match and "TIME" in expected:  # `0900-1700`, `9h-17h`
        start, end = f"{int(match[1]):02d}:{match[2] or '00'}", f"{int(match[3]):02d}:{match[4] or '00'}"
        if parse_time(start) is not None and parse_time(end) is not None:
            return f"times are `HH:MM`: write `{start}-{end}`"
    if value.lower() == "from" and "TIME" in expected:  # `Mon-Fri from 09:00 to 17:00`
        ends = re.match(r"\s*(\S+)\s*(?:-|to|till|until)\s*(\S+)", after, re.I)
        if ends and parse_time(ends[1]) is not None and parse_time(ends[2].rstrip(";,")) is not None:
            return f"a range of times follows the days without `from`: write `{ends[1]}-{ends[2].rstrip(';,')}`"
        return "a range of times follows the days without `from`, as `HH:MM-HH:MM`: `09:00-17:00`"
    if "TZ" in expected and "/" in value and value[:1].isalpha() and "ZONE" not in expected:  # `... Europe/Berlin`, not `24/7`
        return f"a time zone follows `tz`: write `tz {written}`"
    if value.lower() in _RANGE_WORDS:
        return _range_word_hint(value, before, line[token.column - 1 + len(value):])
    if value in ("|", "||"):
        return "separate rules with `;` or a new line, not `|`"
    if value == "24/7":
        return "for every day, all day, write `daily 00:00-24:00`"
    match = _TWELVE_HOUR.fullmatch(value)
    if match:
        start, end = _clock(*match.group(1, 2, 3)), _clock(*match.group(4, 5, 6))
        if start and end:
            return f"times are 24-hour `HH:MM`: write `{start}-{end}`"
        return "times are 24-hour `HH:MM`, like `09:00-17:00`"
    match = _HOUR_RANGE.fullmatch(value)
    if match and int(match[1]) <= 24 and int(match[2]) <= 24:
        return f"times are `HH:MM`: write `{int(match[1]):02d}:00-{int(match[2]):02d}:00`"
    if token.type == "TIME":
        if expected == {"MINUS"} and parse_time(words[-1] if words else "") is not None:  # `09:00 17:00`
            return f"a range of times is written with `-`: `{words[-1]}-{written}`"
        if "COMMA" in expected and before.split():
            return f"put a comma between ranges: `{before.split()[-1]}, {written}`"
        if not before.strip():
            return (f"a rule starts with its days: for every day write `daily {written}` (a rule without "
                    "days is OpenStreetMap syntax, not schedc's)")
    return None
