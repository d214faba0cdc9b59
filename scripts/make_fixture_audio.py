"""Generate the speech fixtures in ``fixtures/audio/`` reproducibly (see its README.md).

Speech comes from the ``espeak-ng`` binary (Debian package ``espeak-ng``); trimming, mixing,
resampling and quantising are numpy/scipy; every file is encoded with PyAV (``+bitexact``,
no metadata, fixed seeds). ``--check`` regenerates into a temp dir and compares names,
rates, channels, durations and VAD boundaries (not bytes) with the committed manifest.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np
import soundfile as sf
from scipy.signal import resample_poly

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "fixtures" / "audio"
REGENERATE = ".venv/bin/python scripts/make_fixture_audio.py"
ESPEAK_RATE_HZ = 22_050
PEAK_DBFS = -3.0
SPEECH_DBFS = -40.0  # "speech" = 10 ms frame RMS above this (used for VAD boundaries, SNR)
TRIM_DBFS = -60.0  # espeak output is cut where it falls below this
FRAME_S = 0.010
VAD_PAUSE_S = 1.2
NOISE_SNR_DB = 15.0
NOISE_SEED = 20240611
STEREO_RIGHT_GAIN = 10 ** (-3 / 20)

EN_HELLO = "Hello, can you hear me? What is the weather like today?"
EN_HEAR = "Hello, can you hear me?"
EN_WEATHER = "What is the weather like today?"
EN_BOOK = "I would like to book a table for two at seven tonight."
EN_THANKS = "Thank you, that is all for now."
EN_HI = "Hi."
JA_HELLO = "こんにちは、今日の天気はどうですか。"
# espeak-ng 1.51 reads kanji as "Chinese letter"; feed it kana (は→わ as pronounced).
JA_HELLO_KANA = "こんにちわ、きょうのてんきわどうですか。"
REPRODUCIBILITY = (
    "Byte-identical on rerun with the same espeak-ng, numpy/scipy and PyAV/FFmpeg builds. "
    "PCM wav and FLAC decode to the same samples on any FFmpeg; lossy files (aac, mp3, opus) "
    "and FLAC framing may change bytes with another FFmpeg/LAME/libopus or espeak-ng version."
)


@dataclass(frozen=True)
class Signal:
    """A float64 (channels, n) signal, plus manifest facts about it."""

    samples: np.ndarray
    language: str | None
    text: str
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Clip:
    """One fixture file: which signal, at what rate, with which FFmpeg encoder."""

    name: str  # the extension picks the muxer (see MUXERS)
    signal: str  # key into SIGNALS
    sample_rate_hz: int
    codec: str  # FFmpeg encoder name, key into CODECS
    purpose: str
    container_options: dict[str, str] = field(default_factory=dict)


# encoder -> (manifest codec, PyAV sample format, bits per sample, lossless, bit rate)
CODECS: dict[str, tuple[str, str, int | None, bool, int | None]] = {
    "pcm_s16le": ("pcm_s16le", "s16", 16, True, None),
    "pcm_u8": ("pcm_u8", "u8", 8, True, None),
    "pcm_s24le": ("pcm_s24le", "s32", 24, True, None),
    "flac": ("flac", "s32", 24, True, None),
    "pcm_f32le": ("pcm_f32le", "flt", 32, True, None),
    "pcm_mulaw": ("pcm_mulaw", "s16", 8, False, None),
    "aac": ("aac", "fltp", None, False, 64_000),
    "libopus": ("opus", "flt", None, False, 32_000),
    "libmp3lame": ("mp3", "fltp", None, False, 128_000),
}
# file extension -> (FFmpeg muxer, manifest format, mime)
MUXERS = {
    ".wav": ("wav", "wav", "audio/wav"),
    ".flac": ("flac", "flac", "audio/flac"),
    ".m4a": ("ipod", "mp4", "audio/mp4"),
    ".mp3": ("mp3", "mp3", "audio/mpeg"),
    ".ogg": ("ogg", "ogg", "audio/ogg"),
    ".webm": ("webm", "webm", "audio/webm"),
}
FASTSTART = {"movflags": "+faststart"}


def espeak_version() -> str:
    """Return the espeak-ng version line without the machine-specific data path."""
    out = subprocess.run(["espeak-ng", "--version"], capture_output=True, text=True, check=True)
    return out.stdout.split("Data at")[0].strip()


@functools.cache
def synthesize(text: str, voice: str = "en-us", words_per_minute: int = 165) -> np.ndarray:
    """Speak ``text`` with espeak-ng; return mono float64 at 22.05 kHz peaking at -3 dBFS."""
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "tts.wav"
        cmd = ["espeak-ng", "-v", voice, "-s", str(words_per_minute), "-a", "100", "-p", "50"]
        subprocess.run([*cmd, "-w", str(wav), text], check=True, capture_output=True)
        samples, rate = sf.read(wav, dtype="float64", always_2d=False)
    assert rate == ESPEAK_RATE_HZ, f"espeak-ng wrote {rate} Hz"
    first, last = active_span(samples, rate, TRIM_DBFS)
    samples = samples[first:last]
    return samples * (10 ** (PEAK_DBFS / 20) / np.max(np.abs(samples)))


def active_span(x: np.ndarray, rate: int, threshold_dbfs: float) -> tuple[int, int]:
    """Return (first, end) sample of the 10 ms frames whose RMS exceeds ``threshold_dbfs``."""
    frame = round(rate * FRAME_S)
    n = len(x) // frame
    rms = np.sqrt(np.mean(x[: n * frame].reshape(n, frame) ** 2, axis=1))
    active = np.nonzero(rms > 10 ** (threshold_dbfs / 20))[0]
    assert active.size, "no frame above threshold"
    return int(active[0]) * frame, (int(active[-1]) + 1) * frame


def silence(seconds: float, rate: int = ESPEAK_RATE_HZ) -> np.ndarray:
    """Digital silence."""
    return np.zeros(round(seconds * rate))


def resample(x: np.ndarray, in_rate: int, out_rate: int) -> np.ndarray:
    """Polyphase resampling along the last axis (scipy, independent of workbench.audio)."""
    if in_rate == out_rate:
        return x
    ratio = Fraction(out_rate, in_rate)
    return resample_poly(x, ratio.numerator, ratio.denominator, axis=-1)


def padded(text: str, lead_s: float = 0.15, tail_s: float = 0.25, **kw: Any) -> np.ndarray:
    """A phrase with a little silence before and after, like a push-to-talk recording."""
    return np.concatenate([silence(lead_s), synthesize(text, **kw), silence(tail_s)])


def sig_phrase(text: str, language: str = "en", voice: str = "en-us", tts: str = "") -> Signal:
    """One phrase, mono."""
    extra = {"voice": voice} | ({"tts_text": tts} if tts else {})
    return Signal(padded(tts or text, voice=voice)[None, :], language, text, extra)


def sig_stereo(text: str) -> Signal:
    """Phrase in stereo: left = speech, right = speech at -3 dB (downmix must not cancel)."""
    mono = padded(text)
    return Signal(
        np.stack([mono, mono * STEREO_RIGHT_GAIN]),
        "en",
        text,
        {"voice": "en-us", "stereo": "right = left * 10^(-3/20)"},
    )


def sig_vad() -> Signal:
    """Two utterances with a 1.2 s pause between their speech boundaries."""
    seg1, seg2 = synthesize(EN_HEAR), synthesize(EN_WEATHER)
    s1, e1 = active_span(seg1, ESPEAK_RATE_HZ, SPEECH_DBFS)
    s2, e2 = active_span(seg2, ESPEAK_RATE_HZ, SPEECH_DBFS)
    gap = round(VAD_PAUSE_S * ESPEAK_RATE_HZ) - (len(seg1) - e1) - s2
    lead = silence(0.5)
    x = np.concatenate([lead, seg1, np.zeros(gap), seg2, silence(0.8)])
    off2 = len(lead) + len(seg1) + gap
    utterances = [
        {
            "text": text,
            "start_ms": round((off + s) * 1000 / ESPEAK_RATE_HZ),
            "end_ms": round((off + e) * 1000 / ESPEAK_RATE_HZ),
        }
        for text, off, s, e in ((EN_HEAR, len(lead), s1, e1), (EN_WEATHER, off2, s2, e2))
    ]
    extra = {
        "voice": "en-us",
        "utterances_ms": utterances,
        "vad_method": f"10 ms frame RMS > {SPEECH_DBFS:g} dBFS per synthesized segment",
    }
    return Signal(x[None, :], "en", f"{EN_HEAR} {EN_WEATHER}", extra)


def sig_noise(rate: int) -> Signal:
    """Speech plus seeded pink noise at 15 dB SNR (active-speech power / noise power)."""
    speech = resample(padded(EN_HELLO, 0.5, 0.5), ESPEAK_RATE_HZ, rate)
    white = np.random.default_rng(NOISE_SEED).standard_normal(len(speech))
    spectrum = np.fft.rfft(white)
    freqs = np.fft.rfftfreq(len(white), 1 / rate)
    spectrum[1:] /= np.sqrt(freqs[1:])
    spectrum[0] = 0
    pink = np.fft.irfft(spectrum, n=len(white))
    first, last = active_span(speech, rate, SPEECH_DBFS)
    speech_power = np.mean(speech[first:last] ** 2)
    pink *= np.sqrt(speech_power / 10 ** (NOISE_SNR_DB / 10) / np.mean(pink**2))
    mix = speech + pink
    mix *= 10 ** (PEAK_DBFS / 20) / np.max(np.abs(mix))
    extra = {
        "voice": "en-us",
        "snr_db": NOISE_SNR_DB,
        "noise": f"pink, numpy seed {NOISE_SEED}",
        "snr_definition": f"active speech (10 ms RMS > {SPEECH_DBFS:g} dBFS) / noise power",
    }
    return Signal(mix[None, :], "en", EN_HELLO, extra)


def sig_short() -> Signal:
    """'Hi.' at 300 wpm cut to its speech (< 0.2 s) with 5 ms fades."""
    x = synthesize(EN_HI, words_per_minute=300)
    first, last = active_span(x, ESPEAK_RATE_HZ, SPEECH_DBFS)
    pad = round(0.01 * ESPEAK_RATE_HZ)
    x = x[max(first - pad, 0) : last + pad].copy()
    ramp = np.linspace(0.0, 1.0, round(0.005 * ESPEAK_RATE_HZ))
    x[: len(ramp)] *= ramp
    x[-len(ramp) :] *= ramp[::-1]
    return Signal(x[None, :], "en", EN_HI, {"voice": "en-us", "words_per_minute": 300})


def sig_long() -> Signal:
    """Several phrases, 0.4 s apart, padded with silence to exactly 10.000 s."""
    parts: list[np.ndarray] = [silence(0.3)]
    for text in (EN_HELLO, EN_BOOK, EN_THANKS):
        parts += [synthesize(text), silence(0.4)]
    x = np.concatenate(parts)[None, :]
    assert x.shape[1] <= 10 * ESPEAK_RATE_HZ, "10 s clip: speech is longer than 10 s"
    x = np.pad(x, ((0, 0), (0, 10 * ESPEAK_RATE_HZ - x.shape[1])))
    return Signal(x, "en", " ".join((EN_HELLO, EN_BOOK, EN_THANKS)), {"voice": "en-us"})


# Signal builders at the espeak rate (resampled per clip); "noise" is built at the clip rate.
SIGNALS: dict[str, Callable[[], Signal]] = {
    "en_hello": lambda: sig_phrase(EN_HELLO),
    "en_hear": lambda: sig_phrase(EN_HEAR),
    "ja_hello": lambda: sig_phrase(JA_HELLO, "ja", "ja", JA_HELLO_KANA),
    "en_hello_stereo": lambda: sig_stereo(EN_HELLO),
    "en_hear_stereo": lambda: sig_stereo(EN_HEAR),
    "vad": sig_vad,
    "short": sig_short,
    "long": sig_long,
    "silence": lambda: Signal(silence(2.0)[None, :], None, "", {}),
}
REFERENCES = {
    "en_hello": "ref_en_hello_24k_pcm16.wav",
    "en_hear": "ref_en_hear_24k_pcm16.wav",
    "ja_hello": "ref_ja_hello_24k_pcm16.wav",
}
REFERENCES |= {
    "en_hello_stereo": REFERENCES["en_hello"],
    "noise": REFERENCES["en_hello"],
    "en_hear_stereo": REFERENCES["en_hear"],
}
M4A = "m4a/AAC mono as an iPhone uploads it"
S16 = "pcm_s16le"
CLIPS = [
    Clip("ref_en_hello_24k_pcm16.wav", "en_hello", 24_000, S16, "echo reference (model rate)"),
    Clip("ref_en_hear_24k_pcm16.wav", "en_hear", 24_000, S16, "echo reference, short phrase"),
    Clip("ref_ja_hello_24k_pcm16.wav", "ja_hello", 24_000, S16, "echo reference, Japanese"),
    Clip(
        "en_hello_44k1_aac_faststart.m4a",
        "en_hello",
        44_100,
        "aac",
        f"{M4A}, moov first (streamable)",
        FASTSTART,
    ),
    Clip("ja_hello_44k1_aac_faststart.m4a", "ja_hello", 44_100, "aac", M4A, FASTSTART),
    Clip(
        "en_hello_44k1_aac_moovlast.m4a",
        "en_hello",
        44_100,
        "aac",
        f"{M4A}, moov after mdat (not streamable: the demuxer must seek)",
    ),
    Clip("en_hello_44k1_stereo.mp3", "en_hello_stereo", 44_100, "libmp3lame", "mp3 stereo"),
    Clip("en_hello_48k_opus.ogg", "en_hello", 48_000, "libopus", "ogg/opus (Firefox recorder)"),
    Clip(
        "en_hello_48k_opus.webm",
        "en_hello",
        48_000,
        "libopus",
        "webm/opus like Chrome MediaRecorder: live mode, no Duration/Cues",
        {"live": "1"},
    ),
    Clip("en_hello_8k_pcm16.wav", "en_hello", 8_000, S16, "telephone rate"),
    Clip("en_hello_16k_pcm16.wav", "en_hello", 16_000, S16, "ASR rate"),
    Clip("en_hear_48k_pcm16.wav", "en_hear", 48_000, S16, "browser rate"),
    Clip("en_hear_44k1_stereo_pcm16.wav", "en_hear_stereo", 44_100, S16, "CD-rate stereo wav"),
    Clip("en_hear_48k_pcm24.wav", "en_hear", 48_000, "pcm_s24le", "24-bit wav"),
    Clip("en_hear_48k_f32.wav", "en_hear", 48_000, "pcm_f32le", "32-bit float wav"),
    Clip("en_hello_11k025_u8.wav", "en_hello", 11_025, "pcm_u8", "8-bit unsigned, odd rate"),
    Clip("en_hello_8k_mulaw.wav", "en_hello", 8_000, "pcm_mulaw", "G.711 mu-law wav"),
    Clip("en_hear_96k_s24.flac", "en_hear", 96_000, "flac", "FLAC 96 kHz 24-bit"),
    Clip(
        "vad_two_utterances_24k_pcm16.wav",
        "vad",
        24_000,
        S16,
        "VAD: two utterances, 1.2 s pause; boundaries in utterances_ms",
    ),
    Clip("vad_two_utterances_44k1_aac.m4a", "vad", 44_100, "aac", "VAD clip, m4a", FASTSTART),
    Clip("en_hello_noise15db_16k_pcm16.wav", "noise", 16_000, S16, "speech in pink noise"),
    Clip("en_hi_short_24k_pcm16.wav", "short", 24_000, S16, "very short (< 0.2 s)"),
    Clip("en_hi_short_44k1_aac.m4a", "short", 44_100, "aac", "very short m4a", FASTSTART),
    Clip("silence_2s_16k_pcm16.wav", "silence", 16_000, S16, "2 s digital silence"),
    Clip(
        "en_long_10s_48k_pcm16.wav",
        "long",
        48_000,
        S16,
        "10 s, time-to-first-audio benchmark; also its own echo reference",
    ),
    Clip(
        "en_long_10s_44k1_aac_faststart.m4a",
        "long",
        44_100,
        "aac",
        "10 s m4a, time-to-first-audio benchmark",
        FASTSTART,
    ),
]


def to_codec_samples(x: np.ndarray, codec: str) -> np.ndarray:
    """Quantise float (channels, n) in [-1, 1] to the codec's input sample format."""
    x = np.clip(x, -1.0, 1.0)
    if codec in ("pcm_s16le", "pcm_mulaw"):
        return np.round(x * 32767).astype(np.int16)
    if codec in ("pcm_s24le", "flac"):  # 24-bit value, left-justified in int32
        return np.round(x * 8_388_607).astype(np.int32) << 8
    if codec == "pcm_u8":
        return (np.round(x * 127) + 128).astype(np.uint8)
    return x.astype(np.float32)


