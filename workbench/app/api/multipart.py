"""A bounded, streaming ``multipart/form-data`` reader for the upload route.

Starlette's ``request.form()`` spools the whole body (to disk, past 1 MB) before the
route sees a byte, so a 2 GB upload would be read to the end before it could be
refused. This reader feeds ``request.stream()`` through python-multipart's streaming
parser, counts bytes as they arrive and stops at the first byte over the limit. The
file part goes to a spooled temporary file (memory up to :data:`SPOOL_BYTES`, then
disk), so an upload of tens of MB does not hold tens of MB of the server's memory; the
caller closes it (:meth:`UploadForm.close`).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from typing import BinaryIO, cast

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from workbench.app.api.errors import ApiError, check_content_length, too_large_message
from workbench.service.budget import UPLOAD_SPOOL_BYTES

#: Most parts a form may have (the API needs three); more is a malformed or hostile client.
MAX_PARTS = 32
#: The file part is kept in memory up to this size (bytes), then on disk.
SPOOL_BYTES = UPLOAD_SPOOL_BYTES


@dataclass
class UploadForm:
    """The parsed form: the one file part we want and the small text fields.

    Attributes
    ----------
    file : BinaryIO | None
        Contents of the ``file_field`` part, at position 0, or None when the form has
        no such part: a spooled temporary file (in memory up to :data:`SPOOL_BYTES`).
    file_size : int
        Its size (bytes).
    filename, file_content_type : str | None
        As the client declared them (informational only; the bytes are sniffed).
    fields : dict[str, str]
        Text parts (UTF-8), each at most ``max_field_bytes``.
    part_names : list[str]
        Every part name in order (to tell a client which field it sent instead).
    body_bytes : int
        Bytes of the whole request body.
    """

    file: BinaryIO | None = None
    file_size: int = 0
    filename: str | None = None
    file_content_type: str | None = None
    fields: dict[str, str] = field(default_factory=dict)
    part_names: list[str] = field(default_factory=list)
    body_bytes: int = 0

    def read_file(self) -> bytes | None:
        """The whole file part (tests and small tools; the server streams :attr:`file`)."""
        if self.file is None:
            return None
        self.file.seek(0)
        data = self.file.read()
        self.file.seek(0)
        return data

    def close(self) -> None:
        """Delete the file part's temporary file."""
        if self.file is not None:
            self.file.close()


class _Collector:
    """python-multipart callbacks that keep the parts we want, within limits."""

    def __init__(self, file_field: str, max_field_bytes: int) -> None:
        self.form = UploadForm()
        self.file_field = file_field
        self.max_field_bytes = max_field_bytes
        self.ended = False
        self._header_field = bytearray()
        self._header_value = bytearray()
        self._headers: dict[str, bytes] = {}
        self._name: str | None = None
        self._data = bytearray()
        self._file: BinaryIO | None = None
        self._is_file = False
        self._skip = False

    def callbacks(self) -> dict[str, object]:
        return {
            "on_part_begin": self._part_begin,
            "on_header_field": lambda d, s, e: self._header_field.extend(d[s:e]),
            "on_header_value": lambda d, s, e: self._header_value.extend(d[s:e]),
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
            "on_part_data": self._part_data,
            "on_part_end": self._part_end,
            "on_end": self._end,
        }

    def _part_begin(self) -> None:
        if len(self.form.part_names) >= MAX_PARTS:
            raise ApiError(
                f"the form has more than {MAX_PARTS} parts", code="bad_form", http_status=422
            )
        self._headers.clear()
        self._data = bytearray()
        self._name = None

    def _header_end(self) -> None:
        self._headers[self._header_field.decode("latin-1").strip().lower()] = bytes(
            self._header_value
        )
        self._header_field.clear()
        self._header_value.clear()

    def _headers_finished(self) -> None:
        _, params = parse_options_header(self._headers.get("content-disposition", b""))
        raw_name = params.get(b"name")
        self._name = raw_name.decode("utf-8", "replace") if raw_name is not None else ""
        self.form.part_names.append(self._name)
        # Only the first part of that name is kept; later ones are skipped unread.
        self._is_file = self._name == self.file_field and self.form.file is None
        # A file under another name (``file=@clip.wav``) is not a text field: skip its
        # bytes, so the route can say which field it expected instead of "not UTF-8".
        self._skip = (not self._is_file and b"filename" in params) or (
            self._name == self.file_field and not self._is_file
        )
        if self._is_file:
            spooled = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
            self._file = cast(BinaryIO, spooled)
            filename = params.get(b"filename")
            self.form.filename = filename.decode("utf-8", "replace") if filename else None
            ctype = self._headers.get("content-type")
            self.form.file_content_type = ctype.decode("latin-1") if ctype else None

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if self._skip:
            return
        if self._file is not None:
            self._file.write(data[start:end])
            return
        if not self._is_file and len(self._data) + (end - start) > self.max_field_bytes:
            raise ApiError(
                f"form field {self._name!r} exceeds {self.max_field_bytes} bytes",
                code="field_too_large",
                http_status=413,
            )
        self._data.extend(data[start:end])

    def _part_end(self) -> None:
        if self._file is not None:
            self.form.file_size = self._file.tell()
            self._file.seek(0)
            self.form.file, self._file = self._file, None
        elif self._name and not self._skip:
            try:
                self.form.fields[self._name] = self._data.decode("utf-8")
            except UnicodeDecodeError:
                raise ApiError(
                    f"form field {self._name!r} is not UTF-8 text", code="bad_form", http_status=422
                ) from None
        self._data = bytearray()

    def _end(self) -> None:
        self.ended = True

    def discard(self) -> None:
        """Delete the temporary files of a form that is refused."""
        for file in (self._file, self.form.file):
            if file is not None:
                file.close()


