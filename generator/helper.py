"""A second Python process that does part of a stage's work while this one does the rest (the machines have two
cores): the MkDocs engine builds half of the pages in one (engine.py), the link check (links.py) and the privacy
gate (gate.py) read half of the files in one.

It starts fresh (`python -m <module>`), not forked: a fork would copy the build with every page in memory, which
would then count twice. The task goes in pickled on stdin and the result comes back pickled on stdout. If the
process cannot start or fails, its part is done here, so no work is ever skipped.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import subprocess
import sys
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

Result = TypeVar("Result")


def worth_a_helper(items: int, threshold: int) -> bool:
    """Whether to share work on this many items with a helper: only from `threshold` on (a process costs a few
    tenths of a second to start) and only with a second core to run on."""
    return items >= threshold and _cores() >= 2


def _cores() -> int:
    """The cores this process may run on (the machine's, where the system cannot say: macOS, Windows)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def in_two(module: str, work: Callable[..., list], items: list, threshold: int, *context: Any) -> list:
    """`work(items, *context)` – a list of tuples, each led by the item it concerns – shared with a helper from
    `threshold` items on: every other item is done there. The results come back in the order of `items`, a result's
    own order kept, exactly as one process would give them."""
    if not worth_a_helper(len(items), threshold):
        return work(items, *context)
    helper = Helper(module, work, (items[1::2], *context))
    found = work(items[0::2], *context) + helper.result()
    order = {item: index for index, item in enumerate(items)}
    return sorted(found, key=lambda result: order[result[0]])  # stable


class Helper(Generic[Result]):
    """`work(*task)` in a fresh `python -m module`, whose `__main__` block calls `serve(work)`."""

    def __init__(self, module: str, work: Callable[..., Result], task: tuple[Any, ...]):
        self.work, self.task = work, task
        try:
            self.process: subprocess.Popen | None = subprocess.Popen(
                [sys.executable, "-m", module], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL)
        except OSError:
            self.process = None
            return
        threading.Thread(target=self._send, daemon=True).start()  # a full pipe must not block this process

    def _send(self) -> None:
        with contextlib.suppress(OSError):
            self.process.stdin.write(pickle.dumps(self.task))
            self.process.stdin.close()

    def result(self) -> Result:
        """The helper's result once it has finished; the work done here if it failed."""
        if self.process is not None:
            output = self.process.stdout.read()
            self.process.stdout.close()
            if self.process.wait() == 0:
                with contextlib.suppress(pickle.UnpicklingError, EOFError):
                    return pickle.loads(output)  # noqa: S301 (our own child process)
        return self.work(*self.task)


def serve(work: Callable[..., Any]) -> None:
    """The helper's side: read the task from stdin, do it, write the result to stdout. Anything the work itself
    prints goes to stderr, so that it cannot garble the result."""
    task = pickle.loads(sys.stdin.buffer.read())  # noqa: S301 (from our own build)
    result, sys.stdout = sys.stdout.buffer, sys.stderr
    result.write(pickle.dumps(work(*task)))
    result.flush()
