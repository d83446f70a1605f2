"""Text → syntax tree.

`grammar.lark` is the one definition of the syntax. Lark's stand-alone generator turns it into
`generated_parser.py`, plain Python that ships with the package and needs no lark at run time;
`python tools/regenerate_parser.py` writes it again after the grammar (or lark) changes, and a
test fails when the two disagree. `fastpath` recognises the commonest line shapes
without running the LALR machine and gives the very same nodes; every other line, and every
error, goes through the generated parser. Lark's exceptions become SC0xx diagnostics in
`syntax_errors`.
"""

from __future__ import annotations

import functools
import os

from ..diagnostics import Diagnostic, ScheduleError, Span, error, warning
from . import nodes
from .fastpath import comment_node, only_layout, plain_line_nodes, unquote
from .words import bidi_pattern, describe_character, find_hidden

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: no `typing` at run time saves 16% of a cold check (docs/performance.md)
    from typing import Any, Optional, Union

    Token = Any  # a lark Token: a str with .type, .line, .column, .end_line, .end_column, .start_pos

HERE = os.path.dirname(__file__)
GRAMMAR = os.path.join(HERE, "grammar.lark")

# The options the generated parser is built with, and that lark itself is given in the tests.
LARK_OPTIONS = dict(parser="lalr", lexer="contextual", maybe_placeholders=False)


@functools.lru_cache(maxsize=None)
def _comments():
    """Where the comment callback puts the comments of the line being parsed, per thread (made
    on first need: only lines the fast path declines are parsed this way)."""
    import threading

    return threading.local()


def _collect_comment(token: Token) -> Token:
    _comments().found.append(token)
    return token


def _span(first, last=None) -> Span:
    """The span from the start of `first` to the end of `last` (tokens or nodes)."""
    last = first if last is None else last
    a = first.span if hasattr(first, "span") else Span(first.line, first.column, first.line, first.column)
    b = last.span if hasattr(last, "span") else Span(last.end_line, last.end_column, last.end_line, last.end_column)
    return Span(a.line, a.column, b.end_line, b.end_column)


def _word(token: Token) -> nodes.Word:
    span = Span(token.line, token.column, token.end_line, token.end_column)
    return nodes.Word(str(token), span)


def _unquote(token: Token) -> nodes.Word:
    span = Span(token.line, token.column, token.end_line, token.end_column)
    return nodes.Word(unquote(str(token)), span, quoted=True)


def _name(item) -> nodes.Word:
    return _unquote(item) if item.type == "STRING" else _word(item)


def _typed(children, kind: str) -> Optional[Token]:
    return next((c for c in children if getattr(c, "type", None) == kind), None)


