"""The checks of DESIGN §4 that run over a resolved `Schedule`.

Each check is a plain function `(schedule, options) -> list[Diagnostic]`: no raising, no
printing, no mutation. `CHECKS` runs them in order; `resolve.resolve` has already reported
what belongs to building the week (days, times, overlaps, repeated statements, zone clashes).
"""

from __future__ import annotations

import functools
import re

from ..diagnostics import Diagnostic, Span, error, warning
from . import clock_changes, words, zones as tz
from .records import Record
from .resolve import Piece, Schedule

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: no `typing` at run time saves 16% of a cold check (docs/performance.md)
    from typing import Callable, Iterator, Optional


class Options(Record):
    end_of_day: str = "23:59"  # how midnight at the end of a day is written in the JSON


def zones(schedule: Schedule, options: Options) -> list[Diagnostic]:
    found = []
    # Every place a zone is written is checked, whatever the order of the statements: `fmt`
    # moves a bare `tz` above the day rules and must not change what is reported.
    written = [w for w in [schedule.user_zone] + schedule.zone_words if w]
    seen = set()
    for word in written:
        if (word.text, word.span) in seen:
            continue
        seen.add((word.text, word.span))
        found.extend(zone_diagnostics(word.text, word.span))
    if not written:
        found.append(_no_zone())
    return found


# The warnings about what a file leaves out point at no place, so each is made once.
@functools.lru_cache(maxsize=None)
def _no_zone() -> Diagnostic:
    return warning("SC202", "no time zone: compiling needs one", None,
                   help="add `tz Europe/London` (or your zone), or pass `--timezone` when compiling")


@functools.lru_cache(maxsize=None)
def _no_user() -> Diagnostic:
    return warning(
        "SC205", "the file names no user: `compile` needs `--email`, `--given-name` and `--family-name`, "
                 "and `submit` cannot send it", None,
        help="add `user GIVEN FAMILY <EMAIL>` to the file, unless it is compiled with those flags")


def zone_diagnostics(name: str, span: Optional[Span]) -> list[Diagnostic]:
    """SC107 for an unknown zone, SC123/SC124 for the ones people should not use."""
    return [d._replace(span=span) for d in _zone_findings(name)]


@functools.lru_cache(maxsize=256)
def _zone_findings(name: str) -> tuple[Diagnostic, ...]:
    """What `zone_diagnostics` says of a name, placed nowhere: worked out once per name."""
    return tuple(_zone_problems(name, None))


def _zone_problems(name: str, span: Optional[Span]) -> list[Diagnostic]:
    meant = tz.abbreviation(name)
    if meant is not None:
        zone, what = meant
        if not tz.is_zone(name):
            return [error("SC107", f"unknown time zone `{name}`: zone names are places, not abbreviations", span,
                          help=f"did you mean `{zone}`? That is {what}")]
        return [warning(
            "SC123", f"`{name}` is an abbreviation that tzdata keeps as a fixed offset or an alias, "
                     "not a place that follows daylight saving", span,
            help=f"write `{zone}`: {what}")]
    if not tz.is_zone(name):
        suggestion = tz.suggest_zone(name)
        case_only = suggestion is not None and suggestion.lower() == name.lower()
        why = (" (zone names are case-sensitive)" if case_only else
               ": zone names are places, not offsets" if tz.written_offset(name) is not None else "")
        return [error("SC107", f"unknown time zone `{name}`{why}", span, help=tz.zone_help(name))]
    offset = tz.etc_offset(name)
    if offset:
        return [warning(
            "SC124", f"`{name}` means {offset}: the sign of `Etc/GMT` zones is the reverse of what it looks like",
            span, help="use the zone of a place, like `America/New_York`, so daylight saving is right too")]
    target = tz.legacy_target(name)
    if target:
        return [warning("SC123", f"`{name}` is a legacy alias of `{target}`", span,
                        help=f"write `{target}`")]
    return []


