# Generated from grammar.lark by `python tools/regenerate_parser.py`: do not edit.
"""The terminals of grammar.lark, for the fast path (fastpath.py): the one source of its words.

EXACT: each terminal's regular expression as lark compiles it (flags written inline).
PATTERNS: the same, rewritten to compile faster: a class with letters whose case is ignored
spelt out in ASCII, characters outside ASCII left out of classes, groups not capturing. On a
text that holds no character ODD matches, each matches exactly what its EXACT expression
matches; the fast path leaves a line holding one to the parser.
WORDS: the terminals that are one fixed string (keywords, punctuation): the string, and whether
its case is ignored.
ORDER: the order lark's lexer tries the terminals in, where a parser state accepts several.
FIRST: the ASCII characters each pattern's match may start with, and whether it may start with
one beyond ASCII (so the fast path tries only the terminals that may match at a character).
"""

EXACT = {
    "AVAILABILITY": r"(?i:availability)",
    "CHANNEL": r"[A-Za-z][A-Za-z0-9_]*(-[A-Za-z0-9_]+)*",
    "COMMA": r",",
    "COMMENT": '#[^\n]*',
    "DAY": r"[A-Za-z]+",
    "DURATION": r"(?i:[0-9]+(h([0-9]+(min|m)?)?|min|m)(?![A-Za-z0-9]))",
    "EMAIL": r"<[^<>\s;#]*>",
    "HOLIDAYS": r"(?i:holidays)",
    "MEETING": r"(?i:meeting)",
    "MINUS": r"\-",
    "NAME_WORD": r'[^\s;#<>"]+',
    "OFF": r"(?:(?i:closed)|(?i:off))",
    "REGION": r"[A-Za-z][A-Za-z0-9]*(-[A-Za-z0-9]+)*",
    "SLUG": r"(?i:slug)",
    "SLUG_TEXT": r"[^\s;#]+",
    "STRING": '"(\\\\["\\\\]|[^"\\\\\n])*"',
    "TIME": r"[0-9]+:[0-9]+",
    "TZ": r"(?i:tz)",
    "USER": r"(?i:user)",
    "WS": '[ \t\x0c\r\ufeff]+',
    "ZONE": r"[A-Za-z][A-Za-z0-9_+\-:‐-―−]*(\/[A-Za-z0-9_+\-]+)*",
    "_SEP": '(?:\r?\n|;)',
}

PATTERNS = {
    "AVAILABILITY": r"(?i:availability)",
    "CHANNEL": r"[A-Za-z][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*",
    "COMMA": r",",
    "COMMENT": r"#[^\n]*",
    "DAY": r"[A-Za-z]+",
    "DURATION": r"(?i:[0-9]+(?:h(?:[0-9]+(?:m(?:in|))?)?|min|m)(?!(?-i:[0-9A-Za-z])))",
    "EMAIL": r"<[^<>\s;#]*>",
    "HOLIDAYS": r"(?i:holidays)",
    "MEETING": r"(?i:meeting)",
    "MINUS": r"-",
    "NAME_WORD": r'[^\s;#<>"]+',
    "OFF": r"(?:(?i:closed)|(?i:off))",
    "REGION": r"[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*",
    "SLUG": r"(?i:slug)",
    "SLUG_TEXT": r"[^\s;#]+",
    "STRING": r'"(?:\\["\\]|[^"\\\n])*"',
    "TIME": r"[0-9]+:[0-9]+",
    "TZ": r"(?i:tz)",
    "USER": r"(?i:user)",
    "WS": r"[\t\f\r ]+",
    "ZONE": r"[A-Za-z][+\-0-:A-Z_a-z]*(?:/[A-Za-z0-9_+\-]+)*",
    "_SEP": r"(?:\r?\n|;)",
}

ODD = r"[\u0130\u0131\u017f\u2010-\u2015\u212a\u2212\ufeff]"

WORDS = {
    "AVAILABILITY": ("availability", True),
    "COMMA": (",", False),
    "HOLIDAYS": ("holidays", True),
    "MEETING": ("meeting", True),
    "MINUS": ("-", False),
    "SLUG": ("slug", True),
    "TZ": ("tz", True),
    "USER": ("user", True),
}

ORDER = (
    "ZONE",
    "DURATION",
    "CHANNEL",
    "REGION",
    "STRING",
    "TIME",
    "EMAIL",
    "NAME_WORD",
    "DAY",
    "SLUG_TEXT",
    "WS",
    "COMMENT",
    "AVAILABILITY",
    "HOLIDAYS",
    "MEETING",
    "OFF",
    "SLUG",
    "USER",
    "_SEP",
    "TZ",
    "COMMA",
    "MINUS",
)

FIRST = {
    "AVAILABILITY": ("Aa", True),
    "CHANNEL": ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", False),
    "COMMA": (",", False),
    "COMMENT": ("#", False),
    "DAY": ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", False),
    "DURATION": ("0123456789", True),
    "EMAIL": ("<", False),
    "HOLIDAYS": ("Hh", True),
    "MEETING": ("Mm", True),
    "MINUS": ("-", False),
    "NAME_WORD": ("\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\u000e\u000f\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b!$%&'()*+,-./0123456789:=?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~\u007f", True),
    "OFF": ("COco", True),
    "REGION": ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", False),
    "SLUG": ("Ss", True),
    "SLUG_TEXT": ("\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\u000e\u000f\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b!\"$%&'()*+,-./0123456789:<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~\u007f", True),
    "STRING": ("\"", False),
    "TIME": ("0123456789", False),
    "TZ": ("Tt", True),
    "USER": ("Uu", True),
    "WS": ("\t\f\r ", False),
    "ZONE": ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", False),
    "_SEP": ("\n\r;", False),
}
