"""`schedc show PLANFILE`: print a plan saved by `schedc plan -o`, as `schedc plan` printed it.

Exit codes: 0 shown; 2 the file cannot be read or is not a saved plan. Sends nothing and
needs no key.
"""

from __future__ import annotations

from .exits import EXIT_OK, EXIT_TOOL, Stop
from .planning import count_plan, entry_text, plan_summary, tell


def run(args) -> int:
    from ..sync import saved_plan
    from ..files import GROWING, read
    from ..secrets import json_text
    from .inputs import os_reason
    from .settings import settings_for

    settings = settings_for(args)  # found from the plan's folder: its `max-input-size`, as `apply PLANFILE` reads it
    try:
        data = read(args.planfile, GROWING * settings["max-input-size"])
    except OSError as exc:
        raise Stop(EXIT_TOOL, f"error: cannot read `{args.planfile}`: {os_reason(exc)}") from None
    try:
        plan = saved_plan.loads(data, args.planfile)
    except saved_plan.PlanError as exc:
        raise Stop(EXIT_TOOL, f"error: {exc}") from None
    entries = saved_plan.entries_of(plan)
    out = []
    for raw, entry in zip(plan["entries"], entries):
        out.append(json_text(raw) if args.json else entry_text(entry))
    if out:
        from ..secrets import redact
        from ..compiler.words import visible

        print(redact(visible("\n".join(out)), shapes=True), flush=True)
    files = len(plan["files"])
    tell(f"{plan_summary(count_plan(entries))}; made from {files} file{'' if files == 1 else 's'} and the state "
         f"`{plan['state']['path']}` (serial {plan['state']['serial']}) for {plan['base']}, "
         + ("with the server read (--refresh)" if plan["refreshed"] else "without reading the server"))
    return EXIT_OK
