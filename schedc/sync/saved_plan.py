"""A plan saved by `schedc plan -o PLANFILE`, for `schedc apply PLANFILE` and `schedc show PLANFILE`.

One JSON document. It names what the plan was made from, so that applying it can refuse when
any of that changed since: each file (its path and the SHA-256 of its bytes), the state (its
path and serial) and the base URL; for a plan made with `--refresh`, a SHA-256 per user of the
fields read from the server. Then each entry of the plan, as `plan --json` prints it. It holds
no key: nothing in it comes from the environment or the key file.

```json
{"format": "schedc-plan", "version": 1, "base": "https://api.meetergo.com",
 "state": {"path": ".schedc-state.json", "serial": 7}, "refreshed": false, "scope": ["team"],
 "files": [{"path": "team/ana.sched", "sha256": "…"}], "live": {},
 "entries": [{"file": "team/ana.sched", "email": "ana@example.com", "action": "update", …}]}
```

Its paths are relative to the plan file's folder, so `schedc apply PLANFILE` and `schedc show
PLANFILE` read it alike from any directory.

Standard library only.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Optional

FORMAT = "schedc-plan"
VERSION = 1


class PlanError(Exception):
    """A plan file that cannot be read, or that no longer matches what it was made from."""


def digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def live_digest(fields: dict) -> str:
    """The fields read from the server for one user (`plan.availability_fields` and the like)."""
    flat = {f"{part}.{name}": value for (part, name), value in fields.items()}
    return digest(json.dumps(flat, sort_keys=True, ensure_ascii=False).encode("utf-8"))


def build(*, name: str, base: str, state_path: str, serial: int, refreshed: bool, scope, targets,
          live: Optional[dict], entries) -> dict:
    """The plan to save as `name`. Every path in it (the state, the scope, the files, the entries')
    is written relative to the plan's own folder, so that it is applied alike from any directory."""
    from ..files import folder_of, written_from

    folder = folder_of(name)

    def here(path: str) -> str:
        return written_from(path, folder)

    return {"format": FORMAT, "version": VERSION, "base": base,
            "state": {"path": here(state_path), "serial": serial},
            "refreshed": refreshed, "scope": [here(p) for p in scope],
            "files": [{"path": here(t.file), "sha256": digest(t.data)} for t in targets],
            "live": {email: live_digest(fields) for email, fields in sorted((live or {}).items())},
            "entries": [{**e.as_json(), "file": here(e.file)} for e in entries]}


def dumps(plan: dict) -> str:
    from ..secrets import json_file

    return json_file(plan, indent=2) + "\n"


def looks_like_plan(data: bytes) -> bool:
    """Whether `data` is (meant to be) a saved plan rather than a schedule."""
    head = data.lstrip()[:200]
    return head.startswith(b"{") and b'"format"' in head and FORMAT.encode() in head


def loads(data: bytes, name: str) -> dict:
    """The plan in `data`; PlanError says what is wrong with it."""
    try:
        plan = json.loads(data)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise PlanError(f"`{name}` is not a saved plan: it is not valid JSON") from None
    if not isinstance(plan, dict) or plan.get("format") != FORMAT:
        raise PlanError(f"`{name}` is not a saved plan (write one with `schedc plan -o {name} PATH…`)")
    if plan.get("version") != VERSION:
        raise PlanError(f"the plan `{name}` has version {plan.get('version')!r}; this schedc reads version "
                        f"{VERSION}")
    problem = _shape_problem(plan)
    if problem:
        raise PlanError(f"the plan `{name}` is damaged: {problem}; make it again with `schedc plan -o`")
    from ..files import folder_of, read_from  # its paths, relative to its folder → as this run names them

    folder = folder_of(name)
    plan["state"]["path"] = read_from(plan["state"]["path"], folder)
    plan["scope"] = [read_from(p, folder) for p in plan["scope"]]
    for item in plan["files"] + plan["entries"]:
        key = "path" if "path" in item else "file"
        item[key] = read_from(item[key], folder)
    return plan


def _shape_problem(plan: dict) -> Optional[str]:
    state = plan.get("state")
    if not isinstance(plan.get("base"), str):
        return "`base` is not a string"
    if not (isinstance(state, dict) and isinstance(state.get("path"), str) and isinstance(state.get("serial"), int)):
        return "`state` is not as schedc writes it"
    if not isinstance(plan.get("refreshed"), bool):
        return "`refreshed` is not true or false"
    if not (isinstance(plan.get("scope"), list) and all(isinstance(p, str) for p in plan["scope"])):
        return "`scope` is not a list of paths"
    files = plan.get("files")
    if not (isinstance(files, list) and all(isinstance(f, dict) and isinstance(f.get("path"), str)
                                            and isinstance(f.get("sha256"), str) for f in files)):
        return "`files` is not as schedc writes it"
    live = plan.get("live")
    if not (isinstance(live, dict) and all(isinstance(v, str) for v in live.values())):
        return "`live` is not as schedc writes it"
    entries = plan.get("entries")
    if not (isinstance(entries, list) and all(_entry_ok(e) for e in entries)):
        return "`entries` is not as schedc writes it"
    return None


def _entry_ok(entry: Any) -> bool:
    return (isinstance(entry, dict) and isinstance(entry.get("file"), str) and isinstance(entry.get("email"), str)
            and entry.get("action") in ("create", "update", "none") and isinstance(entry.get("changes"), list)
            and isinstance(entry.get("notes") or [], list)
            and all(_change_ok(c) for c in entry["changes"] + (entry.get("notes") or [])))


def _change_ok(change: Any) -> bool:
    """A change as `plan --json` writes it: `part` and `field` are strings, and so is `reason`
    when there is one (`from` and `to` are values of any JSON type)."""
    return (isinstance(change, dict) and isinstance(change.get("part"), str) and isinstance(change.get("field"), str)
            and isinstance(change.get("reason", "file"), str))


def entries_of(plan: dict) -> list:
    """The plan's entries as `plan.Entry` objects (to print them as `schedc plan` does)."""
    from .plan import Change, Entry

    def change(c: dict) -> Change:
        return Change(c["part"], c["field"], c.get("from"), c.get("to"), c.get("reason", "file"))

    return [Entry(e["file"], e["email"], e["action"], [change(c) for c in e["changes"]],
                  [change(c) for c in e.get("notes") or ()], gone=e.get("reason") == "not-in-repo")
            for e in plan["entries"]]


__all__ = ["FORMAT", "PlanError", "VERSION", "build", "digest", "dumps", "entries_of", "live_digest", "loads",
           "looks_like_plan"]
