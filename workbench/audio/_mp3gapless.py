"""The exact sample count of an mp3 from its Xing/Info + LAME header (private).

FFmpeg trims an mp3's encoder padding using this header only when it can seek; an
upload read through a pipe would otherwise end with up to a few thousand samples of
padding that a one-shot decode of the same file does not have.
"""

from __future__ import annotations

import struct

_LAME_TAGS = (b"LAME", b"Lavf", b"Lavc")  # the encoders FFmpeg trusts for delay/padding


def _id3v2_size(data: bytes) -> int:
    """Bytes taken by a leading ID3v2 tag (0 when there is none)."""
    if len(data) < 10 or data[:3] != b"ID3":
        return 0
    size = 0
    for byte in data[6:10]:  # "syncsafe": 7 bits per byte
        size = (size << 7) | (byte & 0x7F)
    footer = 10 if data[5] & 0x10 else 0
    return 10 + size + footer


def mp3_gapless_samples(head: bytes) -> int | None:
    """Samples per channel a gapless decoder outputs, or None if the header does not say.

    Parameters
    ----------
    head : bytes
        The first bytes of the file (the ID3v2 tag, if any, plus the first frame).

    Returns
    -------
    int or None
        ``frames * samples_per_frame - encoder_delay - padding``.
    """
    start = _id3v2_size(head)
    frame = head[start : start + 4]
    if len(frame) < 4 or frame[0] != 0xFF or (frame[1] & 0xE0) != 0xE0:
        return None
    version_bits = (frame[1] >> 3) & 3  # 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5
    layer_bits = (frame[1] >> 1) & 3  # 1: Layer III
    if layer_bits != 1 or version_bits == 1:
        return None
    mono = (frame[3] >> 6) & 3 == 3
    mpeg1 = version_bits == 3
    side_info = (17 if mono else 32) if mpeg1 else (9 if mono else 17)
    crc = 0 if frame[1] & 1 else 2
    tag_at = start + 4 + crc + side_info
    if head[tag_at : tag_at + 4] not in (b"Xing", b"Info"):
        return None
    (flags,) = struct.unpack(">I", head[tag_at + 4 : tag_at + 8])
    if not flags & 1:
        return None
    (frames,) = struct.unpack(">I", head[tag_at + 8 : tag_at + 12])
    lame_at = tag_at + 8 + 4 * bool(flags & 1) + 4 * bool(flags & 2)
    lame_at += 100 * bool(flags & 4) + 4 * bool(flags & 8)
    if head[lame_at : lame_at + 4] not in _LAME_TAGS or len(head) < lame_at + 24:
        return None
    packed = int.from_bytes(head[lame_at + 21 : lame_at + 24], "big")
    delay, padding = packed >> 12, packed & 0xFFF
    samples_per_frame = 1152 if mpeg1 else 576
    total = int(frames) * samples_per_frame - delay - padding
    return total if total > 0 else None