def meeting(schedule: Schedule, options: Options) -> list[Diagnostic]:
    statement = schedule.meeting
    if statement is None:
        return []
    found = []
    if schedule.duration is None:
        found.append(error("SC109", f"`{statement.duration.text}`: minutes after the hours must be below 60",
                           statement.duration.span, help="write `1h30` or `90min`"))
    elif not words.MIN_DURATION <= schedule.duration <= words.MAX_DURATION:
        found.append(duration_out_of_range(schedule.duration, statement.duration.span))
    if statement.channel and schedule.channel is None:
        found.append(unknown_channel(statement.channel.text, statement.channel.span))
    if statement.slug and not words.SLUG.fullmatch(statement.slug.text):
        found.append(unusable_slug(statement.slug.text, statement.slug.span))
    return found


# One constructor per diagnostic that both `.sched` files and imported JSON can have.
def duration_out_of_range(minutes: int, span: Optional[Span]) -> Diagnostic:
    what = f"a meeting of {minutes} min" if minutes < words.HUGE else "a meeting of a billion minutes or more"
    return error("SC109", f"{what} is outside {words.MIN_DURATION}-{words.MAX_DURATION} minutes",
                 span, help=f"durations run from {words.MIN_DURATION} to {words.MAX_DURATION} minutes "
                            f"(`{words.MIN_DURATION}min` to `{words.MAX_DURATION // 60}h`)")


def unknown_channel(text: str, span: Optional[Span]) -> Diagnostic:
    suggestion = words.suggest_channel(text)
    return error("SC108", f"unknown channel `{text}`", span,
                 help=f"did you mean `{suggestion}`?" if suggestion else "channels: " + ", ".join(words.CHANNELS))


def unusable_slug(text: str, span: Optional[Span]) -> Diagnostic:
    fixed = words.slugify(text)
    return error("SC110", f"slug `{text}` is not URL-friendly", span,
                 help=(f"did you mean `{fixed}`? " if fixed else "") + "slugs are lowercase letters, digits and single hyphens")


def user(schedule: Schedule, options: Options) -> list[Diagnostic]:
    if schedule.user is None:
        return [_no_user()]
    found = email_diagnostics(schedule.user.email.text, schedule.user.email.span)
    for word, what, flag in ((schedule.user.given, "given name", "--given-name"),
                             (schedule.user.family, "family name", "--family-name")):
        if word is None:
            found.append(warning(
                "SC205", f"the user has no {what}: `compile` needs `{flag}`, and `submit` cannot send the file",
                schedule.user.span, help=f"write the {what} in the `user` statement"))
    for word, what in ((schedule.user.given, "given name"), (schedule.user.family, "family name")):
        if word is not None and not word.text.strip():  # `user "" Smith <…>` names no one
            found.append(missing_name(what, None, word.span))
    return found


def missing_name(what: str, flag: Optional[str], span: Optional[Span], *, from_flag: bool = False) -> Diagnostic:
    """SC203: the request needs a name (or an e-mail) that neither the file nor a flag gives."""
    if from_flag:
        return error("SC203", f"the user's {what} is empty (from `{flag}`)", None,
                     help=f"give `{flag}` a value, or write the {what} in the file")
    return error("SC203", f"the user has no {what}", span,
                 help="write it in the file (`user GIVEN FAMILY <EMAIL>`)" + (f", or pass `{flag}`" if flag else ""))


def email_diagnostics(address: str, span: Optional[Span], *, flag: Optional[str] = None) -> list[Diagnostic]:
    reason = email_problem(address)
    if reason is None:
        return []
    example = f"`{flag} ana@example.com`" if flag else "`<ana@example.com>`"
    message = "the e-mail address is empty" if not address else f"`{address}` is not an e-mail address: {reason}"
    return [error("SC111", message, span, help=f"write the address like {example}")]


# Plain addresses like `ana.lima+work@mail.example.com` are the common case, and importing the
# validator costs about 30 ms of every `schedc check`. An address matching this deliberately narrow
# form is valid for the validator too (tests/test_properties.py checks that); everything else,
# valid or not, goes to the validator, which alone decides and explains.
# Letters are spelt out as ASCII rather than matched ignoring case: case-insensitive classes
# take `re` five times as long to compile, and also match a few non-ASCII letters (`K`, `ſ`).
PLAIN_ADDRESS = re.compile(
    r"(?=.{1,254}$)(?=[^@]{1,64}@)[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*"
    r"@(?:(?!-)(?![A-Za-z0-9]*--)[A-Za-z0-9-]{1,63}(?<!-)\.)+(?!(?i:arpa|invalid|local|localhost|onion|test)$)"
    r"[A-Za-z]{2,63}")


