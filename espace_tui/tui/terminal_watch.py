"""Whether the dashboard's terminal has gone away (no Textual here).

A terminal closed under a program it controls sends it SIGHUP and the program ends. A
dashboard started without a controlling terminal (a launcher, a service, `setsid`) gets no
signal: its input then reads end-of-file forever, and it would spin at full CPU, holding the
instance lock, for nobody. Polling the terminal once a second catches the hang-up.
"""

from __future__ import annotations

import contextlib
import os
import select
import sys

GONE = select.POLLHUP | select.POLLERR | select.POLLNVAL


def terminal_fd() -> int | None:
    """The terminal the dashboard reads its keys from, if it is one."""
    stream = sys.__stdin__
    try:
        fd = stream.fileno() if stream is not None else -1
    except (OSError, ValueError):  # closed, or not a real file
        return None
    return fd if fd >= 0 and os.isatty(fd) else None


def hung_up(fd: int) -> bool:
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    return any(event & GONE for _, event in poller.poll(0))


def drop_pending_output() -> None:
    """The terminal is gone: what is still buffered for it (Textual's last writes) would fail
    to flush as Python ends (EIO), and Python would then exit 120 instead of the code given.
    It goes to /dev/null instead."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        for stream in (sys.__stdout__, sys.__stderr__):
            with contextlib.suppress(OSError, ValueError, AttributeError):
                os.dup2(devnull, stream.fileno())  # type: ignore[union-attr]
    finally:
        os.close(devnull)
