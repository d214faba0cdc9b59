"""The error objects the realtime service sends, as the mock reproduces them.

Codes and messages follow what the service is seen to send (they are what client code
matches on): an empty or too-short commit, cancelling with no active response, a
second ``response.create`` while one is active, truncating past the audio sent, a
rate limit, the session length cap, and a server error.
"""

from __future__ import annotations

from workbench.protocol.events import ErrorInfo

INVALID_REQUEST = "invalid_request_error"
MIN_COMMIT_MS = 100.0


def commit_empty(buffered_ms: float, event_id: str | None) -> ErrorInfo:
    """``input_audio_buffer.commit`` with less than 100 ms of audio in the buffer."""
    return ErrorInfo(
        type=INVALID_REQUEST,
        code="input_audio_buffer_commit_empty",
        message=(
            "Error committing input audio buffer: buffer too small. Expected at least "
            f"{MIN_COMMIT_MS:.0f}ms of audio, but buffer only has {buffered_ms:.2f}ms of audio."
        ),
        event_id=event_id,
    )


def cancel_not_active(event_id: str | None) -> ErrorInfo:
    """``response.cancel`` when no response is in progress."""
    return ErrorInfo(
        type=INVALID_REQUEST,
        code="response_cancel_not_active",
        message="Cancellation failed: no active response found",
        event_id=event_id,
    )


def already_active(response_id: str, event_id: str | None) -> ErrorInfo:
    """``response.create`` while a response is still in progress."""
    return ErrorInfo(
        type=INVALID_REQUEST,
        code="conversation_already_has_active_response",
        message=(
            f"Conversation already has an active response in progress: {response_id}. "
            "Wait until the response is finished before creating a new one."
        ),
        event_id=event_id,
    )


def truncate_too_long(audio_ms: int, audio_end_ms: int, event_id: str | None) -> ErrorInfo:
    """``conversation.item.truncate`` past the end of the audio sent for the item."""
    return ErrorInfo(
        type=INVALID_REQUEST,
        code="invalid_value",
        message=f"Audio content of {audio_ms}ms is already shorter than {audio_end_ms}ms",
        param="audio_end_ms",
        event_id=event_id,
    )


def truncate_unknown_item(item_id: str, event_id: str | None) -> ErrorInfo:
    """``conversation.item.truncate`` of an item id the conversation does not have."""
    return ErrorInfo(
        type=INVALID_REQUEST,
        code="item_truncate_invalid_item_id",
        message=f"Item with item_id not found: {item_id}",
        param="item_id",
        event_id=event_id,
    )


def truncate_not_audio(event_id: str | None) -> ErrorInfo:
    """``conversation.item.truncate`` of a user item or a content part that isn't audio."""
    return ErrorInfo(
        type=INVALID_REQUEST,
        code="invalid_value",
        message="Only model output audio messages can be truncated",
        param="item_id",
        event_id=event_id,
    )


def invalid_event(message: str, event_id: str | None, code: str = "invalid_value") -> ErrorInfo:
    """A client event the mock cannot use (bad JSON, unsupported type, bad field)."""
    return ErrorInfo(type=INVALID_REQUEST, code=code, message=message, event_id=event_id)


def rate_limited(model: str, event_id: str | None) -> ErrorInfo:
    """A ``response.create`` refused by the rate limiter (``rate_limit`` fault)."""
    return ErrorInfo(
        type="tokens",
        code="rate_limit_exceeded",
        message=(
            f"Rate limit reached for {model} in organization org-mock on tokens per min "
            "(TPM): Limit 40000, Used 40000, Requested 1200. Please try again in 1.8s."
        ),
        event_id=event_id,
    )


def session_expired(cap_s: float) -> ErrorInfo:
    """The session reached its maximum duration (the service caps at 30-60 minutes)."""
    whole_minutes = cap_s >= 60 and cap_s % 60 == 0
    span = f"{cap_s / 60:g} minutes" if whole_minutes else f"{cap_s:g} seconds"
    return ErrorInfo(
        type=INVALID_REQUEST,
        code="session_expired",
        message=f"Your session hit the maximum duration of {span}.",
    )


def server_error() -> ErrorInfo:
    """An internal failure while generating a response (``error`` fault)."""
    return ErrorInfo(
        type="server_error",
        code="server_error",
        message="The server had an error while processing your request. Sorry about that!",
    )
