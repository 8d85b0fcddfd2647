"""Messages from files: platform exports and other tools' exports as CSV, JSON or JSONL.

```
read_messages(path, fmt=None, mapping=None) ──► _rows_csv / _rows_json / _rows_jsonl
                                                   yield (line, {their column: value})
                                                        │ mapping: our field ← their column
                                                        ▼
                                                 _records.incoming_from_record ──► Incoming
```

Every format carries the same fields (see :mod:`govsocial.connectors._records`): ``id`` and
``text`` at least. A ``mapping`` (our field → their column, e.g. ``{"id": "Comment ID", "text":
"Message"}``) lets another tool's export be read as it is; fields it does not name are looked up
under our own names. Errors name the file and line and stop the import:
``comments.csv:14: no text``. A row without text is an error, never skipped in silence, because
a silently shortened import looks complete.

:func:`read_messages` is lazy; a caller that wants all-or-nothing calls ``list()`` on it first.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from govsocial.connectors._records import FIELDS, RecordError, incoming_from_record
from govsocial.connectors.base import Incoming

__all__ = ["FORMATS", "ImportFormatError", "count_rows", "guess_format", "parse_mapping", "read_messages"]

FORMATS = ("csv", "json", "jsonl")
_SUFFIXES = {".csv": "csv", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl"}
_DELIMITERS = (",", ";", "\t")

Source = str | os.PathLike[str] | IO[str] | IO[bytes]


class ImportFormatError(ValueError):
    """The file cannot be read as messages; the text says where ("comments.csv:14: no text")."""


def parse_mapping(spec: str) -> dict[str, str]:
    """``"id=Comment ID,text=Message"`` as ``{"id": "Comment ID", "text": "Message"}``."""
    mapping: dict[str, str] = {}
    for item in spec.split(","):
        if not item.strip():
            continue
        field, sep, column = item.partition("=")
        field, column = field.strip(), column.strip()
        if not sep or not field or not column:
            raise ImportFormatError(f"mapping item {item.strip()!r} needs the form field=column")
        if field not in FIELDS:
            raise ImportFormatError(f"unknown field {field!r} in mapping (fields: {', '.join(FIELDS)})")
        if field in mapping:
            raise ImportFormatError(f"field {field!r} is mapped twice")
        mapping[field] = column
    return mapping


def guess_format(name: str) -> str:
    """The format a file name's suffix implies; ImportFormatError when it implies none."""
    fmt = _SUFFIXES.get(Path(name).suffix.lower())
    if fmt is None:
        raise ImportFormatError(f"{name}: cannot tell the format from the name; give it as csv, json or jsonl")
    return fmt