async def read_multipart_form(
    request: Request,
    *,
    file_field: str,
    max_body_bytes: int,
    max_field_bytes: int,
) -> UploadForm:
    """Read a ``multipart/form-data`` body while enforcing size limits.

    Parameters
    ----------
    request : Request
        The incoming request (its body is consumed).
    file_field : str
        Name of the file part to keep (``audio_file``).
    max_body_bytes : int
        Largest body (bytes); checked against ``Content-Length`` first, then counted.
    max_field_bytes : int
        Largest text part (bytes).

    Returns
    -------
    UploadForm
        Close it (:meth:`UploadForm.close`) once its file was used.

    Raises
    ------
    ApiError
        415 not multipart, 413 too large, 422 malformed form.
    """
    ctype, params = parse_options_header(request.headers.get("content-type", ""))
    if ctype != b"multipart/form-data":
        raise ApiError(
            f"expected multipart/form-data with a file in field {file_field!r}, got "
            f"{ctype.decode('latin-1') or 'no Content-Type'}; for a raw audio body use "
            "POST /realtime_audio/stream",
            code="unsupported_media_type",
            http_status=415,
        )
    boundary = params.get(b"boundary")
    if not boundary:
        raise ApiError("multipart Content-Type has no boundary", code="bad_form", http_status=422)
    check_content_length(request, max_body_bytes)
    collector = _Collector(file_field, max_field_bytes)
    try:
        parser = MultipartParser(boundary, collector.callbacks())  # type: ignore[arg-type]
    except MultipartParseError:
        raise ApiError(
            "the multipart boundary is not valid (1–70 characters of letters, digits and "
            "'()+_,-./:=?')",
            code="bad_form",
            http_status=422,
        ) from None
    try:
        return await _read(request, parser, collector, max_body_bytes)
    except BaseException:
        collector.discard()
        raise


async def _read(
    request: Request, parser: MultipartParser, collector: _Collector, max_body_bytes: int
) -> UploadForm:
    n_bytes = 0
    async for chunk in request.stream():
        n_bytes += len(chunk)
        if n_bytes > max_body_bytes:
            raise ApiError(
                too_large_message(n_bytes, max_body_bytes), code="too_large", http_status=413
            )
        try:
            parser.write(chunk)
        except MultipartParseError:
            raise ApiError(
                f"the multipart body is malformed at or before byte {n_bytes} (a part "
                "boundary, header or line ending is not where multipart/form-data puts it)",
                code="bad_form",
                http_status=422,
            ) from None
    parser.finalize()
    collector.form.body_bytes = n_bytes
    if not collector.ended:
        raise ApiError(
            "the multipart body ended before its closing boundary", code="bad_form", http_status=422
        )
    return collector.form
