"""The memory budget follows the settings that bound each buffer."""

from __future__ import annotations

from workbench.service.budget import REPLY_BYTES_PER_S, describe_budget, memory_budget
from workbench.settings import ServerSettings


def test_the_budget_is_the_sum_of_the_bounds_the_settings_set() -> None:
    small = memory_budget(ServerSettings(max_queued_reply_s=10.0, max_sessions=2))
    large = memory_budget(ServerSettings(max_queued_reply_s=70.0, max_sessions=2))
    assert large.reply_queue_bytes - small.reply_queue_bytes == 60 * REPLY_BYTES_PER_S == 2_880_000
    server = ServerSettings(max_sessions=3, max_concurrent_decodes=5)
    budget = memory_budget(server)
    assert budget.per_process_bytes == 3 * budget.per_session_bytes + 5 * budget.per_decode_bytes
    assert budget.per_session_bytes >= budget.ws_input_bytes + budget.reply_queue_bytes


def test_a_smaller_decode_bound_shrinks_the_decode_budget() -> None:
    default = memory_budget(ServerSettings())
    tight = memory_budget(ServerSettings(max_decoded_bytes=1024 * 1024))
    assert tight.per_decode_bytes < default.per_decode_bytes / 3
    # With the defaults, one WebSocket's input queue is the largest input a session holds.
    assert default.per_session_bytes == default.reply_queue_bytes + default.ws_input_bytes


def test_the_start_up_line_states_the_budget_of_the_settings() -> None:
    server = ServerSettings(max_sessions=10, max_concurrent_decodes=2)
    budget = memory_budget(server)
    line = describe_budget(server)
    assert "× 10 sessions" in line and "× 2 decodes" in line
    assert f"= {budget.per_process_bytes / 1e6:.0f} MB" in line
