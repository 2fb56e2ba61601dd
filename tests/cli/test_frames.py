"""Frames between the two processes of a split listing: in order, whole, and a reader gone
is said (PeerGone), never a hang or a half frame taken for a whole one."""

from __future__ import annotations

import os
import threading

import pytest

from espace_tui.cli.frames import FrameSender, PeerGone, read_frame, receive_object, send_object


def test_frames_arrive_whole_and_in_order_while_the_sender_runs_ahead() -> None:
    read_end, write_end = os.pipe()
    pieces = [bytes([i % 251]) * (i * 7919 % 300_000 + 1) for i in range(40)]
    sender = FrameSender(write_end, ahead=8)
    got: list[bytes] = []
    with os.fdopen(read_end, "rb") as source:
        reader = threading.Thread(
            target=lambda: got.extend(iter(lambda: read_frame(source), b"")), daemon=True
        )
        reader.start()
        for piece in pieces:
            sender.put(piece)
        sender.put(b"")  # the end of the series
        sender.close()
        reader.join()
    assert got == pieces


def test_objects_round_trip() -> None:
    read_end, write_end = os.pipe()
    with os.fdopen(read_end, "rb") as source, os.fdopen(write_end, "wb") as out:
        send_object(out, ([(1, 2.5, "nom", 0, 3)], [552081317]))
        assert receive_object(source) == ([(1, 2.5, "nom", 0, 3)], [552081317])


def test_a_pipe_closed_mid_frame_is_peer_gone() -> None:
    read_end, write_end = os.pipe()
    os.write(write_end, (100).to_bytes(8, "little") + b"only part")
    os.close(write_end)
    with os.fdopen(read_end, "rb") as source, pytest.raises(PeerGone):
        read_frame(source)


def test_a_reader_gone_stops_the_sender() -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)
    sender = FrameSender(write_end, ahead=2)
    with pytest.raises(PeerGone):
        for _ in range(1000):  # the writer thread fails, then a put or the close says so
            sender.put(b"x" * 4096)
        sender.close()
