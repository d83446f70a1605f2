"""The one error of the submit package: the tool cannot do its job (kept apart so that the
journal, which raises it, needs no HTTP client)."""

from __future__ import annotations


class SubmitError(Exception):
    """The tool cannot do its job: no usable key, an unsafe base URL, an unusable journal."""

    def __init__(self, message: str, kind: str = "tool"):
        super().__init__(message)
        self.kind = kind


__all__ = ["SubmitError"]
