"""meetergo's API as schedc uses it: the contract (`contract`: every call, its fields and the
assumptions it rests on), the key and the base URL (`key`), the requests (`client`) and what
became of them (`outcomes`), attempts and deadlines (`retries`), pacing (`pacer`, over the
arithmetic of `pacing`), the journal (`journal`), server rejections mapped back to source lines
(`rejections`) and a local stand-in for the API (`sandbox`).

The public names are available here (`schedc.meetergo.submit`, `schedc.meetergo.Created`, …).
They load on first use: the client imports httpx, which `pacing` and `sandbox` do not need.
"""

from __future__ import annotations

_PUBLIC = {
    "key": ("DEFAULT_BASE_URL", "PAT_REFUSED", "ApiKey", "check_base_url", "key_from_environment"),
    "outcomes": ("AlreadyExists", "Created", "Failed", "FieldError", "Outcome", "Rejected", "Watch"),
    "pacer": ("Pacer", "journal_pacer"),
    "retries": ("async_client",),
    "journal": ("Journal",),
    "pacing": ("Backoff",),
    "errors": ("SubmitError",),
    "client": ("DEFAULT_JOURNAL", "BatchOptions", "Changed", "HolidayStep", "Item", "NotSent", "Result", "Skipped",
               "body_hash", "describe_holiday", "describe_request", "journal_fields", "request_body", "submit",
               "submit_async", "submit_batch", "USER_HEADER", "Answer", "Reply", "call_async", "found_ids",
               "list_users_async", "settle", "server_id"),
}
_HOME = {name: module for module, names in _PUBLIC.items() for name in names}


def __getattr__(name: str):
    if name in _HOME:
        import importlib

        value = getattr(importlib.import_module(f".{_HOME[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = sorted(_HOME)
