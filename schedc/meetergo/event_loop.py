"""`run`: `asyncio.run` with the Ctrl-C handling Python 3.11 brought, on every Python schedc supports.

From 3.11 on, `asyncio.run` turns the first Ctrl-C into a cancellation of the main task, so the
program stops at its next `await` and never in the middle of a step (a journal line half
written and not yet counted), and raises `KeyboardInterrupt` once everything has unwound. On
3.10 the interrupt lands wherever the interpreter happens to be, and the half-done task then
prints "Task exception was never retrieved" with a traceback. `run` does there what 3.11 does.
"""

from __future__ import annotations

import asyncio
import signal
import sys
import threading
from typing import Any, Coroutine, TypeVar

T = TypeVar("T")


def run(main: Coroutine[Any, Any, T]) -> T:
    """Run `main` in a new event loop and return its result; Ctrl-C cancels it, then raises
    `KeyboardInterrupt` (a second Ctrl-C raises at once)."""
    if (sys.version_info >= (3, 11) or threading.current_thread() is not threading.main_thread()
            or signal.getsignal(signal.SIGINT) is not signal.default_int_handler):
        return asyncio.run(main)
    loop = asyncio.new_event_loop()
    task = loop.create_task(main)
    interrupts = 0

    def on_interrupt(signum, frame) -> None:
        nonlocal interrupts
        interrupts += 1
        if interrupts == 1 and not task.done():
            task.cancel()
            loop.call_soon_threadsafe(lambda: None)  # wake a loop asleep in select()
            return
        raise KeyboardInterrupt()

    signal.signal(signal.SIGINT, on_interrupt)
    try:
        asyncio.set_event_loop(loop)
        return loop.run_until_complete(task)
    except asyncio.CancelledError:
        if interrupts:
            raise KeyboardInterrupt() from None
        raise
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        try:
            _cancel_the_rest(loop)
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.run_until_complete(loop.shutdown_default_executor())
        finally:
            asyncio.set_event_loop(None)
            loop.close()


def _cancel_the_rest(loop: asyncio.AbstractEventLoop) -> None:
    """Cancel the tasks `main` left running and wait for them, as `asyncio.run` does."""
    left = [task for task in asyncio.all_tasks(loop) if not task.done()]
    for task in left:
        task.cancel()
    if left:
        loop.run_until_complete(asyncio.gather(*left, return_exceptions=True))


__all__ = ["run"]
