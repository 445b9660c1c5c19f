"""The file of an HTML form upload (multipart/form-data), as a stream of its bytes: the
browser sends multipart, the services take the file as the raw body. The multipart parser is
fed chunk by chunk, so the gateway never holds the whole file."""
from __future__ import annotations

from collections.abc import AsyncIterator

from python_multipart.multipart import MultipartParser, parse_options_header


class NoFile(Exception):
    pass


class BrokenForm(ValueError):
    """The form cannot be evidence as it stands: `reason` is a code for the refusal. It is also
    left in the caller's `info` as "broken", since a service reading the stream may be the one
    that sees the exception."""

    def __init__(self, reason: str, info: dict | None = None):
        super().__init__(reason)
        self.reason = reason
        if info is not None:
            info["broken"] = reason


async def file_part(chunks: AsyncIterator[bytes], content_type: str, field: str = "file",
                    info: dict | None = None) -> AsyncIterator[bytes]:
    """The bytes of the form's `field` file; `info` gets its `filename` as soon as its headers are read."""
    _, options = parse_options_header(content_type)
    boundary = options.get(b"boundary")
    if not boundary:
        raise NoFile()
    state = {"header": b"", "headers": [], "in_file": False, "seen": False, "ended": False}
    out: list[bytes] = []

    def on_header_field(data, start, end):
        state["header"] += data[start:end]

    def on_header_value(data, start, end):
        state["headers"].append((state["header"].lower(), data[start:end]))
        state["header"] = b""

    def on_headers_finished():
        disposition = dict(state["headers"]).get(b"content-disposition", b"")
        _, params = parse_options_header(disposition)
        state["in_file"] = params.get(b"name") == field.encode() and b"filename" in params
        if state["in_file"] and state["seen"]:
            # Joining two files into one would store evidence nobody sent.
            raise BrokenForm("more_than_one_file", info)
        if state["in_file"] and info is not None:
            info["filename"] = params[b"filename"].decode("utf-8", "replace")
        state["seen"] |= state["in_file"]
        state["headers"] = []

    def on_part_data(data, start, end):
        if state["in_file"]:
            out.append(bytes(data[start:end]))

    def on_part_end():
        state["in_file"] = False

    def on_end():
        state["ended"] = True

    parser = MultipartParser(boundary, callbacks={
        "on_header_field": on_header_field, "on_header_value": on_header_value,
        "on_headers_finished": on_headers_finished, "on_part_data": on_part_data, "on_part_end": on_part_end,
        "on_end": on_end})
    async for chunk in chunks:
        parser.write(chunk)
        if out:
            yield b"".join(out)
            out.clear()
    parser.finalize()
    if not state["seen"]:
        raise NoFile()
    if not state["ended"]:
        # The form stopped before its closing boundary: the file may be cut short. Failing
        # here, before the last bytes, aborts the streamed request, so nothing is stored.
        raise BrokenForm("incomplete_form", info)
    if out:
        yield b"".join(out)
