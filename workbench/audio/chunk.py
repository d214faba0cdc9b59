"""Re-framing a stream of sample blocks of any size into frames of exactly N ms."""

from __future__ import annotations

import numpy as np

from workbench.audio.pcm import MODEL_FORMAT
from workbench.errors import AudioError


class Chunker:
    """Cut a stream of sample blocks into frames of exactly ``chunk_ms`` milliseconds.

    Blocks arrive in whatever sizes the source produces (a decoder's frames, a
    resampler's output, a browser's 128-sample worklet buffers); the model wants fixed
    frames. Samples that do not fill a frame are carried to the next ``push``.

    Parameters
    ----------
    chunk_ms : float
        Frame duration in ms. ``chunk_ms * sample_rate_hz / 1000`` must be a whole number
        of samples (e.g. 20 ms at 24 kHz = 480), so that frame timestamps stay exact.
    sample_rate_hz : int
        Sample rate of the stream (default the model rate, ``MODEL_FORMAT.sample_rate_hz``).

    Attributes
    ----------
    frame_samples : int
        Samples per frame.

    Raises
    ------
    AudioError
        A non-positive duration or rate, or a duration that is not a whole number of
        samples at this rate.

    Examples
    --------
    >>> chunker = Chunker(20.0, 24000)
    >>> [len(f) for f in chunker.push(np.zeros(1000, np.float32))]
    [480, 480]
    >>> len(chunker.flush())
    40
    """

    def __init__(self, chunk_ms: float, sample_rate_hz: int = MODEL_FORMAT.sample_rate_hz) -> None:
        if not chunk_ms > 0:
            raise AudioError(f"chunk_ms must be positive, got {chunk_ms}", code="bad_chunk_ms")
        if isinstance(sample_rate_hz, bool) or not isinstance(sample_rate_hz, int | np.integer):
            raise AudioError(f"sample_rate_hz must be an int, got {sample_rate_hz!r}")
        if sample_rate_hz <= 0:
            raise AudioError(f"sample_rate_hz must be positive, got {sample_rate_hz}")
        exact = chunk_ms * sample_rate_hz / 1000
        frame_samples = round(exact)
        if frame_samples < 1 or abs(exact - frame_samples) > 1e-6:
            raise AudioError(
                f"chunk_ms={chunk_ms:g} at {sample_rate_hz} Hz is {exact:g} samples; choose "
                "a duration that is a whole number of samples (e.g. 10, 20, 40 ms)",
                code="bad_chunk_ms",
            )
        self.chunk_ms = float(chunk_ms)
        self.sample_rate_hz = int(sample_rate_hz)
        self.frame_samples = frame_samples
        self._remainder: np.ndarray | None = None

    @property
    def buffered_samples(self) -> int:
        """Samples carried over, waiting for the next frame to fill (< ``frame_samples``)."""
        return 0 if self._remainder is None else len(self._remainder)

    def push(self, x: np.ndarray) -> list[np.ndarray]:
        """Add a block; return the frames it completed.

        Parameters
        ----------
        x : np.ndarray [shape=(n,) or (n, channels)]
            Samples of any dtype (float32 and int16 are typical); frames are cut along
            axis 0. Every block of a stream must have the same dtype and channel count.

        Returns
        -------
        list[np.ndarray [shape=(frame_samples,) or (frame_samples, channels)]]
            Complete frames, same dtype as ``x``, oldest first; often empty.

        Raises
        ------
        AudioError
            A block whose dtype or channel layout differs from the earlier ones.
        """
        x = np.asarray(x)
        if x.ndim not in (1, 2):
            raise AudioError(f"Chunker takes 1-D or 2-D sample blocks, got shape {x.shape}")
        if self._remainder is not None:
            if x.dtype != self._remainder.dtype or x.shape[1:] != self._remainder.shape[1:]:
                raise AudioError(
                    f"block of {x.dtype} {x.shape[1:]} does not match the stream's "
                    f"{self._remainder.dtype} {self._remainder.shape[1:]}"
                )
            x = np.concatenate([self._remainder, x])
        n_frames = len(x) // self.frame_samples
        split_at = n_frames * self.frame_samples
        # Keep an empty (dtype-carrying) remainder so later blocks are checked too.
        self._remainder = x[split_at:].copy()
        if not n_frames:
            return []
        framed = x[:split_at].reshape(n_frames, self.frame_samples, *x.shape[1:])
        return list(framed.copy())

    def flush(self, *, pad: bool = False) -> np.ndarray | None:
        """End of stream: return the partial last frame, or None if there is none.

        Parameters
        ----------
        pad : bool
            Zero-pad the tail to a full frame (for a consumer that needs fixed frames).

        Returns
        -------
        np.ndarray or None
            The ``buffered_samples`` left (``frame_samples`` long if ``pad``); None when
            nothing is buffered. The chunker is empty afterwards and can be reused.
        """
        tail, self._remainder = self._remainder, None
        if tail is None or not len(tail):
            return None
        if pad:
            padding = np.zeros((self.frame_samples - len(tail), *tail.shape[1:]), tail.dtype)
            tail = np.concatenate([tail, padding])
        return tail
