"""Completion as an editor shows it: only the items that match what is typed, each with a kind and a line of
documentation.

`features.completions` says what the grammar allows at a spot; this module narrows it to what
the word being typed could become. The server has to: an editor such as Neovim takes a list
whose items carry a text edit as already filtered and shows all of it, so `tz Europe/Lo` must
not offer `Africa/Abidjan`. An item matches when its label starts with the typed text (any
case), or, for a zone, when one of its parts after a `/` does (`tz Lond` finds
`Europe/London`). A statement the file already has (`user`, `availability`, a meeting) is not
offered again: a second one is an error.
"""

from __future__ import annotations

import re
from ..compiler import words
from ..compiler.records import Record
from .features import Item, completions
from .text import Text

CHANNELS = {
    "phone": "a phone call; the API's default when no channel is written",
    "phone-incoming": "a phone call the invitee makes to the host",
    "connect": "meetergo's own video meeting",
    "google": "Google Meet",
    "zoom": "Zoom",
    "teamsForBusiness2": "Microsoft Teams",
    "webex": "Webex",
    "whereby": "Whereby",
    "kmeet": "kMeet",
    "jitsi": "Jitsi Meet",
    "local": "in person, at the host's address",
    "local-attendee": "in person, at the invitee's address",
    "custom": "a place of your own (the API then needs `customChannelLink`)",
}
KEYWORDS = {
    "user": "`user GIVEN FAMILY <EMAIL> [tz ZONE]`: who the request creates",
    "availability": '`availability "NAME" [tz ZONE]`: the name of the weekly hours',
    "meeting": '`meeting ["NAME"] DURATION [CHANNEL] [slug SLUG]`: the meeting type',
    "tz": "a time zone: `tz Europe/London`",
    "holidays": "`holidays DE-BY`: the public holidays of a country (and a German state) close the day",
    "slug": "the booking page's address: lowercase letters, digits and single hyphens",
    "off": "clears the named days: they have no hours",
    "closed": "the same as `off`: clears the named days",
}
_ONCE = ("user", "availability", "meeting", "holidays")
_STATEMENT = re.compile(r'(?:^|;)[ \t]*(user|availability|meeting|holidays|[0-9]+(?:h[0-9]*(?:min|m)?|min|m)(?![\w-]))',
                        re.IGNORECASE | re.MULTILINE)


class Shown(Record):
    item: Item
    documentation: str


def complete(text: Text, offset: int, now=None) -> list[Shown]:
    """The items to show at `offset`, in the order to show them."""
    present = _statements_elsewhere(text, offset)
    return [Shown(item, _documentation(item, now)) for item in completions(text, offset)
            if matches(item, text.source[item.start:offset])
            and not (item.kind == "keyword" and item.label in present)]


def matches(item: Item, typed: str) -> bool:
    typed = typed.lower()
    label = item.label.lower()
    if label.startswith(typed):
        return True
    return item.kind == "zone" and any(part.startswith(typed) for part in label.split("/")[1:])


def _statements_elsewhere(text: Text, offset: int) -> set[str]:
    """The statements of which a file may hold one, written on a line other than the one being typed."""
    start = text.line_start(offset)
    end = text.source.find("\n", offset)
    rest = text.source[:start] + text.source[len(text.source) if end < 0 else end:]
    present = set()
    for match in _STATEMENT.finditer(rest):
        word = match[1].lower()
        present.add(word if word in _ONCE else "meeting")
    return present


def _documentation(item: Item, now=None) -> str:
    if item.kind == "channel":
        return CHANNELS.get(item.label, "")
    if item.kind == "keyword":
        return KEYWORDS.get(item.label, "")
    if item.kind == "day":
        days = words.alias_days(item.label)
        return f"{words.format_days(days)}" if days else words.DAY_KEYS[words.day_index(item.label)].capitalize()
    if item.kind == "zone":
        return zone_now(item.label, now)
    return item.detail or ""  # a region: the country (and state) it names


def zone_now(name: str, now=None) -> str:
    """`UTC+01:00 (CET) now`: the zone's offset at this moment."""
    from datetime import datetime, timezone

    from ..compiler.tzdb import zone

    found = zone(name)
    if found is None:
        return ""
    moment = (now or datetime.now(timezone.utc)).astimezone(found)
    minutes = int(moment.utcoffset().total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d} ({moment.tzname()}) now"
