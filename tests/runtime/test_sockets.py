"""Listening sockets of N workers on one port: per-connection spread, or per client address."""

from __future__ import annotations

import contextlib
import select
import socket
from collections import Counter
from collections.abc import Iterator

import pytest

from workbench.runtime.sockets import (
    client_address_program,
    listening_socket,
    reserve_port,
    steer_by_client_address,
)

pytestmark = pytest.mark.skipif(not hasattr(socket, "SO_REUSEPORT"), reason="no SO_REUSEPORT")


@contextlib.contextmanager
def group(workers: int, steer: bool = False) -> Iterator[tuple[int, list[socket.socket]]]:
    """A reserved port and ``workers`` listening sockets on it (as N workers open them)."""
    with reserve_port("127.0.0.1", 0) as reservation:
        port = reservation.getsockname()[1]
        socks = [listening_socket("127.0.0.1", port, reuse_port=True) for _ in range(workers)]
        try:
            if steer:
                for sock in socks:
                    assert steer_by_client_address(sock, workers)
            yield port, socks
        finally:
            for sock in socks:
                sock.close()


def _accepted_by(port: int, socks: list[socket.socket], source: str) -> int:
    """Which socket of the group accepts a connection from ``source``."""
    with socket.socket() as client:
        client.bind((source, 0))
        client.connect(("127.0.0.1", port))
        ready, _, _ = select.select(socks, [], [], 5.0)
        assert len(ready) == 1
        conn, _ = ready[0].accept()
        conn.close()
        return socks.index(ready[0])


def test_connections_from_one_address_spread_over_every_worker() -> None:
    with group(2) as (port, socks):
        counts = Counter(_accepted_by(port, socks, "127.0.0.1") for _ in range(64))
    assert set(counts) == {0, 1}  # P(all 64 on one) = 2^-63


def test_steering_sends_every_connection_of_one_address_to_one_worker() -> None:
    with group(3, steer=True) as (port, socks):
        chosen = {
            source: {_accepted_by(port, socks, source) for _ in range(8)}
            for source in ("127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4")
        }
    assert all(len(workers) == 1 for workers in chosen.values()), chosen
    assert len({next(iter(w)) for w in chosen.values()}) == 3  # consecutive addresses: all 3


def test_the_reservation_gets_no_connections_and_keeps_others_out() -> None:
    with group(1) as (port, socks):
        assert {_accepted_by(port, socks, "127.0.0.1") for _ in range(16)} == {0}
        with pytest.raises(OSError):
            listening_socket("127.0.0.1", port)  # another program (no SO_REUSEPORT)


def test_a_port_in_use_cannot_be_reserved_even_with_reuse_port() -> None:
    with group(1) as (port, _), pytest.raises(OSError):
        reserve_port("127.0.0.1", port)


def test_the_program_is_small_and_refuses_zero_workers() -> None:
    assert len(client_address_program(4)) == 8
    with pytest.raises(Exception, match="workers"):
        client_address_program(0)
