"""A dashboard whose terminal went away ends with its own exit code (129), whatever output
was still buffered for that terminal."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

# Run on the slave side of a pty: buffer some output, wait until the window is gone (the
# master closed), then end as the dashboard does.
PROGRAM = r"""
import os, sys
sys.stderr.write("last frame")  # no newline: stays buffered
os.write(int(sys.argv[1]), b"r")
os.read(int(sys.argv[2]), 1)
if sys.argv[3] == "drop":
    from espace_tui.tui.terminal_watch import drop_pending_output
    drop_pending_output()
raise SystemExit(129)
"""


def exit_code_after_the_window_goes(how: str) -> int:
    master, slave = os.openpty()
    ready_read, ready_write = os.pipe()
    gone_read, gone_write = os.pipe()
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"}  # buffered
    program = subprocess.Popen(
        [sys.executable, "-c", PROGRAM, str(ready_write), str(gone_read), how],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        pass_fds=(ready_write, gone_read),
        env=env,
        start_new_session=True,
    )
    try:
        os.close(slave)
        assert os.read(ready_read, 1) == b"r"
        os.close(master)  # the window is closed
        os.write(gone_write, b"g")
        return program.wait(timeout=60)
    finally:
        if program.poll() is None:
            program.kill()
        for fd in (ready_read, ready_write, gone_read, gone_write):
            os.close(fd)


@pytest.mark.parametrize(("how", "code"), [("keep", 120), ("drop", 129)])
def test_output_left_for_a_gone_terminal_does_not_change_the_exit_code(how: str, code: int) -> None:
    # "keep" shows the trap: Python's last flush fails (EIO) and it exits 120.
    assert exit_code_after_the_window_goes(how) == code
