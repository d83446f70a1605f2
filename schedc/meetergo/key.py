"""The key and where it may be sent: an `ApiKey` never shows itself, and the base URL is https,
or plain http to a loopback address only. No httpx here: a command checks its key and URL
before it loads the HTTP stack."""

from __future__ import annotations

import ipaddress
import os
from typing import Optional, Union
from urllib.parse import urlsplit

from ..secrets import remember
from .errors import SubmitError


DEFAULT_BASE_URL = "https://api.meetergo.com"


PAT_REFUSED = ("this is a personal access token (`rgo-…`), and personal tokens cannot create users: "
               "use a Platform API Key (`ak_live:<uuid>:<secret>`), created by a company owner or admin "
               "under Settings → API")


# ---- the key
class ApiKey:
    """An API key that never shows itself: repr and str are redacted, and it does not pickle."""

    __slots__ = ("_secret",)

    def __init__(self, secret: str):
        secret = secret.strip()
        if not secret:
            raise SubmitError("the API key is empty", kind="key")
        remember(secret)  # whatever happens next, no printed line shows it
        if secret.lower().startswith("rgo-"):
            raise SubmitError(PAT_REFUSED, kind="key")
        if any(not 33 <= ord(c) <= 126 for c in secret):
            raise SubmitError("the API key contains spaces, control or non-ASCII characters", kind="key")
        object.__setattr__(self, "_secret", secret)

    def __setattr__(self, name, value):
        raise AttributeError("an ApiKey cannot be changed")

    def __repr__(self) -> str:
        return "ApiKey(<redacted>)"

    __str__ = __repr__

    def __reduce__(self):
        raise TypeError("an ApiKey is not pickled")

    def authorization(self) -> str:
        """The value of the Authorization header. The only way to read the secret."""
        return f"Bearer {self._secret}"


def as_key(key: Union[str, ApiKey]) -> ApiKey:
    return key if isinstance(key, ApiKey) else ApiKey(key)


def key_from_environment(environ=os.environ, path: Optional[str] = None, limit: Optional[int] = None) -> ApiKey:
    """The key from a file (when `path` is given; a regular file of at most `limit` bytes) or
    from MEETERGO_API_KEY."""
    if path is not None:
        from ..files import DEFAULT_LIMIT, read

        try:
            return ApiKey(read(path, limit or DEFAULT_LIMIT).decode("utf-8"))
        except OSError as exc:
            raise SubmitError(f"cannot read the API key file `{path}`: {exc.strerror or exc}", kind="key") from None
        except UnicodeDecodeError:
            raise SubmitError(f"the API key file `{path}` is not UTF-8 text", kind="key") from None
    value = environ.get("MEETERGO_API_KEY")
    if not value or not value.strip():
        raise SubmitError("no API key: set MEETERGO_API_KEY or pass --api-key-file PATH", kind="key")
    return ApiKey(value)


# ---- where to send
def check_base_url(url: str) -> str:
    """The base URL without a trailing slash; refuses plain http except to a loopback host."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SubmitError(f"`{url}` is not an http(s) URL", kind="url")
    if parts.username or parts.password:
        raise SubmitError("the base URL must not carry a user name or password", kind="url")
    if parts.query or parts.fragment:
        raise SubmitError(f"the base URL `{url}` must not have a query or fragment", kind="url")
    if parts.scheme == "http" and not _loopback(parts.hostname):
        raise SubmitError(f"refusing plain http to `{parts.hostname}`: the key would cross the network "
                          "unencrypted (http is allowed only to localhost)", kind="url")
    return url.strip().rstrip("/")


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


__all__ = ["ApiKey", "DEFAULT_BASE_URL", "PAT_REFUSED", "as_key", "check_base_url", "key_from_environment"]
