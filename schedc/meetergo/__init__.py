"""Creating users on meetergo: the HTTP client (`client`), pacing and backoff (`pacing`),
server rejections mapped back to source lines (`rejections`) and a local stand-in for the API
(`sandbox`).

The client's public names are available here (`schedc.meetergo.submit`, `schedc.meetergo.Created`, …).
They load on first use, because importing the client imports httpx, which `pacing` and
`sandbox` do not need.
"""

from __future__ import annotations

_CLIENT = frozenset({
    "DEFAULT_BASE_URL", "DEFAULT_JOURNAL", "PAT_REFUSED", "AlreadyExists", "ApiKey", "BatchOptions", "Changed",
    "Created", "Failed", "FieldError", "HolidayStep", "Item", "Journal", "NotSent", "Outcome", "Pacer", "Rejected",
    "Result", "Skipped", "SubmitError", "Watch", "body_hash", "check_base_url", "describe_holiday", "describe_request",
    "journal_fields",
    "key_from_environment", "request_body", "submit", "submit_async", "submit_batch",
    "USER_HEADER", "Answer", "Reply", "async_client", "call_async", "found_ids", "list_users_async", "settle",
    "journal_pacer", "server_id",
})


def __getattr__(name: str):
    if name in _CLIENT:
        from . import client

        value = getattr(client, name)  # the journal's and the errors' names too: client imports them
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = sorted(_CLIENT)
