"""Hypothesis strategies that turn seed inputs into hostile ones.

:func:`mutated` edits bytes the way file fuzzers do (bit flips biased to the header,
"interesting" integers written over length and rate fields, cuts, inserts, repeats,
splices of two seeds); :func:`json_mutated` also rewrites the values of JSON seeds with
awkward ones (huge integers, infinities, deep nesting, long strings). Hypothesis
shrinks whatever breaks a contract to a small input.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Sequence
from typing import Any

from hypothesis import strategies as st

#: Integers that break length, rate and count fields (as u8/u16/u32, little or big endian).
INTERESTING = (
    0,
    1,
    2,
    0x7F,
    0x80,
    0xFF,
    0x100,
    0x7FFF,
    0x8000,
    0xFFFF,
    0x10000,
    0x7FFFFFFF,
    0x80000000,
    0xFFFFFFFF,
    44100,
    48000,
    655350,
    4_000_000,
)
#: Inputs never grow past this (a repeat op could otherwise build a 1 GB input).
MAX_INPUT_BYTES = 1 << 20
HEADER_BYTES = 512
_OPS = ("flip", "set_int", "truncate", "insert", "delete", "repeat", "splice")


def _position(draw: Any, size: int) -> int:
    if size == 0:
        return 0
    header = min(size, HEADER_BYTES)
    if draw(st.booleans()):
        return int(draw(st.integers(0, header - 1)))
    return int(draw(st.integers(0, size - 1)))


def _apply(draw: Any, data: bytearray, op: str, seeds: Sequence[bytes]) -> bytearray:
    size = len(data)
    at = _position(draw, size)
    if op == "flip" and size:
        data[at] ^= draw(st.integers(1, 255))
    elif op == "set_int" and size:
        width = draw(st.sampled_from((1, 2, 4)))
        value = draw(st.sampled_from(INTERESTING)) & ((1 << (8 * width)) - 1)
        order = draw(st.sampled_from("<>"))
        packed = struct.pack(order + {1: "B", 2: "H", 4: "I"}[width], value)
        data[at : at + width] = packed
    elif op == "truncate":
        del data[at:]
    elif op == "insert":
        data[at:at] = draw(st.binary(min_size=1, max_size=64))
    elif op == "delete":
        del data[at : at + draw(st.integers(1, 256))]
    elif op == "repeat" and size:
        piece = bytes(data[at : at + draw(st.integers(1, 4096))])
        times = draw(st.integers(2, 64))
        if size + len(piece) * times <= MAX_INPUT_BYTES:
            data[at:at] = piece * times
    elif op == "splice":
        other = draw(st.sampled_from(list(seeds)))
        cut = draw(st.integers(0, len(other)))
        data[at:] = other[cut:]
    return data


@st.composite
def mutated(draw: Any, seeds: Sequence[bytes], max_ops: int = 6) -> bytes:
    """A seed with up to ``max_ops`` byte-level edits (see the module docstring)."""
    data = bytearray(draw(st.sampled_from(list(seeds))))
    for _ in range(draw(st.integers(0, max_ops))):
        data = _apply(draw, data, draw(st.sampled_from(_OPS)), seeds)
    return bytes(data[:MAX_INPUT_BYTES])


def awkward_json() -> st.SearchStrategy[Any]:
    """JSON values that break naive validation (what ``json.loads`` can produce)."""
    special = st.sampled_from(
        [
            10**400,
            -(10**400),
            2**63,
            -1,
            0,
            1e308,
            float("inf"),
            float("nan"),
            -0.0,
            True,
            "",
            "a" * 70_000,
            "\ud800",
            "\x00",
            "Infinity",
            "1e999",
            [],
            {},
        ]
    )
    generic = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=64),
    )
    scalars = st.one_of(special, generic)  # half of the values are the known troublemakers
    return st.recursive(
        scalars,
        lambda inner: (
            st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
        ),
        max_leaves=8,
    )


@st.composite
def json_mutated(draw: Any, seeds: Sequence[bytes]) -> bytes:
    """A JSON seed with values replaced by :func:`awkward_json` ones, or byte-mutated."""
    seed = draw(st.sampled_from(list(seeds)))
    if draw(st.booleans()):
        return bytes(draw(mutated(seeds)))
    obj = json.loads(seed)
    if isinstance(obj, dict) and obj:
        for _ in range(draw(st.integers(1, 3))):
            # Mostly the seed's own keys (their values are the ones being validated).
            key = draw(st.sampled_from(list(obj)) | st.text(max_size=12))
            obj[key] = draw(awkward_json())
        if draw(st.integers(0, 9)) == 0:
            obj = {"type": obj.get("type"), "nested": [[[[[[obj]]]]]] * 2}
    text = json.dumps(obj, ensure_ascii=draw(st.booleans()))
    return text.encode("utf-8", "surrogatepass")


@st.composite
def query_mutated(draw: Any, seeds: Sequence[bytes]) -> bytes:
    """A query string with awkward values for known keys, or byte-mutated."""
    from urllib.parse import urlencode

    from workbench.app.api.ws_client_messages import SETTING_KEYS

    if draw(st.booleans()):
        return bytes(draw(mutated(seeds)))
    values = st.one_of(
        st.text(max_size=40),
        st.sampled_from(["1e999", "-inf", "nan", "NaN", "9" * 400, "0x10", " 48000 ", "٤٨٠٠٠"]),
    )
    pairs = draw(st.lists(st.tuples(st.sampled_from(SETTING_KEYS), values), max_size=6))
    return urlencode(pairs).encode("latin-1", "replace")


def strategy_for(target: str) -> st.SearchStrategy[bytes]:
    """The mutation strategy that suits a target's input (JSON, query string or bytes)."""
    from workbench.bench.fuzz_targets import TARGETS

    seeds = TARGETS[target].seeds()
    if target in ("ws_client_text", "client_codec"):
        return json_mutated(seeds)
    if target == "ws_query":
        return query_mutated(seeds)
    return mutated(seeds)
