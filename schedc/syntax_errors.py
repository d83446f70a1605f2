"""Lark's syntax errors → SC001-SC003 diagnostics in prose.

The parser reports what it met and which terminals it would have accepted; this module says
that as a person would ("expected a time like `09:00`"), with a hint for the common confusing
cases. It reads the exception's attributes only, never its text, and takes the classes to
tell the kinds apart as an argument, so the shipped stand-alone parser and lark itself (in
the tests) are described by the same code.
"""

from __future__ import annotations

from typing import Any, Optional

from .diagnostics import Diagnostic, Span, error
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
    "TZ": "`tz`",
    "USER": "`user`",
    "AVAILABILITY": "`availability`",
    "MEETING": "`meeting`",
    "SLUG": "`slug`",
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
                     help=f"expected {expected}" if exc.allowed else None)
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
                     path=path, help=_hint(None, expected_names))
    found = f"`{token.value}`"
    if token.value.startswith("<") and "EMAIL" in expected_names:
        return error("SC002", "unterminated e-mail address", Span(token.line, token.column, token.line, token.column + 1),
                     path=path, help="write the address as `<ana@example.com>`, with no spaces")
    if token.value.startswith('"') and "STRING" in expected_names:
        return error("SC002", "unterminated string", Span(token.line, token.column, token.line, token.column + 1),
                     path=path, help='close the string with `"` on the same line (write `\\"` for a quote inside it)')
    message = f"unexpected {found}, expected {_expected(expected_names)}"
    return error("SC001", message, span, path=path, help=_hint(token, expected_names))


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
    if "_SEP" in expected and token is not None and value[:1].isalnum():
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