def encode(path: Path, clip: Clip, x: np.ndarray) -> None:
    """Encode (channels, n) float samples with PyAV: bitexact flags, no metadata."""
    _, sample_fmt, bits, _, bit_rate = CODECS[clip.codec]
    data = to_codec_samples(x, clip.codec)
    layout = "mono" if x.shape[0] == 1 else "stereo"
    opts = {"fflags": "+bitexact", **clip.container_options}
    muxer = MUXERS[path.suffix][0]
    with av.open(str(path), "w", format=muxer, container_options=opts) as out:
        stream = out.add_stream(clip.codec, rate=clip.sample_rate_hz, layout=layout)
        stream.codec_context.format = sample_fmt
        flac_bits = {"bits_per_raw_sample": str(bits)} if clip.codec == "flac" else {}
        stream.codec_context.options = {"flags": "+bitexact", **flac_bits}
        stream.codec_context.bit_rate = bit_rate or 0
        step = 4096
        for start in range(0, data.shape[1], step):
            block = data[:, start : start + step]
            if not sample_fmt.endswith("p"):  # packed: one interleaved row
                block = block.T.reshape(1, -1)
            frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(block), sample_fmt, layout)
            frame.sample_rate = clip.sample_rate_hz
            frame.pts = start
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))


def build(out_dir: Path) -> dict[str, Any]:
    """Write every clip into ``out_dir`` and return the manifest (also written there)."""
    cache: dict[str, Signal] = {}
    files: list[dict[str, Any]] = []
    for clip in CLIPS:
        if clip.signal == "noise":  # mixed at the output rate so the SNR is exact there
            sig, rate = sig_noise(clip.sample_rate_hz), clip.sample_rate_hz
        else:
            sig, rate = cache.setdefault(clip.signal, SIGNALS[clip.signal]()), ESPEAK_RATE_HZ
        x = resample(sig.samples, rate, clip.sample_rate_hz)
        path = out_dir / clip.name
        encode(path, clip, x)
        codec, _, bits, lossless, bit_rate = CODECS[clip.codec]
        _, fmt, mime = MUXERS[path.suffix]
        blob = path.read_bytes()
        entry: dict[str, Any] = {
            "name": clip.name,
            "purpose": clip.purpose,
            "format": fmt,
            "mime": mime,
            "codec": codec,
            "bits_per_sample": bits,
            "lossless": lossless,
            "bit_rate": bit_rate,
            "sample_rate_hz": clip.sample_rate_hz,
            "channels": int(x.shape[0]),
            "num_samples": x.shape[1],
            "duration_s": round(x.shape[1] / clip.sample_rate_hz, 6),
            "language": sig.language,
            "text": sig.text,
            "reference": REFERENCES.get(clip.signal),
        }
        if fmt == "mp4":
            entry["faststart"] = "faststart" in clip.container_options.get("movflags", "")
        entry |= sig.extra | {"size_bytes": len(blob), "sha256": hashlib.sha256(blob).hexdigest()}
        files.append(entry)
    generator = {
        "espeak_ng": espeak_version(),
        "pyav": av.__version__,
        "numpy": np.__version__,
        "libavcodec": ".".join(map(str, av.library_versions["libavcodec"])),
    }
    manifest = {
        "schema_version": 1,
        "regenerate": REGENERATE,
        "generator": generator,
        "reproducibility": REPRODUCIBILITY,
        "total_bytes": sum(f["size_bytes"] for f in files),
        "files": files,
    }
    text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    (out_dir / "manifest.json").write_text(text, encoding="utf-8")
    return manifest


