"""Who the request is for: what the file says merged with what the caller passes
(`--email`, `--given-name`, `--family-name`, `--timezone`). Gaps and contradictions are
SC2xx diagnostics; a value that came from a flag says so, since it has no place in the file.
"""

from __future__ import annotations

import functools

from ..diagnostics import Diagnostic, error
from .checks import email_diagnostics, missing_name, zone_diagnostics
from .records import Record
from .resolve import Schedule
from .words import describe_character, find_hidden

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: no `typing` at run time saves 16% of a cold check (docs/performance.md)
    from typing import Optional


class Identity(Record):
    email: Optional[str]
    given_name: Optional[str]
    family_name: Optional[str]
    timezone: Optional[str]
    availability_timezone: Optional[str]


ALL_FLAGS = ("--email", "--given-name", "--family-name", "--timezone")


def identity(schedule: Schedule, *, email=None, given_name=None, family_name=None,
             timezone=None, flags=ALL_FLAGS, default_timezone=None) -> tuple[Identity, list[Diagnostic]]:
    """Fill what the file leaves out from the caller's values; a contradiction is SC204.

    `flags` are the options the calling command offers, so that help never suggests one it
    does not have (`submit` takes `--timezone` only: each file names its own user).
    `default_timezone` (the `timezone` setting) is no flag: it fills in only for a file that
    names no zone at all, and never contradicts one.
    """
    found: list[Diagnostic] = []
    user = schedule.user
    in_file = (user.email, user.given, user.family) if user else (None, None, None)
    merged_email = _merge("--email", email, in_file[0], found)
    given = _merge("--given-name", given_name, in_file[1], found)
    family = _merge("--family-name", family_name, in_file[2], found)
    user_zone = _merge("--timezone", timezone, schedule.user_zone, found)
    if email is not None and (user is None or user.email.text != email):
        found.extend(_flag_diagnostics("--email", email))
    if timezone is not None and user_zone == timezone:
        found.extend(_flag_diagnostics("--timezone", timezone))
    availability_zone = schedule.availability_zone.text if schedule.availability_zone else None
    if not (user_zone or availability_zone) and default_timezone is not None:
        found.extend(setting_zone_diagnostics(default_timezone))
    user_zone = user_zone or availability_zone or default_timezone
    availability_zone = availability_zone or user_zone
    for value, word, (what, flag) in zip((merged_email, given, family), in_file, _NAMED):
        if value is not None and value.strip():
            continue
        if word is not None and value == word.text:
            continue  # an empty name in the file: the checks have said so where it is written
        found.append(missing_name(what, flag if flag in flags else None, user.span if user else None,
                                  from_flag=value is not None))
    if user_zone is None:
        found.append(error(
            "SC202", "no time zone: neither the file nor `--timezone` gives one", None,
            help="add `tz Europe/London` (or your zone) to the file"
                 + (", or pass `--timezone`" if "--timezone" in flags else "")))
    return Identity(merged_email, given, family, user_zone, availability_zone), found


_NAMED = (("e-mail address", "--email"), ("given name", "--given-name"), ("family name", "--family-name"))


def _merge(flag: str, given: Optional[str], word, found: list[Diagnostic]) -> Optional[str]:
    """The file's value (`word`) or the flag's (`given`); SC204 when both are given and differ."""
    if given is not None:
        found.extend(_hidden_in_flag(flag, given))
    if word is None or given is None or given == word.text:
        return word.text if word is not None else given
    found.append(error(
        "SC204", f"`{flag}` value `{given}` contradicts `{word.text}` in the file", word.span,
        help=f"drop `{flag}`, or change the file to say `{given}`"))
    return word.text


@functools.lru_cache(maxsize=64)
def _flag_diagnostics(flag: str, value: str) -> tuple[Diagnostic, ...]:
    """What is wrong with an `--email` or `--timezone` value: the same for every file of a run,
    so worked out once per value."""
    found = email_diagnostics(value, None, flag=flag) if flag == "--email" else zone_diagnostics(value, None)
    return tuple(Diagnostic(d.code, d.severity, f"{d.message} (from `{flag}`)", None, d.help) for d in found)



@functools.lru_cache(maxsize=64)
def setting_zone_diagnostics(value: str) -> tuple[Diagnostic, ...]:
    """What the `timezone` setting's zone draws where it fills in for a file that names none:
    what `tz VALUE` in the file or `--timezone VALUE` would draw (a legacy alias is SC123, an
    `Etc/GMT±N` zone SC124), so no way of giving the zone passes one the others warn about."""
    return tuple(Diagnostic(d.code, d.severity, f"{d.message} (from the `timezone` setting)", None, d.help)
                 for d in zone_diagnostics(value, None))


@functools.lru_cache(maxsize=64)
def _hidden_in_flag(flag: str, value: str) -> tuple[Diagnostic, ...]:
    """SC005 when a flag's value holds a character that cannot be seen (once per value)."""
    hidden = find_hidden(value)
    if hidden is None:
        return ()
    return (error("SC005", f"`{flag}` holds {describe_character(hidden.group())}, which cannot be seen",
                  None, help=f"give `{flag}` again, typed by hand"),)