class ToNodes:
    """Runs inside the LALR parser (no intermediate tree): each rule becomes a node.

    A plain class, not a lark `Transformer`: lark only looks the methods up by rule name, so the
    same class serves lark itself and the generated stand-alone parser.
    """

    def start(self, children):
        return tuple(children)

    def day_item(self, c):
        return nodes.DayItem(_word(c[0]), _word(c[1]) if len(c) > 1 else None, _span(c[0], c[-1]))

    def days(self, c):
        return tuple(c)

    def time_range(self, c):
        return nodes.TimeRange(_word(c[0]), _word(c[1]), _span(c[0], c[1]))

    def times(self, c):
        return tuple(c)

    def tz_clause(self, c):
        return _word(c[1])

    def slug_clause(self, c):
        return _word(c[1])

    def day_hours(self, c):
        tz = c[2] if len(c) > 2 else None
        return nodes.DayRule(c[0], c[1], None, tz, _span(c[0][0], tz or c[1][-1]))

    def day_bare(self, c):
        tz = c[1] if len(c) > 1 else None
        return nodes.DayRule(c[0], (), None, tz, _span(c[0][0], tz or c[0][-1]))

    def day_off(self, c):
        return nodes.DayRule(c[0], (), _word(c[1]), None, _span(c[0][0], c[1]))

    def tz_statement(self, c):
        zone = c[0]
        return nodes.TzStatement(zone, zone.span)

    def user_statement(self, c):
        keyword, rest = c[0], c[1:]
        tz = rest.pop() if rest and isinstance(rest[-1], nodes.Word) else None
        email_token = rest.pop()
        names = [_name(t) for t in rest]
        email_span = Span(email_token.line, email_token.column, email_token.end_line, email_token.end_column)
        email = nodes.Word(str(email_token)[1:-1], email_span)
        given = names[0] if names else None
        family = names[1] if len(names) > 1 else None
        return nodes.UserStatement(given, family, email, tz, _span(keyword, tz or email_token))

    def availability_statement(self, c):
        tz = c[2] if len(c) > 2 else None
        return nodes.AvailabilityStatement(_unquote(c[1]), tz, _span(c[0], c[-1]))

    def meeting_statement(self, c):
        keyword = _typed(c, "MEETING")
        name = _typed(c, "STRING")
        channel = _typed(c, "CHANNEL")
        slug = c[-1] if isinstance(c[-1], nodes.Word) else None
        return nodes.MeetingStatement(
            _unquote(name) if name else None,
            _word(_typed(c, "DURATION")),
            _word(channel) if channel else None,
            slug,
            _span(c[0], c[-1]),
            keyword=keyword is not None,
        )

    def holidays_statement(self, c):
        return nodes.HolidaysStatement(_word(c[1]), _span(c[0], c[1]))



def callbacks() -> dict:
    """The parser's per-parse options: the node-building transformer and the comment collector."""
    return dict(transformer=ToNodes(), lexer_callbacks={"COMMENT": _collect_comment})


class Backend:
    """A parser plus the module whose exception classes it raises (the generated one, or lark)."""

    def __init__(self, module, instance):
        self.kinds = module
        self.parse = instance.parse


@functools.lru_cache(maxsize=None)
def shipped() -> Backend:
    """The generated stand-alone parser, built once per process (imported on first need)."""
    from . import generated_parser

    return Backend(generated_parser, generated_parser.Lark_StandAlone(**callbacks()))


def parse_line(line: str, backend: Optional[Backend] = None):
    """(statements, comments) of one line, placed on line 1; or its syntax Diagnostic (no path).

    Runs the LALR parser (the shipped one unless `backend` is given); no fast path, no cache.
    """
    backend = backend or shipped()
    collected = _comments()
    collected.found = []
    try:
        statements = backend.parse(line)
    except backend.kinds.UnexpectedInput as exc:
        from .syntax_errors import diagnostic

        return diagnostic(exc, line, None, backend.kinds)
    finally:
        tokens, collected.found = collected.found, []
    return statements, tuple(_comment(t, line) for t in tokens)


