"""`schedc doctor`: check a key and the API before anything is written.

Read-only: the only requests are `GET /v4/user/me` and `GET /v4/user`. It checks the base URL
(https, or plain http to a loopback address only), the key's kind (a Platform API Key, not a
personal token), that the server accepts the key and whom it acts as, and that the key may list
the company's users; then it prints every assumption of the API contract, each with the section
of the reference it leans on, since those can only be seen to hold by writing.

Exit codes: 0 every check passed; 1 a check failed; 2 doctor could not run (no key, an
unreadable key file, the API did not answer).
"""

from __future__ import annotations

import os
import sys

from .exits import EXIT_INPUT, EXIT_OK, EXIT_TOOL, Stop


class Checks:
    """The lines of the report, and whether any check failed."""

    def __init__(self):
        self.failed = 0
        self.passed = 0

    def line(self, outcome: str, name: str, text: str, cites: str) -> None:
        from ..secrets import redact
        from ..compiler.words import visible

        if outcome == "fail":
            self.failed += 1
        elif outcome == "ok":
            self.passed += 1
        print(redact(visible(f"{outcome:<5} {name:<12} {text}  ({cites})")), flush=True)


def run(args) -> int:
    from .. import meetergo
    from ..meetergo import contract
    from ..meetergo.pacing import Backoff
    from .sandbox import socket_errors_not_signals

    from .settings import settings_for

    settings = settings_for(args)  # found from the current directory: the key file is read under its max-input-size
    socket_errors_not_signals()
    checks = Checks()
    url = args.base_url or os.environ.get("MEETERGO_BASE_URL") or meetergo.DEFAULT_BASE_URL
    key, kind = None, "personal"
    try:
        key = meetergo.key_from_environment(path=args.api_key_file, limit=settings["max-input-size"])
    except meetergo.SubmitError as exc:
        if str(exc) != meetergo.PAT_REFUSED:
            raise Stop(EXIT_TOOL, f"error: {exc}") from None  # no key to check: doctor cannot run
    if key is not None:
        kind = contract.key_kind(key.authorization()[len("Bearer "):])
    base = None
    try:
        base = meetergo.check_base_url(url)
    except meetergo.SubmitError as exc:
        checks.line("fail", "base URL", str(exc), "§1")
    else:
        how = "https" if base.startswith("https:") else "plain http, allowed to a loopback address only"
        checks.line("ok", "base URL", f"{base}: {how}", "§1")
    where = f"from `{args.api_key_file}`" if args.api_key_file else "from MEETERGO_API_KEY"
    if kind == "platform":
        checks.line("ok", "key kind", f"a Platform API Key (`ak_live:…`), {where}", "§2")
    elif kind == "personal":
        checks.line("fail", "key kind", f"a personal access token (`rgo-…`), {where}: it cannot create or update "
                                        "users; use a Platform API Key (`ak_live:<uuid>:<secret>`) made by a company "
                                        "owner or admin", "§2")
    else:
        checks.line("fail", "key kind", f"not a Platform API Key (`ak_live:<uuid>:<secret>`), {where}", "§2")
    if base is None or key is None:
        reason = "no base URL to send to" if base is None else "no key schedc would send"
        for name, endpoint in (("acting user", contract.ME), ("user list", contract.LIST_USERS)):
            checks.line("skip", name, f"{endpoint.method} {endpoint.path}: not sent ({reason})", endpoint.cites)
    else:
        from ..meetergo import event_loop

        backoff = Backoff(attempts=args.attempts, base=args.backoff)
        event_loop.run(_ask(checks, meetergo, contract, key, base, args.timeout, backoff))
    _assumptions(contract)
    total = checks.passed + checks.failed
    if checks.failed:
        print(f"doctor: {checks.failed} of {total} checks failed; nothing was written", file=sys.stderr)
        return EXIT_INPUT
    print(f"doctor: all {total} checks passed; nothing was written", file=sys.stderr)
    return EXIT_OK


async def _ask(checks: Checks, meetergo, contract, key, base: str, timeout: float, backoff) -> None:
    """`GET /v4/user/me`, then `GET /v4/user`, each one check."""
    async with meetergo.async_client(1, timeout) as client:
        refused = ""
        for name, endpoint in (("acting user", contract.ME), ("user list", contract.LIST_USERS)):
            said = f"{endpoint.method} {endpoint.path}"
            if refused:
                checks.line("skip", name, f"{said}: not sent ({refused})", endpoint.cites)
                continue
            answer = await meetergo.call_async(endpoint, api_key=key, base_url=base, timeout=timeout, backoff=backoff,
                                        client=client)
            if isinstance(answer, meetergo.Failed):
                raise Stop(EXIT_TOOL, f"error: {said}: no answer after {answer.attempts} attempt"
                                      f"{'' if answer.attempts == 1 else 's'}: {answer.reason}")
            if isinstance(answer, meetergo.Rejected):
                hint = {401: ": the key is not accepted (mistyped, expired, deactivated or revoked)",
                        403: ": the key may not do this"}.get(answer.status, "")
                checks.line("fail", name, f"{said}: HTTP {answer.status} {answer.message}{hint}", endpoint.cites)
                refused = "the key was refused" if answer.status == 401 else ""
                continue
            data = answer.data if isinstance(answer.data, dict) else {}
            if endpoint is contract.ME:
                _me(checks, name, said, data, endpoint)
            else:
                _listed(checks, name, said, data, endpoint)


def _missing(data: dict, endpoint, names: tuple) -> list[str]:
    documented = {f.path for f in endpoint.response if f.documented}
    return [n for n in names if n in documented and data.get(n) in (None, "")]


def _me(checks: Checks, name: str, said: str, data: dict, endpoint) -> None:
    missing = _missing(data, endpoint, ("id", "email"))
    if missing:
        checks.line("fail", name, f"{said}: 200, but the answer has no {' or '.join(f'`{m}`' for m in missing)}",
                    endpoint.cites)
        return
    admin = {True: ", a company admin", False: ", not a company admin (creating users needs one)"}.get(
        data.get("isAdmin"), "")
    checks.line("ok" if data.get("isAdmin") is not False else "fail", name,
                f"{said}: 200, the key acts as {data['email']} (id {data['id']}){admin}", endpoint.cites)


def _listed(checks: Checks, name: str, said: str, data: dict, endpoint) -> None:
    users = data.get("users")
    if not isinstance(users, list):
        checks.line("fail", name, f"{said}: 200, but the answer has no `users` list", endpoint.cites)
        return
    checks.line("ok", name, f"{said}: 200, {len(users)} user{'' if len(users) == 1 else 's'} on the first page",
                endpoint.cites)


def _assumptions(contract) -> None:
    print("\nnot checked: what schedc assumes where the API reference is silent (doctor only reads)")
    for assumption in contract.ASSUMPTIONS:
        print(f"  {contract.describe(assumption)}")


__all__ = ["run"]
