"""G.711 μ-law / A-law: reference code values, round trips and the 8 kHz <-> 24 kHz edge."""

from __future__ import annotations

import struct

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.audio.g711 import (
    alaw_decode,
    alaw_encode,
    g711_to_pcm16,
    pcm16_to_g711,
    ulaw_decode,
    ulaw_encode,
)


def _samples(pcm16: bytes) -> list[int]:
    return list(struct.unpack(f"<{len(pcm16) // 2}h", pcm16))


# Values of the ITU-T G.711 tables (as in the reference C implementation, g711.c).
ULAW_CODES = {0x00: -32124, 0x80: 32124, 0x0F: -16764, 0x7F: 0, 0xFF: 0}
ALAW_CODES = {0xD5: 8, 0x55: -8, 0xAA: 32256, 0x2A: -32256, 0x80: 5504, 0x00: -5504}


@pytest.mark.parametrize(("code", "value"), ULAW_CODES.items())
def test_ulaw_decodes_to_the_reference_values(code: int, value: int) -> None:
    assert _samples(ulaw_decode(bytes([code]))) == [value]


@pytest.mark.parametrize(("code", "value"), ALAW_CODES.items())
def test_alaw_decodes_to_the_reference_values(code: int, value: int) -> None:
    assert _samples(alaw_decode(bytes([code]))) == [value]


def test_silence_and_full_scale_encode_to_the_reference_codes() -> None:
    zero, top, bottom = (struct.pack("<h", v) for v in (0, 32767, -32768))
    assert ulaw_encode(zero) == b"\xff"
    assert alaw_encode(zero) == b"\xd5"
    assert ulaw_encode(top + bottom) == b"\x80\x00"
    assert alaw_encode(top + bottom) == b"\xaa\x2a"


@given(st.binary(min_size=0, max_size=256))
def test_every_code_survives_decode_then_encode(codes: bytes) -> None:
    # Decoding is exact, so re-encoding gives the same code (μ-law has two zeros).
    assert alaw_encode(alaw_decode(codes)) == codes
    again = ulaw_encode(ulaw_decode(codes))
    assert again == codes.replace(b"\x7f", b"\xff")


@given(st.lists(st.integers(-32768, 32767), max_size=200))
def test_quantisation_error_is_bounded_by_the_segment_step(values: list[int]) -> None:
    pcm = struct.pack(f"<{len(values)}h", *values)
    for encode, decode in ((ulaw_encode, ulaw_decode), (alaw_encode, alaw_decode)):
        back = _samples(decode(encode(pcm)))
        for x, y in zip(values, back, strict=True):
            # Companding keeps the relative error within ~1/16 (plus the smallest step).
            assert abs(x - y) <= max(64, abs(x) / 15), (x, y)


def test_odd_byte_count_is_refused() -> None:
    with pytest.raises(ValueError, match="even number of bytes"):
        ulaw_encode(b"\x00")


@pytest.mark.parametrize("law", ["ulaw", "alaw"])
def test_a_tone_crosses_the_8k_24k_edge_intact(law: str) -> None:
    t = np.arange(24_000) / 24_000
    tone = (0.5 * np.sin(2 * np.pi * 440 * t) * 32767).astype("<i2").tobytes()
    codes = pcm16_to_g711(tone, 24_000, law)  # type: ignore[arg-type]
    assert len(codes) == 8_000  # one byte per 8 kHz sample
    back = np.frombuffer(g711_to_pcm16(codes, law, 24_000), dtype="<i2")  # type: ignore[arg-type]
    assert abs(len(back) - 24_000) <= 1
    x = np.frombuffer(tone, dtype="<i2")[1000:-1000].astype(float)
    y = back[1000 : 1000 + len(x)].astype(float)
    snr_db = 10 * np.log10(np.sum(x**2) / np.sum((x - y) ** 2))
    assert snr_db > 25  # G.711 gives ~38 dB on a loud tone; resampling costs a little