@functools.lru_cache(maxsize=256)
def email_problem(address: str) -> Optional[str]:
    """Why `address` is not an e-mail address (syntax only, no DNS), or None."""
    if not address:
        return "it is empty"
    if PLAIN_ADDRESS.fullmatch(address):
        return None
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError as exc:
        return _house_style(str(exc)) or "not valid"
    return None


def _house_style(reason: str) -> str:
    """The validator's sentences, in its own words, as one clause: "The x. It y." → "the x; it y"."""
    sentences = [part.strip().rstrip(".") for part in reason.split(". ")]
    return "; ".join(p[:1].lower() + p[1:] for p in sentences if p)


def days(schedule: Schedule, options: Options) -> list[Diagnostic]:
    """SC105 (nothing enabled) and SC201 (a range emptied by writing midnight as 23:59)."""
    if schedule.week is None:
        return []
    found = []
    if not any(schedule.week) and not schedule.week_has_errors:
        anchor = schedule.availability.span if schedule.availability else schedule.day_rules[0].span
        found.append(error(
            "SC105", "the availability has no enabled day", anchor,
            help="give at least one day hours, like `Mon-Fri 09:00-17:00`"))
    if options.end_of_day == "23:59":
        reported = set()
        for pieces in schedule.week:
            if not pieces or pieces[-1].start < 1439:  # sorted by start (resolve): the last starts latest
                continue
            for piece in reversed(pieces):
                if piece.start < 1439:
                    break
                if piece.end == 1440 and id(piece.origin) not in reported:
                    reported.add(id(piece.origin))
                    found.append(_empty_before_midnight(piece))
    return found


def _empty_before_midnight(piece: Piece) -> Diagnostic:
    """SC201 for a range (or the part of an overnight range) that is only `23:59-24:00`."""
    origin = piece.origin
    written = f"{origin.start.text}-{origin.end.text}"
    end = words.parse_time(origin.end.text)
    if end not in (0, 1440) and end is not None and end < piece.start:  # overnight: a part after midnight stays
        day, next_day = words.DAY_SHORT[piece.written_on], words.DAY_SHORT[(piece.written_on + 1) % 7]
        return error(
            "SC201", f"the part of `{written}` before midnight ({day} `{origin.start.text}-24:00`) is empty once "
            "midnight is written as `23:59`; the part after midnight stays", origin.span,
            help=f"write `{next_day} 00:00-{origin.end.text}` instead, or pass `--end-of-day 24:00`")
    return error("SC201", f"`{written}` is empty once midnight is written as `23:59`", origin.span,
                 help="start it earlier, or pass `--end-of-day 24:00`")


def windows(day: list[Piece]) -> Iterator[tuple[int, int, list[Piece]]]:
    """A day's ranges with touching ones merged (DESIGN §8.11): (start, end, pieces)."""
    current: Optional[list] = None
    for piece in sorted(day, key=lambda p: (p.start, p.end)):
        if current and piece.start <= current[1]:
            current[1] = max(current[1], piece.end)
            current[2].append(piece)
        else:
            if current:
                yield tuple(current)
            current = [piece.start, piece.end, [piece]]
    if current:
        yield tuple(current)


