"""Short fuzz runs in every test session: each target's contract on mutated seeds.

A fixed, small budget per target (the long runs are ``workbench bench fuzz``). A
failure prints the shrunk input; add it to ``tests/fuzz_corpus`` with its finding
(see that folder's README) so it is replayed forever after.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from workbench.bench.fuzz import known_signatures
from workbench.bench.fuzz_strategies import strategy_for
from workbench.bench.fuzz_targets import TARGETS, Finding

# Examples per target: the decoder decodes (~15 ms each), the others parse (~1 ms).
BUDGET = {"decoder": 60, "multipart": 200, "ws_client_text": 300, "ws_query": 300}
BUDGET["client_codec"] = 300
_SETTINGS = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    report_multiple_bugs=False,
)


@pytest.mark.parametrize(
    "name", ["decoder", "multipart", "ws_client_text", "ws_query", "client_codec"]
)
def test_target_keeps_its_contract_on_mutated_input(name: str) -> None:
    check = TARGETS[name].check
    reported = known_signatures(name)

    @settings(_SETTINGS, max_examples=BUDGET[name])
    @given(strategy_for(name))
    def run(data: bytes) -> None:
        try:
            check(data)
        except Finding as finding:
            # Already in the corpus and reported to the owner: not news, not a failure.
            if not any(signature in finding.detail for signature in reported):
                raise

    run()


def test_every_target_is_fuzzed_here() -> None:
    assert set(BUDGET) == set(TARGETS)
