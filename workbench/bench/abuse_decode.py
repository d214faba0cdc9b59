"""The decoder alone under the abuse suite's bombs, one fresh child process per decode.

What a server's upload routes do with a bomb, without the server: the one-shot
decoder (``POST /realtime_audio/``) and the streaming decoder fed 64 kB pieces (the
stream route), each with the server's limit of 300 s, either at the source's rate
(how the routes call them today) or at the model's 24 kHz with a cap on decoded bytes
in flight (how the session service should call them). The child reports its peak RSS
above its RSS before the decode (the kernel's high-water mark ``VmHWM``, reset just
before the decode; ``ru_maxrss`` would not do: it keeps the parent's peak across
fork and exec) and its RSS after the decode and a garbage collection, so each figure
is one decode's alone.

``python -m workbench.bench.abuse_decode MODE RATE FILE`` prints one JSON line.
"""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Literal

import psutil

Mode = Literal["oneshot", "stream"]
PIECE_BYTES = 65536
MAX_DURATION_S = 300.0
#: The in-flight cap proposed for the session service (bytes of float32).
MAX_DECODED_BYTES = 16 * 1024 * 1024


def decode_options(mode: Mode, at_model_rate: bool) -> dict[str, Any]:
    """Keyword arguments of a decoder: today's, or the proposed model-rate ones (the
    streaming decoder also caps the decoded bytes waiting for the caller)."""
    from workbench.audio import MODEL_FORMAT

    options: dict[str, Any] = {"max_duration_s": MAX_DURATION_S}
    if at_model_rate:
        options["output_rate_hz"] = MODEL_FORMAT.sample_rate_hz
        if mode == "stream":
            options["max_decoded_bytes"] = MAX_DECODED_BYTES
    return options


def _decode(mode: Mode, data: bytes, options: dict[str, Any]) -> str:
    from workbench.audio import StreamingDecoder, decode_audio
    from workbench.errors import AudioError

    try:
        if mode == "oneshot":
            decoded = decode_audio(data, **options)
            return f"ok {decoded.duration_s:.0f} s"
        n_samples = 0
        with StreamingDecoder(**options) as decoder:
            for start in range(0, len(data), PIECE_BYTES):
                n_samples += len(decoder.feed(data[start : start + PIECE_BYTES]))
            n_samples += len(decoder.close())
            return f"ok {n_samples / (decoder.sample_rate_hz or 1):.0f} s"
    except AudioError as exc:
        return f"{exc.http_status} {exc.code}"


def child_main(mode: Mode, at_model_rate: bool, path: Path) -> dict[str, Any]:
    """Decode ``path`` once in this process; the outcome and memory figures (MB)."""
    import workbench.audio  # noqa: F401 - imports (and their memory) before the baseline

    data = path.read_bytes()
    options = decode_options(mode, at_model_rate)
    process = psutil.Process()
    gc.collect()
    before_mb = process.memory_info().rss / 1e6
    _reset_peak()
    start_s = time.perf_counter()
    outcome = _decode(mode, data, options)
    elapsed_s = time.perf_counter() - start_s
    peak_mb = _peak_mb()
    gc.collect()
    return {
        "outcome": outcome,
        "seconds": elapsed_s,
        "peak_delta_mb": peak_mb - before_mb,
        "after_delta_mb": process.memory_info().rss / 1e6 - before_mb,
    }


def _reset_peak() -> None:
    """Reset the kernel's RSS high-water mark of this process (Linux 4.0+)."""
    with open("/proc/self/clear_refs", "w", encoding="ascii") as clear_refs:
        clear_refs.write("5")


def _peak_mb() -> float:
    """The RSS high-water mark since :func:`_reset_peak` (MB)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024 / 1e6
    raise OSError("no VmHWM in /proc/self/status")


def measure(
    mode: Mode, at_model_rate: bool, path: Path, timeout_s: float = 300.0
) -> dict[str, Any]:
    """Run :func:`child_main` in a fresh interpreter; its JSON result."""
    cmd = [sys.executable, "-m", "workbench.bench.abuse_decode", mode]
    cmd += ["model" if at_model_rate else "source", str(path)]
    proc = subprocess.run(cmd, capture_output=True, timeout=timeout_s, check=False, text=True)
    if proc.returncode != 0:
        return {"outcome": f"child failed ({proc.returncode})", "error": proc.stderr[-500:]}
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


if __name__ == "__main__":
    mode_arg: Any = sys.argv[1]
    print(json.dumps(child_main(mode_arg, sys.argv[2] == "model", Path(sys.argv[3]))))
