"""Make an ``ffmpeg`` executable available on PATH for Gradio's streaming audio output.

Gradio encodes streamed audio output to AAC through an ``ffmpeg`` process found on
PATH (``gradio.audio_stream_encoder``). Many machines have no system ffmpeg, but the
``imageio-ffmpeg`` wheel ships a static binary under a versioned name
(``ffmpeg-linux-x86_64-v7.0.2``); a symlink named ``ffmpeg`` in a private directory,
prepended to PATH, makes it visible to Gradio and pydub alike.

Call :func:`ensure_ffmpeg` *before* importing gradio: pydub (imported by gradio)
looks ffmpeg up once at import time.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from pathlib import Path

#: Where the symlink goes when no directory is given (private to this user).
DEFAULT_SHIM_DIR = Path(tempfile.gettempdir()) / f"workbench-ffmpeg-{os.getuid()}"


@dataclass(frozen=True)
class FfmpegStatus:
    """Outcome of :func:`ensure_ffmpeg`.

    Attributes
    ----------
    path : str | None
        The ``ffmpeg`` that PATH now resolves to, or None when there is none.
    source : str
        ``"system"`` (already on PATH), ``"imageio-ffmpeg"`` (the wheel's binary,
        linked into ``shim_dir``) or ``"missing"``.
    message : str
        One line fit for a start-up log.
    """

    path: str | None
    source: str
    message: str

    @property
    def ok(self) -> bool:
        """Whether an ffmpeg is reachable on PATH."""
        return self.path is not None


def _imageio_ffmpeg_exe() -> str | None:
    try:
        import imageio_ffmpeg
    except ImportError:
        return None
    try:
        exe = str(imageio_ffmpeg.get_ffmpeg_exe())
    except RuntimeError:  # the wheel has no binary for this platform
        return None
    return exe if os.path.isfile(exe) and os.access(exe, os.X_OK) else None


def ensure_ffmpeg(
    env: MutableMapping[str, str] | None = None,
    *,
    shim_dir: Path | None = None,
    find_bundled: Callable[[], str | None] = _imageio_ffmpeg_exe,
) -> FfmpegStatus:
    """Put an ``ffmpeg`` on ``env["PATH"]`` if there is none; report what was found.

    Parameters
    ----------
    env : MutableMapping[str, str] | None
        The environment to read and update (default ``os.environ``).
    shim_dir : Path | None
        Directory for the ``ffmpeg`` symlink (default: a per-user temp directory).
    find_bundled : callable
        Returns the path of a bundled ffmpeg binary or None (default: the one
        ``imageio-ffmpeg`` ships). Injected so tests can simulate a missing wheel.

    Returns
    -------
    FfmpegStatus
        ``ok`` is False when no ffmpeg could be found; ``message`` says so in one line.
    """
    env = os.environ if env is None else env
    found = shutil.which("ffmpeg", path=env.get("PATH", ""))
    if found:
        return FfmpegStatus(found, "system", f"ffmpeg: {found}")
    bundled = find_bundled()
    if bundled is None:
        return FfmpegStatus(
            None,
            "missing",
            "ffmpeg: not found on PATH and imageio-ffmpeg has no binary — Gradio's "
            "streamed audio output will fail (install ffmpeg or imageio-ffmpeg)",
        )
    directory = shim_dir if shim_dir is not None else DEFAULT_SHIM_DIR
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    link = directory / "ffmpeg"
    # Replace a stale link (the wheel may have been upgraded to a new file name).
    stale = os.path.realpath(link) != os.path.realpath(bundled)
    if (link.is_symlink() or link.exists()) and stale:
        link.unlink()
    if not link.exists():
        link.symlink_to(bundled)
    env["PATH"] = f"{directory}{os.pathsep}{env.get('PATH', '')}"
    return FfmpegStatus(
        str(link), "imageio-ffmpeg", f"ffmpeg: {link} -> {bundled} (from imageio-ffmpeg)"
    )
