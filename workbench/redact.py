"""Keep credentials out of logs.

``websockets`` logs every handshake header at DEBUG (``> Authorization: Bearer sk-…``
on the client, ``< api-key: …`` on the server). :class:`RedactSecrets` rewrites such
records before any handler sees them; :func:`redacting_logger` installs it (once) on a
logger, e.g. ``websockets.client`` before the SDK opens a session.
"""

from __future__ import annotations

import logging
import re

#: Credential-bearing header or query values, and the browser-style key subprotocol.
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?i)\b(authorization|api-key|x-api-key)(\s*[:=]\s*)[^\r\n,&]*"), r"\1\2***"),
    (re.compile(r"(?i)(openai-insecure-api-key\.)[^\s,]+"), r"\1***"),
)


def redact(text: str) -> str:
    """``text`` with credential values replaced by ``***``.

    Examples
    --------
    >>> redact("> Authorization: Bearer sk-abc")
    '> Authorization: ***'
    """
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactSecrets(logging.Filter):
    """A logging filter that redacts credentials in the formatted message (never drops)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken record is not ours to fix; let logging report it
            return True
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        return True


def redacting_logger(name: str) -> logging.Logger:
    """The logger ``name`` with a :class:`RedactSecrets` filter (added at most once)."""
    logger = logging.getLogger(name)
    if not any(isinstance(f, RedactSecrets) for f in logger.filters):
        logger.addFilter(RedactSecrets())
    return logger