def decode(data: bytes, path: Optional[str] = None) -> tuple[str, list[Diagnostic]]:
    """Bytes → text. Undecodable bytes become an SC004 diagnostic at the byte's line and column."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # what PowerShell's `>` and Notepad's "Unicode" write
        return "", [error("SC004", "the file is UTF-16 text (it starts with a UTF-16 byte-order mark), not UTF-8",
                          Span(1, 1, 1, 2), path=path,
                          help="save it as UTF-8: in PowerShell, `(Get-Content f.sched) | Set-Content -Encoding utf8 "
                               "f.sched`; in an editor, choose the UTF-8 encoding when saving")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start].decode("utf-8")
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        span = Span(line, column, line, column + 1)
        return "", [error("SC004", f"byte 0x{data[exc.start]:02x} is not valid UTF-8", span,
                          help="save the file as UTF-8", path=path)]
    return text, []


def parse(text: Union[str, bytes], path: Optional[str] = None) -> nodes.Document:
    """Parse `.sched` text into a `Document`; raises `ScheduleError` on a syntax error.

    No statement, string or comment crosses a line break, so each line is parsed on its own.
    The fast path builds the nodes of common lines in place; any other line goes to the LALR
    parser, whose result is cached by the line's text (the lines a team repeats across
    hundreds of files are parsed once) and moved to the line it stands on.
    """
    if isinstance(text, bytes):
        text, problems = decode(text, path)
        if problems:
            raise ScheduleError(problems)
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        raise ScheduleError([_binary(text, path)])
    hidden = find_hidden(text)
    if hidden:
        raise ScheduleError([hidden_character(text, hidden.start(), path)])
    statements: list = []
    comments: list = []
    pieces = text.split("\n")
    last = len(pieces) - 1
    for index, piece in enumerate(pieces):
        if not piece or piece.isspace() and only_layout(piece):
            continue
        quick = plain_line_nodes(piece, index + 1)
        if quick is not None:
            statements += quick[0]
            comments += quick[1]
            continue
        parsed = _cached_line(piece + "\n" if index < last else piece)
        if isinstance(parsed, Diagnostic):
            raise ScheduleError([_moved(parsed, index, path)])
        if index:
            statements.extend(_moved(s, index) for s in parsed[0])
            comments.extend(_moved(c, index) for c in parsed[1])
        else:
            statements.extend(parsed[0])
            comments.extend(parsed[1])
    return nodes.Document(tuple(statements), tuple(comments), path)


@functools.lru_cache(maxsize=4096)
def _cached_line(line: str):
    return parse_line(line)


def _moved(node, lines: int, path: Optional[str] = None):
    """A copy of a node (or diagnostic) `lines` lines further down, every span in it moved."""
    if isinstance(node, Span):
        return Span(node.line + lines, node.column, node.end_line + lines, node.end_column)
    if isinstance(node, Diagnostic):
        return node._replace(path=path, span=_moved(node.span, lines))
    if node is None or isinstance(node, (str, bool)):
        return node
    if hasattr(node, "_fields"):  # a node: move each of its fields
        return node._make(_moved(item, lines) for item in node)
    return tuple(_moved(item, lines) for item in node)  # a tuple of nodes


def _binary(text: str, path: Optional[str]) -> Diagnostic:
    pos = text.index("\x00")
    line = text.count("\n", 0, pos) + 1
    column = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return error("SC004", "the file holds a NUL byte: it looks binary, not a schedule",
                 Span(line, column, line, column + 1), help="check that this is the file you meant", path=path)


def bidi_controls(text: Union[str, bytes], path: Optional[str] = None) -> list[Diagnostic]:
    """SC006 for each line of text that parsed which holds a bidirectional control
    (`words.BIDI`), at the first one. The parser lets them through (a name or a comment may
    need one), but they make a line read differently from what it says."""
    if text.isascii():
        return []
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    pattern, found = bidi_pattern(), []
    if not pattern.search(text):
        return found
    for line, line_text in enumerate(text.split("\n"), 1):
        match = pattern.search(line_text)
        if match is None:
            continue
        column = match.start() + 1
        found.append(warning("SC006", f"the text holds {describe_character(match.group())}: it changes the order "
                                      "in which the line is shown, so what a reader sees is not what the file says",
                             Span(line, column, line, column + 1), path=path,
                             help="delete it, unless a right-to-left name needs it (an editor that shows invisible "
                                  "characters helps find it)"))
    return found


def hidden_character(text: str, pos: int, path: Optional[str]) -> Diagnostic:
    """SC005: a character that cannot be seen (words.HIDDEN) at `pos` of `text`."""
    line = text.count("\n", 0, pos) + 1
    column = pos - (text.rfind("\n", 0, pos) + 1) + 1
    char = text[pos]
    why = ("only the very start of a file may hold one" if char == "\ufeff" else
           "it cannot be seen, and changes what the line means")
    return error("SC005", f"the text holds {describe_character(char)}: {why}",
                 Span(line, column, line, column + 1), path=path,
                 help="delete it (an editor that shows invisible characters helps find it)")


def _comment(token: Token, text: str) -> nodes.Comment:
    line_start = text.rfind("\n", 0, token.start_pos) + 1
    return comment_node(str(token), text[line_start:token.start_pos], token.line, token.column)