def compare(committed: dict[str, Any], fresh: dict[str, Any]) -> list[str]:
    """Differences that matter (names, format, rates, channels, durations, VAD boundaries)."""
    problems: list[str] = []
    old = {f["name"]: f for f in committed["files"]}
    new = {f["name"]: f for f in fresh["files"]}
    problems += [f"{n}: missing from regenerated set" for n in sorted(old.keys() - new.keys())]
    problems += [f"{n}: not in committed manifest" for n in sorted(new.keys() - old.keys())]
    for name in sorted(old.keys() & new.keys()):
        a, b = old[name], new[name]
        for key in ("format", "codec", "sample_rate_hz", "channels", "language", "text"):
            if a.get(key) != b.get(key):
                problems.append(f"{name}: {key} {a.get(key)!r} != {b.get(key)!r}")
        if abs(a["duration_s"] - b["duration_s"]) > 0.001:
            problems.append(f"{name}: duration_s {a['duration_s']} != {b['duration_s']}")
        ua, ub = a.get("utterances_ms", []), b.get("utterances_ms", [])
        edges = [(u[k], v[k]) for u, v in zip(ua, ub, strict=False) for k in ("start_ms", "end_ms")]
        if len(ua) != len(ub) or any(abs(x - y) > 10 for x, y in edges):
            problems.append(f"{name}: utterances_ms {ua} != {ub}")
    return problems


