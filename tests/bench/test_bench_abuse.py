"""Smoke test of ``workbench bench abuse``: tiny parameters, a real ``workbench api``.

Checks what a user of the suite relies on: every case is measured and written to strict
JSON, and the answers are the hardened ones (typed 4xx, closed slow connections). The
memory and time figures themselves are the benchmark's business, not asserted here.
"""

from __future__ import annotations

import json
from pathlib import Path

from workbench.bench import abuse

SHORT_TIMEOUTS = ("--header-timeout-s", "1", "--body-window-s", "1", "--handshake-timeout-s", "1")


def test_quick_abuse_run_measures_every_case_and_gets_hardened_answers(tmp_path: Path) -> None:
    params = abuse.AbuseParams(
        quick=True,
        settle_s=0.2,
        cap_s=8.0,
        bomb_duration_s=5.0,
        bombs=("flac",),
        slowloris_connections=3,
        slowloris_s=6.0,
        targets=("api",),
        server_args=SHORT_TIMEOUTS,
        decoder_bombs=(("flac192", 5.0),),
    )
    summary = abuse.run(tmp_path, params=params)

    data = json.loads((tmp_path / "abuse.json").read_text())
    rows = {row["case"]: row for row in data["samples"]}
    assert summary["cases"] == len(rows) == 6 + 4
    for row in rows.values():
        assert {"answer", "answer_s", "rss_before_mb", "peak_delta_mb", "after_delta_mb"} <= set(
            row
        )
    assert rows["bomb flac_flac_655k_5s upload"]["answer"] == "415 unsupported_rate"
    assert rows["wav_unknown_codec_tag upload"]["answer"] == "415 unsupported_codec"
    short = rows["50 ms clip (under the model's minimum commit) upload"]
    assert short["answer"] == "422 too_short"
    assert rows["slowloris 3 conns, 1 B/s head"]["answer"].startswith("0/3 open")
    assert rows["short body, stream route"]["answer"] == "408 body_timeout"
    assert rows["ws handshake, 9 kB query"]["answer"] == "414 head_too_large"
    assert summary["server_errors_5xx"] == 0
    # The decoder alone, in child processes: both decoders, both rates, all decoded.
    decoder_rows = [row for row in rows.values() if row["target"] == "decoder"]
    assert [row["answer"] for row in decoder_rows] == ["ok 5 s"] * 4