def bookability(schedule: Schedule, options: Options) -> list[Diagnostic]:
    """SC121: the meeting fits in no window; SC122: a window shorter than the meeting."""
    duration, statement = schedule.duration, schedule.meeting
    if (schedule.week is None or statement is None or duration is None or not any(schedule.week)
            or not words.MIN_DURATION <= duration <= words.MAX_DURATION):
        return []
    all_windows = [(day, w) for day, pieces in enumerate(schedule.week) for w in windows(pieces)]
    longest_day, longest = max(all_windows, key=lambda dw: dw[1][1] - dw[1][0])
    longest_minutes = longest[1] - longest[0]
    if longest_minutes < duration:
        window = f"{words.format_time(longest[0])}-{words.format_time(longest[1])}"
        return [warning(
            "SC121", f"a {duration} min meeting fits in no window: the longest is {longest_minutes} min "
            f"(`{window}` on {words.DAY_SHORT[longest_day]})", statement.duration.span,
            help="shorten the meeting or widen the hours: it can never be booked")]
    short: dict[tuple, tuple[Piece, list[int], int]] = {}
    for day, (start, end, pieces) in all_windows:
        if end - start < duration:
            piece = pieces[0]
            entry = short.setdefault((id(piece.origin), piece.start), (piece, [], end - start))
            entry[1].append(day)
    found = []
    for piece, on, minutes in short.values():
        origin = piece.origin
        what = f"`{origin.start.text}-{origin.end.text}`"
        if piece.start == 0 and words.parse_time(origin.start.text) != 0:  # the half after midnight
            what = f"the part of {what} after midnight"
        found.append(warning(
            "SC122", f"{what} on {words.format_days(on)} is {minutes} min, shorter than the {duration} min meeting",
            origin.span, help="widen the range, or drop it: no meeting can be booked in it"))
    return found


def holidays(schedule: Schedule, options: Options) -> list[Diagnostic]:
    """SC150 (not a region the API takes), SC151 (a state outside Germany), SC153 (a country
    whose zones do not hold the availability's)."""
    statement = schedule.holidays
    if statement is None:
        return []
    from . import public_holidays as ph
    from ..diagnostics import Label
    from ..meetergo import contract

    word = statement.region
    country, state = ph.split(word.text)
    written, _, written_state = word.text.partition("-")
    listed = ", ".join(contract.HOLIDAY_COUNTRIES)
    if country not in contract.HOLIDAY_COUNTRIES:
        meant = ph.suggest(country, contract.HOLIDAY_COUNTRIES, ph.COUNTRY_NAMES)
        if meant is None and state is None:  # `holidays BY`, `holidays Bayern`: a German state on its own
            named = country if country in contract.GERMAN_STATES else ph.suggest(
                country, contract.GERMAN_STATES, ph.STATE_NAMES)
            meant = f"{contract.STATE_COUNTRY}-{named}" if named else None
        elif meant is not None and state is not None:
            meant = f"{meant}-{state}"
        guess = f"did you mean `{meant}`? " if meant else ""
        return [error("SC150", f"unknown holiday country `{written}`", word.span,
                      help=f"{guess}meetergo's holiday calendar covers {listed} (and Germany's states, as `DE-BY`)")]
    if state is not None and country != contract.STATE_COUNTRY:
        return [error("SC151", f"`{word.text}`: only Germany's states can be named; meetergo takes the holidays "
                               f"of {country} for the whole country", word.span,
                      help=f"write `holidays {country}`")]
    if state is not None and state not in contract.GERMAN_STATES:
        meant = ph.suggest(state, contract.GERMAN_STATES, ph.STATE_NAMES)
        guess = f"did you mean `{country}-{meant}`? " if meant else ""
        return [error("SC150", f"unknown German state `{written_state}`", word.span,
                      help=f"{guess}the states are " + ", ".join(contract.GERMAN_STATES))]
    zone = schedule.availability_zone or schedule.user_zone  # the availability's zone, as compiling fills it
    if zone is None or not tz.is_zone(zone.text):
        return []
    name = tz.legacy_target(zone.text) or zone.text
    places = ph.country_zones(country)
    if places and name not in places:
        shown = ", ".join(f"`{z}`" for z in sorted(places)[:3]) + (", …" if len(places) > 3 else "")
        return [warning("SC153", f"`holidays {word.text}` with the zone `{zone.text}`, which is not a zone of "
                                 f"{country}", word.span, labels=(Label(zone.span, "the availability's zone"),),
                        help=f"{country}'s zones are {shown}: check the country, or the zone")]
    return []


CHECKS: tuple[Callable[[Schedule, Options], list[Diagnostic]], ...] = (
    zones, user, meeting, days, bookability, holidays, clock_changes.check)
