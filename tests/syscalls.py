"""Record, or make fail, the system calls a save makes: write, fsync, replace.

SIGKILL leaves the page cache intact, so only the order of these calls shows that a save
would survive a power cut: the bytes written, then the temporary file fsynced, then renamed
over the data file, then the folder fsynced (or the rename itself may be lost).
The recorder wraps the `os` functions the store calls, so it does not depend on how the
store is written, only on what reaches the system.
"""

from __future__ import annotations

import errno
import io
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest


def fd_path(fd: int) -> Path:
    return Path(os.readlink(f"/proc/self/fd/{fd}"))


@dataclass(frozen=True)
class Call:
    name: str  # "write", "fsync_file", "fsync_dir" or "replace"
    path: Path  # the file written or fsynced, the folder fsynced, the rename's target
    source: Path | None = None  # replace: the file renamed
    content: bytes = b""  # fsync_file: what the file held when it was fsynced

    @property
    def folder(self) -> Path:
        return self.path if self.name == "fsync_dir" else self.path.parent


@dataclass
class SyscallRecorder:
    """Records the calls in order; `fail_when(call)` returning an errno makes that call fail."""

    calls: list[Call] = field(default_factory=list)
    fail_when: Callable[[Call], int | None] = lambda call: None
    failed: list[Call] = field(default_factory=list)

    def _check(self, call: Call) -> None:
        code = self.fail_when(call)
        if code is not None:
            self.failed.append(call)
            raise OSError(code, os.strerror(code), str(call.path))
        self.calls.append(call)

    def install(self, monkeypatch: pytest.MonkeyPatch) -> SyscallRecorder:
        real_fsync, real_replace, real_rename = os.fsync, os.replace, os.rename
        real_fdopen, real_write = os.fdopen, os.write

        def fsync(fd: Any) -> None:
            number = fd if isinstance(fd, int) else fd.fileno()
            path = fd_path(number)
            if stat.S_ISDIR(os.fstat(number).st_mode):
                self._check(Call("fsync_dir", path))
            else:
                self._check(Call("fsync_file", path, content=path.read_bytes()))
            real_fsync(fd)

        def replace(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
            self._check(Call("replace", Path(os.fsdecode(dst)), source=Path(os.fsdecode(src))))
            real_replace(src, dst, *args, **kwargs)

        def rename(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
            self._check(Call("replace", Path(os.fsdecode(dst)), source=Path(os.fsdecode(src))))
            real_rename(src, dst, *args, **kwargs)

        def write(fd: int, data: Any) -> int:
            self._check(Call("write", fd_path(fd)))
            return real_write(fd, data)

        recorder = self

        class RecordingFile(io.FileIO):
            def write(self, data: Any) -> int:
                recorder._check(Call("write", fd_path(self.fileno())))
                return super().write(data)

        def fdopen(fd: int, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
            if "b" in mode and "w" in mode and not args and not kwargs:
                # Buffered like the real one: bytes reach the system on flush, not before.
                return io.BufferedWriter(RecordingFile(fd, "wb", closefd=True))
            return real_fdopen(fd, mode, *args, **kwargs)

        monkeypatch.setattr(os, "fsync", fsync)
        monkeypatch.setattr(os, "replace", replace)
        monkeypatch.setattr(os, "rename", rename)
        monkeypatch.setattr(os, "fdopen", fdopen)
        monkeypatch.setattr(os, "write", write)
        return self

    def about(self, folder: Path) -> list[Call]:
        """The calls on files directly in `folder` (the data folder, or the backups')."""
        return [c for c in self.calls if c.folder == folder]


def fails_on(name: str, folder: Path, code: int = errno.EIO) -> Callable[[Call], int | None]:
    """Fail every call `name` on a file of `folder` (never in another folder)."""

    def decide(call: Call) -> int | None:
        return code if call.name == name and call.folder == folder else None

    return decide