def read_messages(
    path_or_file: Source, *, fmt: str | None = None, mapping: Mapping[str, str] | None = None
) -> Iterator[Incoming]:
    """The messages in a file, in file order; raises ImportFormatError at the first bad row."""
    name = _name_of(path_or_file)
    if fmt is None:
        fmt = guess_format(name)
    if fmt not in FORMATS:
        raise ImportFormatError(f"{name}: unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    columns = dict(mapping or {})
    for field in columns:
        if field not in FIELDS:
            raise ImportFormatError(f"unknown field {field!r} in mapping (fields: {', '.join(FIELDS)})")
    return _messages(path_or_file, name=name, fmt=fmt, columns=columns)


def count_rows(path_or_file: Source, *, fmt: str | None = None) -> int:
    """How many records the file holds (for a progress bar); rows are counted, not checked."""
    name = _name_of(path_or_file)
    fmt = fmt or guess_format(name)
    text = _read_text(path_or_file, name=name)
    if fmt == "csv":
        return max(0, sum(1 for _ in csv.reader(io.StringIO(text), delimiter=_delimiter(text))) - 1)
    if fmt == "jsonl":
        return sum(1 for line in text.splitlines() if line.strip())
    return sum(1 for _ in _json_items(text, name=name))


def _messages(source: Source, *, name: str, fmt: str, columns: dict[str, str]) -> Iterator[Incoming]:
    text = _read_text(source, name=name)
    if fmt == "csv":
        rows = _rows_csv(text, name=name, columns=columns)
    elif fmt == "jsonl":
        rows = _rows_jsonl(text, name=name)
    else:
        rows = _json_items(text, name=name)
    for line, row in rows:
        try:
            record = _mapped(row, columns)
            yield incoming_from_record(record)
        except RecordError as exc:
            raise ImportFormatError(f"{name}:{line}: {exc}") from None


def _mapped(row: Mapping[str, Any], columns: Mapping[str, str]) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for field in FIELDS:
        column = columns.get(field, field)
        if column in row:
            record[field] = row[column]
        elif field in columns and field in ("id", "text"):
            raise RecordError(f"no {column!r} field (mapped to {field})")
    return record


def _name_of(source: Source) -> str:
    if isinstance(source, str | os.PathLike):
        return os.fspath(source)
    return str(getattr(source, "name", "<input>"))


def _read_text(source: Source, *, name: str) -> str:
    if isinstance(source, str | os.PathLike):
        try:
            data: str | bytes = Path(source).read_bytes()
        except FileNotFoundError:
            raise ImportFormatError(f"{name}: no such file") from None
        except IsADirectoryError:
            raise ImportFormatError(f"{name}: is a folder, not a file") from None
        except OSError as exc:
            raise ImportFormatError(f"{name}: cannot be read ({exc.strerror or exc})") from None
    else:
        data = source.read()
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        # utf-8-sig reads plain UTF-8 too, and drops the byte-order mark spreadsheet programs write.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportFormatError(f"{name}:{line}: not UTF-8 text; save the file as UTF-8 and import it again") from None


def _delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    # Spreadsheets in some locales write ';' or tabs; the header row says which.
    return max(_DELIMITERS, key=header.count)


def _rows_csv(text: str, *, name: str, columns: Mapping[str, str]) -> Iterator[tuple[int, dict[str, Any]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFormatError(f"{name}: empty file; the first row must name the columns") from None
    except csv.Error as exc:
        raise ImportFormatError(f"{name}:1: not CSV: {exc}") from None
    header = [column.strip() for column in header]
    known = ", ".join(header)
    for column in columns.values():
        if column not in header:
            raise ImportFormatError(f"{name}: unknown column {column!r} in mapping; columns are: {known}")
    for field in ("id", "text"):
        if columns.get(field, field) not in header:
            raise ImportFormatError(f"{name}: no {field!r} column; columns are: {known} (map one with {field}=COLUMN)")
    line = reader.line_num
    while True:
        start = line + 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ImportFormatError(f"{name}:{start}: not CSV: {exc}") from None
        line = reader.line_num
        if not any(value.strip() for value in values):
            continue  # a blank line, not a row: spreadsheets leave them at the end
        if len(values) > len(header):
            raise ImportFormatError(f"{name}:{start}: {len(values)} values but {len(header)} columns")
        yield start, dict(zip(header, values, strict=False))


def _rows_jsonl(text: str, *, name: str) -> Iterator[tuple[int, dict[str, Any]]]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ImportFormatError(f"{name}:{number}: not JSON: {exc.msg} at column {exc.colno}") from None
        if not isinstance(value, dict):
            raise ImportFormatError(f"{name}:{number}: expected a JSON object, got {_json_type(value)}")
        yield number, value


def _json_type(value: Any) -> str:
    return {list: "an array", str: "a string", bool: "true or false", type(None): "null"}.get(type(value), "a number")


def _json_items(text: str, *, name: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """The objects of a JSON array (or of the ``messages`` array of an object), with their line numbers.

    The top level is walked by hand with ``raw_decode`` so each message's line can be named in
    errors; the values themselves are parsed by the json module.
    """
    decoder = json.JSONDecoder()

    def fail(pos: int, reason: str) -> ImportFormatError:
        return ImportFormatError(f"{name}:{text.count(chr(10), 0, pos) + 1}: {reason}")

    def skip(pos: int) -> int:
        while pos < len(text) and text[pos] in " \t\r\n":
            pos += 1
        return pos

    def decode(pos: int) -> tuple[Any, int]:
        try:
            return decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            raise ImportFormatError(f"{name}:{exc.lineno}: not JSON: {exc.msg} at column {exc.colno}") from None

    def array(pos: int) -> Iterator[tuple[int, dict[str, Any]]]:
        pos = skip(pos + 1)
        if pos < len(text) and text[pos] == "]":
            return
        while True:
            value, end = decode(pos)
            if not isinstance(value, dict):
                raise fail(pos, f"expected a JSON object for each message, got {_json_type(value)}")
            yield text.count("\n", 0, pos) + 1, value
            pos = skip(end)
            if pos < len(text) and text[pos] == ",":
                pos = skip(pos + 1)
            elif pos < len(text) and text[pos] == "]":
                return
            else:
                raise fail(pos, "not JSON: expected ',' or ']' after a message")

    pos = skip(0)
    if pos >= len(text):
        raise ImportFormatError(f"{name}: empty file; expected a JSON array of messages")
    if text[pos] == "[":
        yield from array(pos)
        return
    if text[pos] != "{":
        raise fail(pos, 'expected a JSON array of messages or an object with a "messages" array')
    # Validate the whole object first so a syntax error anywhere is reported before any message.
    whole, end = decode(pos)
    if skip(end) < len(text):
        raise fail(skip(end), "not JSON: extra data after the end")
    if not isinstance(whole.get("messages"), list):
        raise fail(pos, 'expected a JSON array of messages or an object with a "messages" array')
    pos = skip(pos + 1)
    while pos < len(text) and text[pos] != "}":
        key, pos = decode(pos)
        pos = skip(skip(pos) + 1)  # the ':'
        if key == "messages":
            yield from array(pos)
            return
        _, pos = decode(pos)
        pos = skip(pos)
        if pos < len(text) and text[pos] == ",":
            pos = skip(pos + 1)
