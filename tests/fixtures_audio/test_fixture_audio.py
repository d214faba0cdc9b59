"""The committed speech fixtures in ``fixtures/audio/`` match their manifest.

Regenerate with ``.venv/bin/python scripts/make_fixture_audio.py`` (needs ``espeak-ng``);
these tests only read the committed files, so they need PyAV and numpy, not espeak-ng.
"""

from __future__ import annotations

import functools
import hashlib
import json
import struct
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest

AUDIO_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "audio"
MANIFEST: dict[str, Any] = json.loads((AUDIO_DIR / "manifest.json").read_text(encoding="utf-8"))
FILES: list[dict[str, Any]] = MANIFEST["files"]
BY_NAME = {f["name"]: f for f in FILES}
DURATION_TOLERANCE_S = 0.050
SPEECH_DBFS = -40.0
MAX_TOTAL_BYTES = 5 * 1024 * 1024


@functools.cache
def decode(name: str) -> tuple[np.ndarray, int, str, str]:
    """Decode a fixture with PyAV; return (float32 (channels, n), rate, container, codec)."""
    with av.open(str(AUDIO_DIR / name)) as container:
        stream = container.streams.audio[0]
        to_float = av.AudioResampler(format="fltp")
        blocks = [
            out.to_ndarray()
            for frame in container.decode(stream)
            for out in to_float.resample(frame)
        ]
        blocks += [out.to_ndarray() for out in to_float.resample(None)]
        rate, codec = stream.codec_context.sample_rate, stream.codec_context.name
        return np.concatenate(blocks, axis=1), rate, container.format.name, codec


def speech_regions(mono: np.ndarray, rate: int, merge_gap_s: float = 0.6) -> list[tuple[int, int]]:
    """(start_ms, end_ms) of runs of 10 ms frames above -40 dBFS, merging gaps < merge_gap_s."""
    frame = round(rate * 0.01)
    n = len(mono) // frame
    rms = np.sqrt(np.mean(mono[: n * frame].astype(np.float64).reshape(n, frame) ** 2, axis=1))
    active = np.nonzero(rms > 10 ** (SPEECH_DBFS / 20))[0]
    regions: list[list[int]] = []
    for i in active:
        if regions and (i - regions[-1][1]) * frame / rate < merge_gap_s:
            regions[-1][1] = i + 1
        else:
            regions.append([int(i), int(i) + 1])
    return [(round(a * frame * 1000 / rate), round(b * frame * 1000 / rate)) for a, b in regions]


def top_level_atoms(path: Path) -> list[str]:
    """Names of the top-level boxes of an MP4 file."""
    data = path.read_bytes()
    atoms, offset = [], 0
    while offset + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[offset : offset + 8])
        atoms.append(kind.decode("latin-1"))
        if size < 8:
            break
        offset += size
    return atoms


def test_manifest_shape() -> None:
    """Every entry carries the documented keys, names are unique, totals add up."""
    required = {
        "name",
        "format",
        "codec",
        "sample_rate_hz",
        "channels",
        "duration_s",
        "language",
        "text",
        "size_bytes",
        "sha256",
        "reference",
    }
    assert FILES
    assert len(BY_NAME) == len(FILES)
    for entry in FILES:
        assert required <= entry.keys(), entry["name"]
    assert MANIFEST["total_bytes"] == sum(f["size_bytes"] for f in FILES)


@pytest.mark.parametrize("entry", FILES, ids=lambda e: e["name"])
def test_file_exists_and_matches_digest(entry: dict[str, Any]) -> None:
    """The committed bytes are the ones the manifest describes."""
    data = (AUDIO_DIR / entry["name"]).read_bytes()
    assert len(data) == entry["size_bytes"]
    assert hashlib.sha256(data).hexdigest() == entry["sha256"]


@pytest.mark.parametrize("entry", FILES, ids=lambda e: e["name"])
def test_decodes_to_stated_format(entry: dict[str, Any]) -> None:
    """PyAV decodes each file to the stated rate, channels, codec and duration (±50 ms)."""
    samples, rate, container, codec = decode(entry["name"])
    assert rate == entry["sample_rate_hz"]
    assert samples.shape[0] == entry["channels"]
    assert abs(samples.shape[1] / rate - entry["duration_s"]) <= DURATION_TOLERANCE_S
    assert codec.startswith(entry["codec"])  # mp3 decodes as "mp3float"
    assert entry["format"] in container.split(",")
    assert np.max(np.abs(samples)) <= 1.0


def test_total_size_under_limit() -> None:
    """All of fixtures/audio stays small enough to commit."""
    total = sum(p.stat().st_size for p in AUDIO_DIR.iterdir() if p.is_file())
    assert total < MAX_TOTAL_BYTES