def main(argv: list[str] | None = None) -> int:
    """Regenerate the fixtures, or with ``--check`` verify the committed manifest."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="output directory")
    args = parser.parse_args(argv)
    if shutil.which("espeak-ng") is None:
        print("espeak-ng not found: apt-get install -y espeak-ng", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        fresh = build(Path(tmp))
        if args.check:
            committed = json.loads((args.out / "manifest.json").read_text(encoding="utf-8"))
            problems = compare(committed, fresh)
            if committed["generator"] != fresh["generator"]:
                print(f"note: generated with {committed['generator']}, now {fresh['generator']}")
            old_sha = {f["name"]: f["sha256"] for f in committed["files"]}
            changed = [f["name"] for f in fresh["files"] if old_sha.get(f["name"]) != f["sha256"]]
            print(f"bytes differ (informational only): {', '.join(changed) or 'none'}")
            print("\n".join(problems) or f"check OK: {len(fresh['files'])} files match manifest")
            return 1 if problems else 0
        args.out.mkdir(parents=True, exist_ok=True)
        for item in sorted(Path(tmp).iterdir()):
            dest = args.out / item.name
            if not dest.exists() or dest.read_bytes() != item.read_bytes():
                shutil.copyfile(item, dest)
                print(f"wrote {dest}")
    known = {f["name"] for f in fresh["files"]} | {"manifest.json", "README.md"}
    for stray in sorted(p.name for p in args.out.iterdir() if p.name not in known):
        print(f"warning: {stray} is not generated by this script", file=sys.stderr)
    print(f"{len(fresh['files'])} files, {fresh['total_bytes']} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
