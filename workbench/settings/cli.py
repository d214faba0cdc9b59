"""Command-line flags and environment variables derived from the settings declarations.

``add_flags(parser, ServerSettings)`` adds ``--max-sessions``, ``--idle-timeout-s`` …
with the label, range, default and environment variable in each flag's help;
:func:`resolve` applies the environment first, then the flags the user gave, and
reports every bad value at once.
"""

from __future__ import annotations

import argparse
import dataclasses
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from workbench.settings.spec import Problem, SettingsError, from_env, parse_values, specs

T = TypeVar("T")


def _default_text(value: object) -> str:
    if isinstance(value, tuple):
        return ",".join(value) or "none"
    if isinstance(value, float):
        return f"{value:g}"
    return repr(value) if isinstance(value, str) else str(value)


def add_flags(
    parser: argparse.ArgumentParser | Any,
    cls: type,
    *,
    only: Iterable[str] | None = None,
    title: str | None = None,
) -> None:
    """Add one flag per setting of ``cls`` (values are parsed later by :func:`resolve`).

    Parameters
    ----------
    parser : argparse.ArgumentParser
        Where to add them (in an argument group titled ``title`` if given).
    cls : type
        ``RelaySettings`` or ``ServerSettings``.
    only : iterable of str | None
        Restrict to these setting names.
    """
    wanted = set(only) if only is not None else None
    target = parser.add_argument_group(title) if title else parser
    defaults = cls()
    for spec in specs(cls):
        if wanted is not None and spec.name not in wanted:
            continue
        accepted = spec.range_text()
        default = _default_text(getattr(defaults, spec.name))
        target.add_argument(
            spec.cli_flag,
            dest=f"setting__{spec.name}",
            default=None,
            metavar=spec.unit.upper().replace(" ", "_") or "VALUE",
            help=f"{spec.display}: {spec.help} [{accepted + '; ' if accepted else ''}"
            f"default {default}; env {spec.env_var}]",
        )


def flag_values(args: argparse.Namespace, cls: type) -> dict[str, str]:
    """The raw values of the ``cls`` flags the user gave (name → text)."""
    out: dict[str, str] = {}
    for spec in specs(cls):
        value = getattr(args, f"setting__{spec.name}", None)
        if value is not None:
            out[spec.name] = value
    return out


def resolve(
    cls: type[T],
    *,
    env: Mapping[str, str] | None = None,
    args: argparse.Namespace | None = None,
    base: T | None = None,
) -> T:
    """``base`` (default ``cls()``) + environment variables + given flags.

    Raises
    ------
    SettingsError
        Every bad environment variable and flag at once; flags are named as typed
        (``--chunk-ms (Chunk size (ms)): must be …``).
    """
    problems: list[Problem] = []
    value: Any = base if base is not None else cls()
    try:
        value = from_env(cls, env or {}, value)
    except SettingsError as exc:
        problems.extend(exc.problems)
    if args is not None:
        given = flag_values(args, cls)
        try:
            value = dataclasses.replace(value, **parse_values(cls, given))
        except SettingsError as exc:
            by_name = {s.name: s for s in specs(cls)}
            problems.extend(
                Problem(p.name, f"{by_name[p.name].cli_flag} ({p.label})", p.detail)
                for p in exc.problems
            )
    if problems:
        raise SettingsError(problems)
    return value  # type: ignore[no-any-return]
