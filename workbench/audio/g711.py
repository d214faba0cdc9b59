"""G.711 μ-law and A-law: 8-bit companded telephone audio <-> PCM16 (pure functions).

The codec is the standard library's ``audioop`` (``lin2ulaw`` / ``ulaw2lin`` /
``lin2alaw`` / ``alaw2lin``, the reference G.711 tables in C). ``audioop`` left the
standard library in Python 3.13; there the maintained ``audioop-lts`` package installs
the same module under the same name (a dependency only for Python >= 3.13).

G.711 carries 8 kHz mono audio, one byte per sample; the realtime API calls it GA
``audio/pcmu`` / ``audio/pcma`` and preview ``g711_ulaw`` / ``g711_alaw``.
"""

from __future__ import annotations

import warnings
from typing import Literal

with warnings.catch_warnings():
    # Python 3.11/3.12 warn that audioop is deprecated (removed in 3.13, where the
    # audioop-lts backport provides it); the module itself is what we want.
    warnings.simplefilter("ignore", DeprecationWarning)
    import audioop

import numpy as np

from workbench.audio.resample import resample

G711_RATE_HZ = 8_000
G711Law = Literal["ulaw", "alaw"]
_PCM16_BYTES = 2


def _pcm16(data: bytes | bytearray | memoryview) -> bytes:
    raw = bytes(data)
    if len(raw) % _PCM16_BYTES:
        raise ValueError(f"PCM16 needs an even number of bytes, got {len(raw)}")
    return raw


def ulaw_encode(pcm16: bytes | bytearray | memoryview) -> bytes:
    """Encode PCM16 LE samples as G.711 μ-law (one byte per sample).

    Parameters
    ----------
    pcm16 : bytes [shape=(2n,)]
        Little-endian int16 samples (any rate; G.711 is meant for 8 kHz).

    Returns
    -------
    bytes [shape=(n,)]
        μ-law codes; ``ulaw_encode(b"\\0\\0") == b"\\xff"``.

    Raises
    ------
    ValueError
        If ``pcm16`` has an odd number of bytes.
    """
    return audioop.lin2ulaw(_pcm16(pcm16), _PCM16_BYTES)


def ulaw_decode(codes: bytes | bytearray | memoryview) -> bytes:
    """Decode G.711 μ-law bytes to PCM16 LE (``n`` codes -> ``2n`` bytes).

    The full scale is ±32124 (code ``0x80`` / ``0x00``); code ``0xff`` is 0.
    """
    return audioop.ulaw2lin(bytes(codes), _PCM16_BYTES)


def alaw_encode(pcm16: bytes | bytearray | memoryview) -> bytes:
    """Encode PCM16 LE samples as G.711 A-law (one byte per sample).

    ``alaw_encode(b"\\0\\0") == b"\\xd5"`` (A-law has no exact zero: ±8).

    Raises
    ------
    ValueError
        If ``pcm16`` has an odd number of bytes.
    """
    return audioop.lin2alaw(_pcm16(pcm16), _PCM16_BYTES)


def alaw_decode(codes: bytes | bytearray | memoryview) -> bytes:
    """Decode G.711 A-law bytes to PCM16 LE; the full scale is ±32256."""
    return audioop.alaw2lin(bytes(codes), _PCM16_BYTES)


def g711_encode(pcm16: bytes, law: G711Law) -> bytes:
    """μ-law or A-law encode (see :func:`ulaw_encode`, :func:`alaw_encode`)."""
    return ulaw_encode(pcm16) if law == "ulaw" else alaw_encode(pcm16)


def g711_decode(codes: bytes, law: G711Law) -> bytes:
    """μ-law or A-law decode (see :func:`ulaw_decode`, :func:`alaw_decode`)."""
    return ulaw_decode(codes) if law == "ulaw" else alaw_decode(codes)


def g711_to_pcm16(codes: bytes, law: G711Law, out_rate_hz: int) -> bytes:
    """G.711 at 8 kHz -> PCM16 LE mono at ``out_rate_hz`` (decode, then resample with soxr).

    Parameters
    ----------
    codes : bytes [shape=(n,)]
        μ-law or A-law codes at 8 kHz.
    law : {"ulaw", "alaw"}
        The companding law.
    out_rate_hz : int
        Output rate (24,000 for the model).

    Returns
    -------
    bytes [shape=(2m,)]
        ``m`` is within one sample of ``n * out_rate_hz / 8000``.
    """
    pcm = g711_decode(codes, law)
    if out_rate_hz == G711_RATE_HZ or not pcm:
        return pcm
    x = np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0
    y = resample(x, G711_RATE_HZ, out_rate_hz)
    return bytes((np.clip(y, -1.0, 32767 / 32768) * 32768.0).round().astype("<i2").tobytes())


def pcm16_to_g711(pcm16: bytes, in_rate_hz: int, law: G711Law) -> bytes:
    """PCM16 LE mono at ``in_rate_hz`` -> G.711 at 8 kHz (resample with soxr, then encode).

    Parameters
    ----------
    pcm16 : bytes [shape=(2n,)]
        Little-endian int16 samples at ``in_rate_hz``.
    in_rate_hz : int
        Input rate (24,000 for the model).
    law : {"ulaw", "alaw"}
        The companding law.

    Returns
    -------
    bytes [shape=(m,)]
        One code per 8 kHz sample; ``m`` is within one of ``n * 8000 / in_rate_hz``.
    """
    raw = _pcm16(pcm16)
    if in_rate_hz != G711_RATE_HZ and raw:
        x = np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0
        y = resample(x, in_rate_hz, G711_RATE_HZ)
        raw = (np.clip(y, -1.0, 32767 / 32768) * 32768.0).round().astype("<i2").tobytes()
    return g711_encode(raw, law)
