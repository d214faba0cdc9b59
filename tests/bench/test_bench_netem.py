"""``bench netem`` and ``bench bargein`` end to end with tiny parameters (real server,
real clock, bounded), and the expected-contribution model on numbers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.bench import bargein, netem
from workbench.netem.profiles import PROFILES

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_the_expected_contribution_is_one_mean_crossing_each_way() -> None:
    p = netem.NetemParams()
    assert netem.expected_added_ms(PROFILES["none"], "client", p) == 0.0
    four_g = PROFILES["4g"]
    client = netem.expected_added_ms(four_g, "client", p)
    upstream = netem.expected_added_ms(four_g, "upstream", p)
    # 35 ms each way, a little more for serialization and the pareto clip at 0.
    assert four_g.base_rtt_ms <= client < four_g.base_rtt_ms + 10.0
    assert client < upstream  # base64 JSON appends and deltas are larger than PCM frames
    far = netem.expected_added_ms(PROFILES["intercontinental"], "client", p)
    assert far == pytest.approx(PROFILES["intercontinental"].base_rtt_ms, abs=2.0)


def test_netem_suite_measures_voice_to_voice_and_its_parts(tmp_path: Path) -> None:
    params = netem.NetemParams(profiles=("none", "intercontinental"), legs=("client",), turns=1)
    summary = netem.run(tmp_path, params=params)
    data = json.loads((tmp_path / "netem.json").read_text())
    assert (tmp_path / "netem.png").read_bytes()[:8] == PNG_MAGIC
    assert summary["failures"] == []
    for turn in data["samples"]:
        assert turn["status"] == "completed"
        # The server's figure is the client's own, converted with the clock sync.
        assert turn["server_v2v_ms"] == pytest.approx(turn["client_v2v_ms"], abs=1.0)
        parts = turn["parts_ms"]
        assert None not in parts.values() and abs(turn["residual_ms"]) < 0.01
        assert abs(sum(parts.values()) - turn["server_v2v_ms"]) < 0.01
    far = next(r for r in summary["table"] if r["profile"] == "intercontinental")
    # Both crossings are there, and the profile's delay shows in the up and down parts.
    assert far["added_ms"] > PROFILES["intercontinental"].base_rtt_ms - 10.0
    assert far["downlink"] >= 86.0


def test_bargein_suite_reports_stop_latency_truncation_and_transcripts(tmp_path: Path) -> None:
    params = bargein.BargeinParams(profiles=("none",), barge_at_ms=(500.0,), sessions=1)
    summary = bargein.run(tmp_path, params=params)
    data = json.loads((tmp_path / "bargein.json").read_text())
    assert (tmp_path / "bargein.png").read_bytes()[:8] == PNG_MAGIC
    assert summary["failures"] == []
    rows = {r["mode"]: r for r in data["samples"]}
    for row in rows.values():
        assert row["status"] == "cancelled"
        assert row["played_ms"] > 500.0  # barged in after 500 ms were heard
        assert row["stop_latency_ms"] >= params.output_latency_ms  # the device plays on
        assert row["transcript_matches"] is not None
    # The page's interrupt button: the model is told exactly what was played.
    assert abs(rows["client"]["truncation_error_ms"]) <= 1.0
    assert rows["client"]["stop_latency_ms"] == pytest.approx(params.output_latency_ms, abs=15)
