"""Textual's Linux driver with an input thread that sleeps until a key comes.

Textual's input thread wakes ten times a second, whether or not anything was typed, only to
time out a lone Escape (it may be the start of a key's escape sequence): about 1.5 ms of CPU
a second, half of what an idle dashboard cost. This thread waits for input without a timeout
unless an Escape is pending, and a pipe wakes it when Textual stops it (quit, suspend).

The loop is Textual 8.2's (`LinuxDriver.run_input_thread`, pinned in pyproject.toml) with
those two changes; when the parser no longer says whether an Escape is pending, it polls ten
times a second as Textual does.

It also says when the terminal hangs up (its window closed under a dashboard that gets no
SIGHUP, see terminal_watch.py): the keyboard then reads end-of-file, and Textual's loop would
spin on it. The thread stops reading and posts TerminalGone; nothing has to look for it.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import threading
from codecs import getincrementaldecoder
from collections.abc import Callable
from typing import Any

from textual._loop import loop_last
from textual._parser import ParseError
from textual._time import get_time
from textual._xterm_parser import XTermParser
from textual.drivers.linux_driver import LinuxDriver
from textual.message import Message

from espace_tui.tui.terminal_watch import hung_up

# Textual's own period, when the parser cannot tell.
POLL = 0.1


class WakingEvent(threading.Event):
    """An Event that also wakes the input thread's select when set."""

    def __init__(self, wake: Callable[[], None]) -> None:
        super().__init__()
        self._wake = wake

    def set(self) -> None:
        super().set()
        self._wake()


def input_timeout(parser: XTermParser, now: float) -> float | None:
    """How long the input thread may wait for a key: until a pending Escape times out, or
    for ever (None) when nothing is pending."""
    due = getattr(parser, "_timeout_time", POLL)
    if due is None:
        return None
    if not isinstance(due, float):
        return POLL  # another Textual: poll as it does
    return max(0.0, due - now)


class TerminalGone(Message):
    """The terminal hung up: nobody sees the dashboard any more (the app's
    `on_terminal_gone`)."""


class QuietLinuxDriver(LinuxDriver):
    # The app need not poll the terminal for a hang-up: this driver reports it.
    reports_hang_up = True

    def __init__(self, app: Any, **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        self._wake_read, self._wake_write = os.pipe()
        os.set_blocking(self._wake_read, False)
        os.set_blocking(self._wake_write, False)
        self.exit_event = WakingEvent(self._wake)

    def _wake(self) -> None:
        if self._wake_write < 0:
            return  # closed: Textual stops the input again after closing the driver
        with contextlib.suppress(OSError):  # the pipe is full: already woken
            os.write(self._wake_write, b"\0")

    def _drain_wake(self) -> None:
        with contextlib.suppress(OSError):  # empty (it never blocks)
            while os.read(self._wake_read, 512):
                pass

    def close(self) -> None:
        """Called once the input thread has ended (Textual joins it first)."""
        super().close()
        # Marked closed first: a number closed may be reused by another file at once.
        read_end, write_end = self._wake_read, self._wake_write
        self._wake_read = self._wake_write = -1
        for fd in (read_end, write_end):
            if fd >= 0:
                os.close(fd)

    def run_input_thread(self) -> None:
        """Wait for input and dispatch events (Textual's loop, without its polling)."""
        self._drain_wake()  # a wake left from an earlier stop (suspend, then resume)
        selector = selectors.SelectSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        selector.register(self._wake_read, selectors.EVENT_READ)

        fileno = self.fileno
        EVENT_READ = selectors.EVENT_READ
        is_terminal = os.isatty(fileno)
        reading = True

        parser = XTermParser(self._debug)
        feed = parser.feed
        tick = parser.tick

        decode = getincrementaldecoder("utf-8")().decode
        read = os.read

        def process_selector_events(
            selector_events: list[tuple[selectors.SelectorKey, int]],
            final: bool = False,
        ) -> None:
            nonlocal reading
            for last, (selector_key, mask) in loop_last(selector_events):
                if selector_key.fd != fileno:
                    self._drain_wake()
                    continue
                if mask & EVENT_READ:
                    unicode_data = decode(read(fileno, 1024 * 4), final=final and last)
                    if not unicode_data:
                        if reading and is_terminal and hung_up(fileno):
                            # Only the wake pipe is waited on now (Textual stops the thread).
                            reading = False
                            selector.unregister(fileno)
                            self.send_message(TerminalGone())
                        # This can occur if the stdin is piped
                        break
                    for event in feed(unicode_data):
                        self.process_message(event)
            for event in tick():
                self.process_message(event)

        try:
            while not self.exit_event.is_set():
                process_selector_events(selector.select(input_timeout(parser, get_time())))
            if reading:
                selector.unregister(self.fileno)
                process_selector_events(selector.select(POLL), final=True)

        finally:
            selector.close()
            try:
                for _event in feed(""):
                    pass
            except (EOFError, ParseError):
                pass
