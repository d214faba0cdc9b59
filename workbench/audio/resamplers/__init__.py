"""The resampling methods, one module each, and the registry that names them.

Adding a method
---------------
1. Write ``workbench/audio/resamplers/<method>.py`` with a :class:`Resampler` subclass:
   class attributes ``name``, ``stateful`` and ``summary``; ``process``, ``flush`` and
   ``delay_samples`` (see :mod:`workbench.audio.resamplers.base`). Import heavy
   libraries inside the methods that use them, so importing the registry stays cheap.
2. Add one line ``"<module>:<Class>"`` to :data:`_REGISTRY` below, where it should sit
   in :data:`METHODS` (menus list methods in this order; the first is the default).
3. Test it in ``tests/audio/test_<method>.py``. ``tests/audio/test_resamplers.py``
   already runs every registered method through the contract (lengths, dtypes, the
   look-ahead against an impulse, and chunked == one-shot for stateful methods).

Everything else (the settings menu, validation of ``RelayConfig.resampler``, the
benchmark and notebooks) reads :data:`METHODS`.
"""

from __future__ import annotations

import importlib
import inspect
from typing import NewType

from workbench.audio.resamplers.base import (
    MAX_RATE_HZ,
    MIN_RATE_HZ,
    Resampler,
    check_rate,
)
from workbench.audio.resamplers.passthrough import Passthrough
from workbench.errors import ConfigError

ResamplerMethod = NewType("ResamplerMethod", str)
"""A method name checked against :data:`METHODS` (see :func:`check_method`)."""

_REGISTRY = (
    "soxr_stream:SoxrHQ",
    "soxr_stream:SoxrVHQ",
    "soxr_stream:SoxrQQ",
    "polyphase:Polyphase",
    "linear:Linear",
    "scipy_fft_per_chunk:ScipyFftPerChunk",
    "librosa_per_chunk:LibrosaPerChunk",
)


def _load(entry: str) -> type[Resampler]:
    module_name, _, class_name = entry.partition(":")
    found = getattr(importlib.import_module(f"{__name__}.{module_name}"), class_name)
    if not (isinstance(found, type) and issubclass(found, Resampler)) or inspect.isabstract(found):
        raise TypeError(f"resampler registry entry {entry!r} is not a concrete Resampler")
    return found


CLASSES: tuple[type[Resampler], ...] = tuple(_load(entry) for entry in _REGISTRY)
"""The registered method classes, in :data:`METHODS` order."""
METHODS: tuple[ResamplerMethod, ...] = tuple(ResamplerMethod(c.name) for c in CLASSES)
"""Every method name; the first is the default."""
DEFAULT_METHOD: ResamplerMethod = METHODS[0]
_BY_NAME: dict[str, type[Resampler]] = dict(zip(METHODS, CLASSES, strict=True))
if len(_BY_NAME) != len(METHODS):
    raise TypeError(f"two registered resamplers share a name: {METHODS}")


def check_method(method: object) -> ResamplerMethod:
    """Return ``method`` as a :data:`ResamplerMethod` if it names a registered method.

    Raises
    ------
    ConfigError
        Code ``bad_resampler_method``, naming the value and the choices.
    """
    if isinstance(method, str) and method in _BY_NAME:
        return ResamplerMethod(method)
    raise ConfigError(
        f"unknown resampler method {method!r}; choose one of {', '.join(METHODS)}",
        code="bad_resampler_method",
    )


def method_class(method: str) -> type[Resampler]:
    """The :class:`Resampler` subclass registered as ``method`` (checked)."""
    return _BY_NAME[check_method(method)]


def is_stateful(method: str) -> bool:
    """True if ``method`` keeps state across chunks (chunked output == one-shot output).

    Raises
    ------
    ConfigError
        ``method`` is not one of :data:`METHODS`.
    """
    return method_class(method).stateful


def create(method: str, in_rate_hz: object, out_rate_hz: object) -> Resampler:
    """A new resampler for one stream (rates and method checked).

    Parameters
    ----------
    method : str
        One of :data:`METHODS`.
    in_rate_hz, out_rate_hz : int
        Sample rates, whole Hz in 1,000..768,000. Equal rates give a
        :class:`~workbench.audio.resamplers.passthrough.Passthrough`, whatever the method.

    Raises
    ------
    AudioError
        A bad rate (code ``bad_sample_rate``), or one the method cannot handle.
    ConfigError
        An unknown method (code ``bad_resampler_method``).
    """
    in_hz = check_rate("in_rate_hz", in_rate_hz)
    out_hz = check_rate("out_rate_hz", out_rate_hz)
    cls = method_class(method)
    if in_hz == out_hz:
        return Passthrough(in_hz, out_hz)
    return cls(in_hz, out_hz)


__all__ = [
    "CLASSES",
    "DEFAULT_METHOD",
    "MAX_RATE_HZ",
    "METHODS",
    "MIN_RATE_HZ",
    "Resampler",
    "ResamplerMethod",
    "check_method",
    "check_rate",
    "create",
    "is_stateful",
    "method_class",
]