def test_references_are_model_rate_pcm16() -> None:
    """Every referenced echo reference is a listed 24 kHz mono PCM16 wav."""
    refs = {f["reference"] for f in FILES if f["reference"]}
    assert refs
    for ref in refs:
        entry = BY_NAME[ref]
        assert (entry["codec"], entry["sample_rate_hz"], entry["channels"]) == (
            "pcm_s16le",
            24_000,
            1,
        )


@pytest.mark.parametrize(
    "entry", [f for f in FILES if "utterances_ms" in f], ids=lambda e: e["name"]
)
def test_vad_boundaries_match_energy(entry: dict[str, Any]) -> None:
    """The manifest's utterance boundaries agree with an energy VAD on the decoded audio."""
    samples, rate, _, _ = decode(entry["name"])
    expected = entry["utterances_ms"]
    found = speech_regions(samples[0], rate)
    assert len(found) == len(expected) == 2, found
    tolerance_ms = 30 if entry["lossless"] else 60
    for (start, end), utterance in zip(found, expected, strict=True):
        assert abs(start - utterance["start_ms"]) <= tolerance_ms, (found, expected)
        assert abs(end - utterance["end_ms"]) <= tolerance_ms, (found, expected)
    pause_ms = expected[1]["start_ms"] - expected[0]["end_ms"]
    assert 1100 <= pause_ms <= 1300


def test_silence_is_digital_zero() -> None:
    """The silent clip is exactly zero and no speech is found in it."""
    (name,) = [f["name"] for f in FILES if f["language"] is None]
    samples, rate, _, _ = decode(name)
    assert not np.any(samples)
    assert abs(samples.shape[1] / rate - 2.0) < 1e-3


def test_short_clips_are_short() -> None:
    """The very short clips are under 0.2 s but still contain speech."""
    shorts = [f for f in FILES if f["duration_s"] < 0.2]
    assert len(shorts) >= 1
    for entry in shorts:
        samples, rate, _, _ = decode(entry["name"])
        assert samples.shape[1] / rate < 0.2 + DURATION_TOLERANCE_S
        assert speech_regions(samples[0], rate)


def test_noise_clip_snr() -> None:
    """Speech is ~15 dB above the noise floor measured in the speech-free lead-in."""
    (entry,) = [f for f in FILES if "snr_db" in f]
    samples, rate, _, _ = decode(entry["name"])
    mono = samples[0].astype(np.float64)
    noise_power = np.mean(mono[: int(0.4 * rate)] ** 2)
    assert noise_power > 0
    start_ms, end_ms = speech_regions(mono, rate, merge_gap_s=10.0)[0]
    speech = mono[start_ms * rate // 1000 : end_ms * rate // 1000]
    snr_db = 10 * np.log10((np.mean(speech**2) - noise_power) / noise_power)
    assert abs(snr_db - entry["snr_db"]) < 3.0


@pytest.mark.parametrize(
    "entry", [f for f in FILES if f["format"] == "mp4"], ids=lambda e: e["name"]
)
def test_m4a_faststart_flag(entry: dict[str, Any]) -> None:
    """faststart files have moov before mdat; the others have it after."""
    atoms = top_level_atoms(AUDIO_DIR / entry["name"])
    moov_first = atoms.index("moov") < atoms.index("mdat")
    assert moov_first == entry["faststart"], atoms


def test_formats_cover_the_brief() -> None:
    """The set keeps covering the uploads the workbench must accept."""
    kinds = {(f["format"], f["codec"], f["sample_rate_hz"], f["channels"]) for f in FILES}
    for kind in [
        ("mp4", "aac", 44_100, 1),
        ("mp3", "mp3", 44_100, 2),
        ("ogg", "opus", 48_000, 1),
        ("webm", "opus", 48_000, 1),
        ("wav", "pcm_mulaw", 8_000, 1),
        ("flac", "flac", 96_000, 1),
    ] + [("wav", "pcm_s16le", r, 1) for r in (8_000, 16_000, 24_000, 48_000)]:
        assert kind in kinds, kind
    codecs = {f["codec"] for f in FILES}
    assert {"pcm_s24le", "pcm_f32le", "pcm_u8"} <= codecs
    assert {"en", "ja"} <= {f["language"] for f in FILES if f["format"] == "mp4"}
    assert any(f["duration_s"] >= 10.0 and f["format"] == "mp4" for f in FILES)
    assert any(f["duration_s"] >= 10.0 and f["sample_rate_hz"] == 48_000 for f in FILES)
