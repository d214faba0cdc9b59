"""What a setting is: name, label, unit, range, help, and how a raw value is parsed.

Settings are declared once, as dataclass fields whose metadata holds a :class:`Setting`
(see :func:`setting`). Everything that shows or accepts a setting derives from that
declaration: environment variables (``WORKBENCH_<NAME>``), CLI flags (``--name``), the
Gradio Settings tab, the WebSocket ``settings`` message and fixture metadata. Values
arrive as strings (env, query, CLI), numbers or ``None`` (form fields) or JSON; every
one goes through :meth:`Setting.parse`, and :func:`parse_values` reports every problem
of a set of values at once, with the labels a user sees.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from workbench.errors import ConfigError

Kind = Literal["float", "int", "choice", "text", "list"]
T = TypeVar("T")
_META_KEY = "workbench_setting"


@dataclass(frozen=True)
class Setting:
    """One setting's declaration.

    Parameters
    ----------
    name : str
        The field name (``chunk_ms``); also the WebSocket/query key and fixture key.
    label : str
        What a person reads (``Chunk size``).
    unit : str
        Unit of the value (``ms``, ``s``, ``Hz``, ``bytes``, ``×``) or ``""``.
    help : str
        One sentence on what it does.
    kind : {"float", "int", "choice", "text", "list"}
        How raw values are parsed; ``list`` is a tuple of strings (comma-separated
        in text form).
    lo, hi : float | None
        Inclusive range of numbers.
    choices : tuple[str, ...]
        Allowed values of a ``choice``.
    max_chars : int | None
        Longest ``text`` (characters).
    pattern, pattern_text : str | None, str
        A regular expression a non-empty ``text`` must match, and how to say it.
    """

    name: str
    label: str
    unit: str
    help: str
    kind: Kind
    lo: float | None = None
    hi: float | None = None
    choices: tuple[str, ...] = ()
    max_chars: int | None = None
    pattern: str | None = None
    pattern_text: str = ""

    @property
    def display(self) -> str:
        """The label with its unit, as forms and error messages show it."""
        return f"{self.label} ({self.unit})" if self.unit else self.label

    @property
    def env_var(self) -> str:
        """The environment variable that sets it (``WORKBENCH_CHUNK_MS``)."""
        return f"WORKBENCH_{self.name.upper()}"

    @property
    def cli_flag(self) -> str:
        """The command-line flag that sets it (``--chunk-ms``)."""
        return "--" + self.name.replace("_", "-")

    def range_text(self) -> str:
        """The accepted values in words (``5–1000``, ``one of none, server_vad``)."""
        if self.kind == "choice":
            return "one of " + ", ".join(self.choices)
        if self.lo is not None and self.hi is not None:
            if self.kind == "int":
                return f"{int(self.lo)}–{int(self.hi)}"
            return f"{self.lo:g}–{self.hi:g}"
        if self.max_chars is not None:
            return f"at most {self.max_chars} characters"
        return ""

    def parse(self, raw: object) -> Any:
        """The typed value of ``raw``; ``ValueError`` says what is wrong (no label).

        Numbers accept ints, floats and numeric strings; ``int`` settings refuse
        fractions. Text is stripped. Lists accept a sequence or a comma-separated string.
        """
        if self.kind in ("float", "int"):
            return self._number(raw)
        if self.kind == "choice":
            if not isinstance(raw, str) or raw not in self.choices:
                raise ValueError(f"must be {self.range_text()}, got {_show(raw)}")
            return raw
        if self.kind == "text":
            if raw is None:
                return ""
            if not isinstance(raw, str):
                raise ValueError(f"must be text, got {_show(raw)}")
            text = raw.strip()
            if self.max_chars is not None and len(text) > self.max_chars:
                raise ValueError(f"must be at most {self.max_chars} characters, got {len(text)}")
            if text and self.pattern is not None and not re.fullmatch(self.pattern, text):
                raise ValueError(f"must be {self.pattern_text or self.pattern}, got {_show(raw)}")
            return text
        if isinstance(raw, str):
            return tuple(v.strip() for v in raw.split(",") if v.strip())
        if isinstance(raw, list | tuple) and all(isinstance(v, str) for v in raw):
            return tuple(raw)
        raise ValueError(f"must be a list of strings, got {_show(raw)}")

    def _number(self, raw: object) -> float | int:
        if raw is None or raw == "" or isinstance(raw, bool):
            raise ValueError(f"must be a number, got {_show(raw)}")
        try:
            value = float(raw)  # type: ignore[arg-type]
        except (TypeError, ValueError, OverflowError):  # a 400-digit int overflows
            raise ValueError(f"must be a number, got {_show(raw)}") from None
        if not math.isfinite(value):
            raise ValueError(f"must be a finite number, got {_show(raw)}")
        if self.kind == "int" and value != int(value):
            raise ValueError(f"must be a whole number, got {_show(raw)}")
        if (self.lo is not None and value < self.lo) or (self.hi is not None and value > self.hi):
            lo, hi = self.range_text().split("–")
            raise ValueError(f"must be between {lo} and {hi}, got {_show(raw)}")
        return int(value) if self.kind == "int" else value


def _show(raw: object) -> str:
    text = repr(raw)
    return text if len(text) <= 40 else text[:37] + "..."


def setting(default: T, **declaration: Any) -> T:
    """A dataclass field declared as a setting (``name`` comes from the field).

    Example: ``chunk_ms: float = setting(40.0, label="Chunk size", unit="ms", ...)``.
    """
    made: Any = field(default=default, metadata={_META_KEY: Setting(name="", **declaration)})
    return made  # type: ignore[no-any-return]


# Cached per class: every session's config is checked against these (a scan of the
# dataclass's fields per look-up cost ~1.5 ms per session opened, measured with
# cProfile while 100 WebSocket sessions connected at once).
_SPECS: dict[type, tuple[Setting, ...]] = {}
_BY_NAME: dict[type, dict[str, Setting]] = {}


def specs(cls: type) -> tuple[Setting, ...]:
    """The settings declared on dataclass ``cls``, in field order, with their names."""
    found = _SPECS.get(cls)
    if found is None:
        found = _SPECS[cls] = tuple(
            dataclasses.replace(f.metadata[_META_KEY], name=f.name)
            for f in dataclasses.fields(cls)
            if _META_KEY in f.metadata
        )
    return found


def spec_of(cls: type, name: str) -> Setting:
    """The declaration of setting ``name`` on ``cls`` (KeyError if unknown)."""
    by_name = _BY_NAME.get(cls)
    if by_name is None:
        by_name = _BY_NAME[cls] = {spec.name: spec for spec in specs(cls)}
    return by_name[name]


@dataclass(frozen=True)
class Problem:
    """One bad value: which setting, and what is wrong with it."""

    name: str
    label: str
    detail: str

    @property
    def message(self) -> str:
        """``Chunk size (ms): must be between 5–1000, got 3``."""
        return f"{self.label}: {self.detail}"


class SettingsError(ConfigError):
    """Values that cannot be used; ``problems`` lists every one of them.

    ``message`` joins the problems, each named by its label as the UI shows it.
    """

    code = "bad_settings"

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(p.message for p in self.problems), code="bad_settings")

    @property
    def keyed_message(self) -> str:
        """The problems named by key and label, for API clients (``chunk_ms (Chunk …``)."""
        return "; ".join(
            f"{p.name} ({p.label}): {p.detail}" if p.name != p.label else p.message
            for p in self.problems
        )

    def to_dict(self) -> dict[str, Any]:
        """``{"code", "message", "problems": [{"name", "label", "detail"}]}``."""
        out: dict[str, Any] = dict(super().to_dict())
        out["problems"] = [dataclasses.asdict(p) for p in self.problems]
        return out


def parse_values(
    cls: type, values: Mapping[str, object], *, unknown: str = "refuse"
) -> dict[str, Any]:
    """Parse ``values`` against the settings of ``cls``; every problem at once.

    Parameters
    ----------
    cls : type
        A dataclass whose fields are declared with :func:`setting`.
    values : Mapping[str, object]
        Setting name → raw value (``None`` for a number is a problem: a cleared form
        field says "must be a number"). Keys not given are not in the result.
    unknown : {"refuse", "ignore"}
        Whether keys that are not settings of ``cls`` are problems.

    Returns
    -------
    dict
        Name → typed value, for the keys given.

    Raises
    ------
    SettingsError
        Every bad value (and unknown key), each named with its label.
    """
    by_name = {s.name: s for s in specs(cls)}
    parsed: dict[str, Any] = {}
    problems: list[Problem] = []
    for name, raw in values.items():
        spec = by_name.get(name)
        if spec is None:
            if unknown == "refuse":
                known = ", ".join(by_name)
                problems.append(Problem(name, name, f"is not a setting (known: {known})"))
            continue
        try:
            parsed[name] = spec.parse(raw)
        except ValueError as exc:
            problems.append(Problem(name, spec.display, str(exc)))
    if problems:
        raise SettingsError(problems)
    return parsed


def check_instance(obj: object) -> None:
    """Validate every declared field of a settings dataclass instance (all problems)."""
    problems: list[Problem] = []
    for spec in specs(type(obj)):
        try:
            spec.parse(getattr(obj, spec.name))
        except ValueError as exc:
            problems.append(Problem(spec.name, spec.display, str(exc)))
    if problems:
        raise SettingsError(problems)


def from_env(cls: type[T], env: Mapping[str, str], base: T | None = None) -> T:
    """``base`` (default ``cls()``) with every ``WORKBENCH_<NAME>`` variable applied."""
    raw = {s.name: env[s.env_var] for s in specs(cls) if env.get(s.env_var, "") != ""}
    try:
        parsed = parse_values(cls, raw)
    except SettingsError as exc:
        by_name = {s.name: s for s in specs(cls)}
        renamed = [
            Problem(p.name, f"{by_name[p.name].env_var} ({p.label})", p.detail)
            for p in exc.problems
        ]
        raise SettingsError(renamed) from None
    start: Any = base if base is not None else cls()
    return dataclasses.replace(start, **parsed)  # type: ignore[no-any-return]


def to_dict(obj: object) -> dict[str, Any]:
    """Every declared setting of ``obj`` as a JSON-ready dict (tuples become lists)."""
    return {
        s.name: list(v) if isinstance(v := getattr(obj, s.name), tuple) else v
        for s in specs(type(obj))
    }
