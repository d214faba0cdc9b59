"""PyAV plumbing shared by the one-shot and the streaming decoder (private).

Everything that touches ``av`` lives here: opening a container safely, telling the
kinds of bad input apart, turning decoded frames into float32 mono, and checking a
decoded length against what the container declared.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import av
import av.error
import numpy as np

from workbench.audio._limits import check_channels, check_rate
from workbench.errors import AudioDecodeError

# Only these demuxers may open untrusted input. Without the list FFmpeg would also
# accept playlists (hls, concat) that make it open other files or URLs, and image or
# subtitle formats that are not audio at all. Video containers stay in: a phone video
# is a legitimate upload and its audio track is decoded.
ALLOWED_DEMUXERS = (
    "wav,w64,mp3,ogg,matroska,webm,mov,mp4,m4a,3gp,flac,aac,loas,aiff,caf,au,amr,"
    "amrnb,amrwb,wv,ape,tta,asf,avi,flv,mpegts,ac3,eac3,dts,voc"
)

# Passed to every open. A small probe keeps streaming latency low: with FFmpeg's 5 MB
# default, stream-info probing of a WAV arriving over a pipe would swallow the whole
# upload before the first frame comes out.
_OPEN_OPTIONS = {"format_whitelist": ALLOWED_DEMUXERS}
STREAMING_OPEN_OPTIONS = {**_OPEN_OPTIONS, "probesize": "32768", "analyzeduration": "200000"}

# Signatures of the containers above; used to tell "corrupt audio" (looks like a known
# container, fails to open) from "not audio" (a text file, an image, random bytes).
_MAGIC_AT_0 = (
    b"RIFF",
    b"RF64",
    b"BW64",
    b"OggS",
    b"fLaC",
    b"ID3",
    b"\x1a\x45\xdf\xa3",  # EBML: matroska / webm
    b"FORM",
    b"caff",
    b".snd",
    b"#!AMR",
    b"wvpk",
    b"MAC ",
    b"\x30\x26\xb2\x75",  # ASF
)
_ISO_BMFF_BOXES = (b"ftyp", b"moov", b"mdat", b"free", b"wide", b"styp", b"moof")
#: Bytes of the start kept to classify failures (enough for a WAV ``fmt `` chunk).
HEAD_BYTES = 64

# Codes, as in workbench.errors.AudioDecodeError.
EMPTY_INPUT = "empty_input"
NOT_AUDIO = "not_audio"
CORRUPT = "corrupt"
NO_AUDIO_TRACK = "no_audio_track"
TOO_LONG = "too_long"
TOO_LARGE = "too_large"
UNSUPPORTED_CODEC = "unsupported_codec"


def is_iso_bmff(head: bytes) -> bool:
    """True for an mp4 / m4a / mov file (ISO base media), judged by its first box."""
    return head[4:8] in _ISO_BMFF_BOXES


def looks_like_media(head: bytes) -> bool:
    """True when ``head`` starts like one of the containers we accept."""
    if head.startswith(_MAGIC_AT_0) or is_iso_bmff(head):
        return True
    # MPEG audio / ADTS AAC frame sync: 11 (mp3) or 12 (ADTS) set bits.
    return len(head) >= 2 and head[0] == 0xFF and (head[1] & 0xE0) == 0xE0


def riff_declared_bytes(head: bytes) -> int | None:
    """The file size a RIFF/WAVE header promises, or None when it promises nothing.

    Streaming writers put 0 or 0xFFFFFFFF in the size field ("unknown"); those are
    not promises.
    """
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        return None
    (riff_size,) = struct.unpack("<I", head[4:8])
    if riff_size in (0, 0xFFFFFFFF):
        return None
    return int(riff_size) + 8


def check_riff_complete(head: bytes, total_bytes: int) -> None:
    """Raise ``corrupt`` when a WAV file is shorter than its header says.

    FFmpeg quietly decodes what is there, so a WAV cut off in transit would otherwise
    pass as a shorter recording.
    """
    declared = riff_declared_bytes(head)
    # One byte of slack: some writers count the pad byte of an odd-sized chunk.
    if declared is not None and total_bytes < declared - 1:
        raise AudioDecodeError(
            f"the WAV file is truncated: its header declares {declared} bytes but only "
            f"{total_bytes} arrived; upload the complete file",
            code=CORRUPT,
        )


OGG_TAIL_BYTES = 65536  # an Ogg page is at most 65,307 bytes


def check_ogg_complete(tail: bytes) -> None:
    """Raise ``corrupt`` unless ``tail`` (the last bytes of an Ogg file) ends the stream.

    Ogg declares no total length, so a cut-off upload is recognised by its last page:
    it must be complete and carry the end-of-stream flag that every writer sets.
    """
    start = tail.rfind(b"OggS")
    problem = None
    if start < 0 or len(tail) < start + 27:
        problem = "its last page is cut off"
    else:
        n_segments = tail[start + 26]
        table = tail[start + 27 : start + 27 + n_segments]
        if len(table) < n_segments or len(tail) < start + 27 + n_segments + sum(table):
            problem = "its last page is cut off"
        elif not tail[start + 5] & 0x04:
            problem = "it has no end-of-stream page"
    if problem is not None:
        raise AudioDecodeError(
            f"the ogg file is truncated: {problem}; upload the complete file", code=CORRUPT
        )


def open_input(file: Any, head: bytes, *, streaming: bool = False) -> Any:
    """Open ``file`` (a file-like object) as an input container, or raise a typed error.

    Parameters
    ----------
    file : file-like
        Object with ``read`` (and ``seek``/``tell`` when seekable).
    head : bytes
        The first bytes of the input, used to classify a failure.
    streaming : bool
        Use the low-latency probe settings for input that arrives over time.

    Returns
    -------
    av.container.InputContainer
    """
    options = STREAMING_OPEN_OPTIONS if streaming else _OPEN_OPTIONS
    try:
        return av.open(file, mode="r", options=dict(options), metadata_errors="ignore")
    except (av.error.FFmpegError, EOFError, OSError) as exc:
        raise classify_open_failure(head, exc) from exc


def classify_open_failure(head: bytes, exc: BaseException) -> AudioDecodeError:
    """Turn a failure to open a container into ``corrupt`` or ``not_audio``."""
    if looks_like_media(head):
        return AudioDecodeError(
            f"the file looks like audio ({describe_head(head)}) but cannot be read: it is "
            "truncated or corrupt; upload the complete file",
            code=CORRUPT,
        )
    return AudioDecodeError(
        f"the input is not a supported audio or video file (starts with {head[:8]!r}); "
        "send wav, mp3, m4a/aac, ogg/opus, webm/opus or flac",
        code=NOT_AUDIO,
    )


def describe_head(head: bytes) -> str:
    """A short human name for the container a header suggests."""
    if is_iso_bmff(head):
        return "mp4/m4a"
    names = {b"RIFF": "wav", b"OggS": "ogg", b"fLaC": "flac", b"ID3": "mp3 with ID3 tag"}
    for magic, name in names.items():
        if head.startswith(magic):
            return name
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "webm/matroska"
    return "audio container"


def first_audio_stream(container: Any) -> Any:
    """The first audio stream of ``container``, or raise ``no_audio_track``."""
    if container.streams.audio:
        return container.streams.audio[0]
    if not container.streams:
        # A header cut off before its track list: truncated, not a video file.
        raise AudioDecodeError(
            f"the {container.format.name} file lists no tracks at all: it is truncated "
            "or corrupt; upload the complete file",
            code=CORRUPT,
        )
    kinds = sorted({stream.type for stream in container.streams}) or ["none"]
    raise AudioDecodeError(
        f"the {container.format.name} file has no audio track (streams: {', '.join(kinds)})",
        code=NO_AUDIO_TRACK,
    )


# Decoded sample formats → divisor that maps the integer range onto [-1, 1).
_INT_SCALE = {"s16": 32768.0, "s32": 2.0**31, "s64": 2.0**63}


def frame_to_mono(frame: Any) -> np.ndarray:
    """A decoded audio frame as float32 mono in [-1, 1], channels averaged.

    Returns
    -------
    np.ndarray [shape=(frame.samples,), dtype=float32]
    """
    channels = int(frame.layout.nb_channels)
    data: np.ndarray = frame.to_ndarray()
    fmt = frame.format
    if not fmt.is_planar:
        # Packed frames come as (1, samples * channels), interleaved.
        data = data.reshape(-1, channels).T
    name = fmt.name.rstrip("p")
    if name == "u8":
        samples = (data.astype(np.float32) - 128.0) / 128.0
    elif name in _INT_SCALE:
        samples = data.astype(np.float32) / np.float32(_INT_SCALE[name])
    else:
        samples = data.astype(np.float32, copy=False)
    mono: np.ndarray = samples[0] if channels == 1 else samples.mean(axis=0, dtype=np.float32)
    # Lossy decoders overshoot full scale slightly; float WAVs may hold anything.
    clipped: np.ndarray = np.clip(mono, -1.0, 1.0)
    return clipped.astype(np.float32, copy=False)


@dataclass(frozen=True)
class StreamFacts:
    """What the container says about its audio stream before decoding."""

    container_format: str
    codec: str
    channels: int
    sample_rate_hz: int
    declared_duration_s: float | None


def wav_fmt(head: bytes) -> tuple[int, int, int, int] | None:
    """``(format_tag, channels, rate_hz, bits_per_sample)`` of a WAV ``fmt `` chunk in
    ``head``, or None when ``head`` is not a RIFF/WAVE start with that chunk in it."""
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        return None
    offset = 12
    while offset + 8 <= len(head):
        chunk_id = head[offset : offset + 4]
        (size,) = struct.unpack("<I", head[offset + 4 : offset + 8])
        if chunk_id == b"fmt " and offset + 8 + 16 <= len(head):
            tag, channels, rate, _, _, bits = struct.unpack(
                "<HHIIHH", head[offset + 8 : offset + 24]
            )
            return int(tag), int(channels), int(rate), int(bits)
        offset += 8 + size + (size & 1)
    return None


def _no_decoder_error(container_format: str, head: bytes) -> AudioDecodeError:
    """Why FFmpeg found a stream but no decoder for it: a broken or unknown WAV codec."""
    fmt = wav_fmt(head)
    if fmt is not None:
        tag, channels, _, bits = fmt
        if bits == 0 or channels == 0:
            what = "0 bits per sample" if bits == 0 else "0 channels"
            return AudioDecodeError(
                f"the WAV header is malformed: it declares {what}; re-encode the file",
                code=CORRUPT,
            )
        return AudioDecodeError(
            f"the WAV file uses an unsupported audio codec (format tag 0x{tag:04X} with "
            f"{bits} bits per sample); send PCM, float, μ-law WAV or another format",
            code=UNSUPPORTED_CODEC,
        )
    return AudioDecodeError(
        f"the {container_format} file uses an audio codec that cannot be decoded; send "
        "wav, mp3, m4a/aac, ogg/opus, webm/opus or flac",
        code=UNSUPPORTED_CODEC,
    )


def stream_facts(container: Any, stream: Any, head: bytes = b"") -> StreamFacts:
    """Read the facts :func:`check_not_truncated` and the callers need.

    Raises
    ------
    AudioDecodeError
        ``unsupported_codec`` (415) when FFmpeg has no decoder for the stream,
        ``corrupt`` for a header FFmpeg could not make sense of (0 bits per sample).
    """
    context = stream.codec_context
    if context is None:
        raise _no_decoder_error(str(container.format.name), head)
    declared: float | None = None
    if stream.duration is not None and stream.time_base is not None:
        declared = float(stream.duration * stream.time_base)
    elif container.format.name.startswith("matroska") and container.duration:
        # Matroska keeps the duration in the segment header, not per stream.
        declared = container.duration / 1_000_000
    return StreamFacts(
        container_format=str(container.format.name),
        codec=str(context.name),
        channels=int(context.channels or 0),
        sample_rate_hz=int(context.sample_rate or 0),
        declared_duration_s=declared,
    )


def check_declared(facts: StreamFacts) -> None:
    """Refuse a header that declares an absurd rate or channel count, before decoding.

    A 0 means "not declared" (the decoded frames are checked again either way).
    """
    if facts.sample_rate_hz:
        check_rate(facts.sample_rate_hz, "declared")
    if facts.channels:
        check_channels(facts.channels, f"{facts.container_format} file")


def check_not_truncated(facts: StreamFacts, decoded_samples: int, sample_rate_hz: int) -> None:
    """Raise ``corrupt`` when nothing decoded, or far less than the header declared."""
    if decoded_samples == 0:
        raise AudioDecodeError(
            f"the {facts.container_format} file decoded to no audio at all: it is "
            "truncated or corrupt",
            code=CORRUPT,
        )
    declared = facts.declared_duration_s
    decoded_s = decoded_samples / sample_rate_hz
    # Generous margins: declared durations of compressed streams are approximate.
    if declared is not None and decoded_s < 0.9 * declared - 0.2:
        raise AudioDecodeError(
            f"the {facts.container_format} file is truncated: the header declares "
            f"{declared:.2f} s but only {decoded_s:.2f} s of audio could be decoded",
            code=CORRUPT,
        )


def too_large_error(n_bytes: int, max_bytes: int) -> AudioDecodeError:
    """The error for input larger than ``max_bytes``."""
    qualifier = "more than " if n_bytes > max_bytes else ""
    return AudioDecodeError(
        f"the input is {qualifier}{n_bytes} bytes, above the limit of {max_bytes} bytes",
        code=TOO_LARGE,
    )


def iter_mono_blocks(container: Any, stream: Any) -> Iterator[tuple[np.ndarray, int]]:
    """Decode ``stream`` frame by frame, yielding ``(float32 mono block, rate_hz)``.

    Decoding is lazy so callers can stop (too long) without holding the whole file.
    Every frame's rate and channel count is checked before it is converted (a frame
    may disagree with the header). Any FFmpeg error while demuxing or decoding becomes
    ``corrupt``; the message carries FFmpeg's one-line reason, never a traceback.
    """
    try:
        for packet in container.demux(stream):
            for frame in packet.decode():
                if frame.samples:
                    check_rate(int(frame.sample_rate), "decoded")
                    check_channels(int(frame.layout.nb_channels), "decoded audio")
                    yield frame_to_mono(frame), int(frame.sample_rate)
    except (av.error.FFmpegError, EOFError, OSError) as exc:
        reason = getattr(exc, "strerror", None) or "unreadable data"
        raise AudioDecodeError(
            f"the {container.format.name} stream is corrupt or truncated ({reason})",
            code=CORRUPT,
        ) from exc
