"""Listening sockets for one or N server processes on one port.

With ``--workers N`` every worker opens its *own* listening socket on the same port with
``SO_REUSEPORT``; the kernel then assigns each new connection to one of them when it
arrives, by a hash of its addresses and ports. Why not one socket shared by all
workers (what ``uvicorn --workers`` does)? Then every worker waits on the same accept
queue and whichever wakes first takes what is queued — asyncio accepts up to 100
connections per wake-up — so a burst of new sessions can land on one worker. A
WebSocket session stays on the worker that accepted it for its whole life, so an uneven
start stays uneven. ``SO_REUSEPORT`` splits every burst evenly instead.

The Gradio UI keeps each browser's state in one process, and a browser opens several
connections; for ``workbench serve --workers N`` :func:`steer_by_client_address`
attaches a classic BPF program to the port's socket group that picks the worker from
the client's address instead (every connection of one client address reaches the same
worker). No library does either, so both are written here, against Linux's documented
socket options (``socket(7)``: ``SO_REUSEPORT``, ``SO_ATTACH_REUSEPORT_CBPF``).
"""

from __future__ import annotations

import ctypes
import socket
import struct
import sys

from workbench.errors import ConfigError

#: ``SO_ATTACH_REUSEPORT_CBPF`` (Linux ≥ 4.5; asm-generic/socket.h), not in ``socket``.
SO_ATTACH_REUSEPORT_CBPF = getattr(socket, "SO_ATTACH_REUSEPORT_CBPF", 51)
#: Classic BPF's offset of the network (IP) header (linux/filter.h ``SKF_NET_OFF``).
_SKF_NET_OFF = -0x100000
#: Pending connections per listening socket.
BACKLOG = 2048


def _family(host: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def listening_socket(host: str, port: int, *, reuse_port: bool = False) -> socket.socket:
    """A listening TCP socket on ``host:port`` (port 0: any free port), inheritable.

    Parameters
    ----------
    host : str
        Interface address (``::1``-style for IPv6).
    port : int
        TCP port, 0–65535.
    reuse_port : bool
        Join the port's ``SO_REUSEPORT`` group (every worker of one server sets it).

    Raises
    ------
    OSError
        The port is taken (by another program, or without ``reuse_port``).
    ConfigError
        ``reuse_port`` on a platform without ``SO_REUSEPORT``.
    """
    sock = socket.socket(_family(host), socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if reuse_port:
            if not hasattr(socket, "SO_REUSEPORT"):
                raise ConfigError("--workers > 1 needs SO_REUSEPORT (Linux, BSD, macOS)")
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, port))
        sock.listen(BACKLOG)
    except BaseException:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def reserve_port(host: str, port: int) -> socket.socket:
    """Claim ``host:port`` for a server's workers without listening on it.

    A bound, non-listening ``SO_REUSEPORT`` socket: workers may bind the same port (they
    set the option too), other programs may not, and the kernel hands it no
    connections. Port 0 picks a free port (read it from ``getsockname()``). Keep it
    open as long as the workers run.
    """
    if not hasattr(socket, "SO_REUSEPORT"):
        raise ConfigError("--workers > 1 needs SO_REUSEPORT (Linux, BSD, macOS)")
    # First as an ordinary socket: a port another server already uses is refused even
    # when that server set SO_REUSEPORT too (e.g. the same command started twice).
    with socket.socket(_family(host), socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))
        port = int(probe.getsockname()[1])
    sock = socket.socket(_family(host), socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, port))
    except BaseException:
        sock.close()
        raise
    return sock


def client_address_program(workers: int) -> list[tuple[int, int, int, int]]:
    """The classic BPF program ``source address mod workers`` as ``(code, jt, jf, k)``.

    It reads the IP version from the packet's first byte, then the IPv4 source address
    (bytes 12–15) or the low 32 bits of the IPv6 one (bytes 20–23), and returns it
    modulo ``workers``: the index of the socket in the port's group that gets the
    connection (an index past the group's end falls back to the kernel's hash).
    """
    if workers < 1:
        raise ConfigError(f"workers must be >= 1, got {workers}")
    net = _SKF_NET_OFF & 0xFFFFFFFF
    ld_b_abs, ld_w_abs, rsh_k, jeq_k, ja, mod_k, ret_a = (
        0x30,
        0x20,
        0x74,
        0x15,
        0x05,
        0x94,
        0x16,
    )
    return [
        (ld_b_abs, 0, 0, net + 0),  # A = first byte of the IP header
        (rsh_k, 0, 0, 4),  # A = IP version
        (jeq_k, 0, 2, 4),  # IPv4? next; else skip to the IPv6 load
        (ld_w_abs, 0, 0, net + 12),  # A = IPv4 source address
        (ja, 0, 0, 1),
        (ld_w_abs, 0, 0, net + 20),  # A = IPv6 source address, last 32 bits
        (mod_k, 0, 0, workers),
        (ret_a, 0, 0, 0),
    ]


def steer_by_client_address(sock: socket.socket, workers: int) -> bool:
    """Make the kernel give every connection of one client address to the same worker.

    Attaches :func:`client_address_program` to ``sock``'s ``SO_REUSEPORT`` group (every
    worker may attach it again: the group keeps one program). Returns False where the
    option does not exist (not Linux): the kernel's per-connection hash stays.
    """
    if not sys.platform.startswith("linux"):
        return False
    program = client_address_program(workers)
    code = b"".join(struct.pack("HBBI", *instruction) for instruction in program)
    buffer = ctypes.create_string_buffer(code)
    # struct sock_fprog {unsigned short len; struct sock_filter *filter;}
    fprog = struct.pack("HL", len(program), ctypes.addressof(buffer))
    try:
        sock.setsockopt(socket.SOL_SOCKET, SO_ATTACH_REUSEPORT_CBPF, fprog)
    except OSError:
        return False
    return True
