"""Reliability suite helpers: forked writers, and figures printed at the end of the run.

Each test records what it measured (kills survived, writes checked, inputs tried, bytes
lost) with the `figures` fixture; the lines are printed in the terminal summary whether or
not pytest captures output, so the closing note can quote them.
"""

from __future__ import annotations

import os
import signal
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest


@pytest.fixture
def figures(request: pytest.FixtureRequest) -> Callable[[str], None]:
    """Record one line; tests/conftest.py prints them (also from pytest-xdist workers)."""

    def record(line: str) -> None:
        request.node.user_properties.append(("figures", line))

    return record


class Child:
    """A forked process running `body`; it reports through a pipe and is killed at will."""

    def __init__(self, body: Callable[[int], None]) -> None:
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never return into pytest
            code = 0
            try:
                os.close(read_fd)
                body(write_fd)
            except BaseException:
                traceback.print_exc()  # shown by pytest as the test's captured stderr
                code = 1
            finally:
                os._exit(code)
        os.close(write_fd)
        self.pid = pid
        self._read_fd = read_fd
        self._seen = b""  # what `expect` has read so far

    def kill(self) -> None:
        os.kill(self.pid, signal.SIGKILL)

    def wait(self) -> int:
        _, status = os.waitpid(self.pid, 0)
        return status

    def expect(self, word: bytes) -> None:
        """Block until the child writes `word` to the pipe (it says it reached a point)."""
        start = len(self._seen)
        while word not in self._seen[start:]:
            chunk = os.read(self._read_fd, 4096)
            assert chunk, f"the child ended before saying {word!r} (said {self._seen!r})"
            self._seen += chunk

    def output(self) -> str:
        """Everything the child wrote to the pipe (call after it ended)."""
        chunks = [self._seen]
        while chunk := os.read(self._read_fd, 65536):
            chunks.append(chunk)
        os.close(self._read_fd)
        return b"".join(chunks).decode()


@pytest.fixture
def fork_child() -> Iterator[Callable[[Callable[[int], None]], Child]]:
    children: list[Child] = []

    def start(body: Callable[[int], None]) -> Child:
        child = Child(body)
        children.append(child)
        return child

    yield start
    for child in children:  # a failed test must not leave writers running
        try:
            child.kill()
            child.wait()
        except (ProcessLookupError, ChildProcessError):
            pass


def tmp_files(folder: Path) -> list[Path]:
    return sorted(folder.glob(".*.tmp"))
