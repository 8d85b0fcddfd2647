"""Imports of CSV, JSON and JSONL exports: fields, column mapping, and errors that name file and line."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from govsocial.connectors.files import ImportFormatError, count_rows, parse_mapping, read_messages

UTC = dt.UTC
FACEBOOK = (
    "id=Comment ID,text=Message,author=Name,author_name=Name,created_at=Created time,url=Permalink,thread_id=Post ID"
)


def write(tmp_path, name, content, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(content.encode(encoding) if isinstance(content, str) else content)
    return path


def test_when_another_tools_csv_export_is_mapped_then_its_columns_become_our_fields(fixture_path):
    messages = list(read_messages(fixture_path("files/comments.csv"), mapping=parse_mapping(FACEBOOK)))

    first, second, third = messages
    assert first.platform_id == "10161234567890123_774455"
    assert first.text == "When does the new bus timetable start?"
    assert first.author == first.author_name == "Aroha Ngata"  # one column may fill two fields
    assert first.created_at == dt.datetime(2025, 3, 3, 19, 2, 11, tzinfo=UTC)
    assert first.thread_id == "10161234567890123"
    assert first.url.endswith("comment_id=774455")
    assert second.text == "Three buses in a row didn't stop at Kaiwaka Rd this morning.\nNot good enough."
    assert third.author_name == 'Priya "P" Sharma'
    # A time without a zone is taken as UTC.
    assert third.created_at == dt.datetime(2025, 3, 3, 20, 1, 5, tzinfo=UTC)
    assert {m.kind for m in messages} == {"message"}


def test_when_a_jsonl_file_is_read_then_each_line_is_a_message_and_blank_lines_are_skipped(fixture_path):
    footpath, refund, follow_up = read_messages(fixture_path("files/messages.jsonl"))

    assert footpath.platform_id == "ticket-2291"
    assert footpath.created_at == dt.datetime(2025, 3, 3, 20, 15, tzinfo=UTC)
    assert footpath.author_name == "J. Moana"
    assert refund.created_at == dt.datetime(2025, 3, 4, 10, 2, tzinfo=UTC)
    assert follow_up.platform_id == "2293"  # a numeric id is kept as text
    assert (follow_up.kind, follow_up.in_reply_to, follow_up.thread_id) == ("reply", "ticket-2291", "ticket-2291")


def test_when_a_json_array_is_read_then_unix_seconds_are_accepted_as_times(fixture_path):
    question, praise = read_messages(fixture_path("files/messages.json"))

    assert question.kind == praise.kind == "comment"
    assert question.author_name == "Hemi K"
    assert praise.created_at == dt.datetime(2025, 3, 2, 3, 30, tzinfo=UTC)


def test_when_a_json_object_wraps_the_messages_then_its_messages_array_is_read(fixture_path):
    messages = list(read_messages(fixture_path("files/wrapped.json")))

    assert [m.platform_id for m in messages] == ["sub-0001", "sub-0002"]


def test_when_a_csv_row_has_no_text_then_the_error_names_the_file_and_line(tmp_path):
    path = write(tmp_path, "comments.csv", 'id,text\n1,first\n2,"two\nlines"\n3,  \n4,four\n')

    with pytest.raises(ImportFormatError) as caught:
        list(read_messages(path))

    assert str(caught.value) == f"{path}:5: no text"


def test_when_the_mapping_names_a_missing_column_then_the_error_lists_the_columns(fixture_path):
    path = fixture_path("files/comments.csv")

    with pytest.raises(ImportFormatError) as caught:
        list(read_messages(path, mapping={"id": "Comment ID", "text": "Comment"}))

    assert str(caught.value) == (
        f"{path}: unknown column 'Comment' in mapping; columns are: "
        "Comment ID, Post ID, Name, Message, Created time, Permalink"
    )


def test_when_a_csv_has_no_id_column_then_the_error_suggests_a_mapping(tmp_path):
    path = write(tmp_path, "export.csv", "Message\nhello\n")

    with pytest.raises(ImportFormatError, match=r"no 'id' column; columns are: Message \(map one with id=COLUMN\)"):
        list(read_messages(path))


def test_when_a_spreadsheet_saved_semicolons_then_they_are_read(tmp_path):
    path = write(tmp_path, "export.csv", "\ufeffid;text;author\n7;Kia ora, is the pool open?;mere\n")

    (message,) = read_messages(path)

    assert (message.platform_id, message.text, message.author) == ("7", "Kia ora, is the pool open?", "mere")


def test_when_a_csv_is_not_utf8_then_the_error_says_to_save_it_as_utf8(tmp_path):
    path = write(tmp_path, "legacy.csv", "id,text\n1,caf\xe9 opening hours\n", encoding="latin-1")

    with pytest.raises(ImportFormatError, match=r"legacy.csv:2: not UTF-8 text; save the file as UTF-8"):
        list(read_messages(path))


def test_when_a_row_has_more_values_than_columns_then_it_is_an_error(tmp_path):
    path = write(tmp_path, "x.csv", "id,text\n1,a,b\n")

    with pytest.raises(ImportFormatError, match=r"x.csv:2: 3 values but 2 columns"):
        list(read_messages(path))


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("05/03/2025", "created_at '05/03/2025' is not an ISO 8601 date"),
        ("yesterday", "created_at 'yesterday' is not an ISO 8601 date"),
    ],
)
def test_when_a_date_is_not_iso_then_the_error_quotes_it(tmp_path, value, reason):
    path = write(tmp_path, "x.csv", f"id,text,created_at\n1,hello,{value}\n")

    with pytest.raises(ImportFormatError) as caught:
        list(read_messages(path))

    assert str(caught.value).startswith(f"{path}:2: {reason}")


def test_when_a_kind_is_unknown_then_the_error_lists_the_kinds(tmp_path):
    path = write(tmp_path, "x.jsonl", '{"id": "1", "text": "hi", "kind": "dm"}\n')

    with pytest.raises(ImportFormatError, match=r"x.jsonl:1: unknown kind 'dm' \(one of mention, reply"):
        list(read_messages(path))


def test_when_a_jsonl_line_is_not_json_then_the_error_names_the_line(tmp_path):
    path = write(tmp_path, "x.jsonl", '{"id": "1", "text": "ok"}\n{"id": "2", "text": "ok"}\n{"id": "3", text: no}\n')

    with pytest.raises(ImportFormatError) as caught:
        list(read_messages(path))

    assert str(caught.value).startswith(f"{path}:3: not JSON: Expecting property name enclosed in double quotes")


def test_when_a_jsonl_line_is_not_an_object_then_it_is_an_error(tmp_path):
    path = write(tmp_path, "x.jsonl", '["1", "text"]\n')

    with pytest.raises(ImportFormatError, match=r"x.jsonl:1: expected a JSON object, got an array"):
        list(read_messages(path))


def test_when_a_jsonl_line_has_no_id_then_the_error_says_so(tmp_path):
    path = write(tmp_path, "x.jsonl", '{"text": "no id here"}\n')

    with pytest.raises(ImportFormatError, match=r"x.jsonl:1: no id"):
        list(read_messages(path))


def test_when_a_json_array_message_has_no_text_then_the_error_names_its_line(tmp_path):
    content = '[\n  {"id": "1", "text": "one"},\n  {"id": "2",\n   "text": ""}\n]\n'
    path = write(tmp_path, "x.json", content)

    with pytest.raises(ImportFormatError) as caught:
        list(read_messages(path))

    assert str(caught.value) == f"{path}:3: no text"


def test_when_a_wrapped_json_message_is_bad_then_the_error_names_its_line(tmp_path):
    content = '{"source": "x",\n "messages": [\n  {"id": "1", "text": "one"},\n  {"id": "2", "text": 5}\n ]}\n'
    path = write(tmp_path, "x.json", content)

    with pytest.raises(ImportFormatError) as caught:
        list(read_messages(path))

    assert str(caught.value) == f"{path}:4: text must be text, not int"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ('[{"id": "1", "text": "a"},\n {"id": "2" "text": "b"}]', ":2: not JSON: Expecting ','"),
        ('{"messages": {"id": "1"}}', ':1: expected a JSON array of messages or an object with a "messages" array'),
        ('"just text"', ':1: expected a JSON array of messages or an object with a "messages" array'),
        ("[1, 2]", ":1: expected a JSON object for each message, got a number"),
        ("", ": empty file"),
    ],
)
def test_when_a_json_file_has_the_wrong_shape_then_the_error_says_what_was_expected(tmp_path, content, reason):
    path = write(tmp_path, "x.json", content)

    with pytest.raises(ImportFormatError) as caught:
        list(read_messages(path))

    assert str(caught.value).startswith(f"{path}{reason}")


def test_when_a_mapped_json_field_is_missing_then_the_error_names_the_column(tmp_path):
    path = write(tmp_path, "x.jsonl", '{"Comment ID": "1", "Body": "hi"}\n')

    with pytest.raises(ImportFormatError, match=r"x.jsonl:1: no 'Message' field \(mapped to text\)"):
        list(read_messages(path, mapping={"id": "Comment ID", "text": "Message"}))


def test_when_reading_then_messages_before_a_bad_row_are_yielded_first(tmp_path):
    path = write(tmp_path, "x.jsonl", '{"id": "1", "text": "fine"}\n{"id": "2"}\n')
    messages = read_messages(path)

    assert next(messages).platform_id == "1"
    with pytest.raises(ImportFormatError, match=r"x\.jsonl:2: no text"):
        next(messages)


def test_when_the_format_cannot_be_guessed_then_the_error_asks_for_it(tmp_path):
    path = write(tmp_path, "export.txt", "id,text\n1,a\n")

    with pytest.raises(ImportFormatError, match="cannot tell the format from the name"):
        list(read_messages(path))
    assert [m.text for m in read_messages(path, fmt="csv")] == ["a"]


def test_when_the_file_does_not_exist_then_the_error_says_so(tmp_path):
    with pytest.raises(ImportFormatError, match=r"nope\.csv: no such file"):
        list(read_messages(tmp_path / "nope.csv"))


def test_when_given_an_open_binary_file_then_it_is_read_like_a_path():
    stream = io.BytesIO("\ufeffid,text\n1,kia ora\n".encode())
    stream.name = "upload.csv"

    (message,) = read_messages(stream)

    assert message.text == "kia ora"


def test_when_given_an_open_text_file_with_a_format_then_it_is_read():
    (message,) = read_messages(io.StringIO('{"id": "1", "text": "hello"}\n'), fmt="jsonl")

    assert message.platform_id == "1"


def test_parse_mapping_reads_field_equals_column_pairs():
    assert parse_mapping(" id = Comment ID , text=Message,") == {"id": "Comment ID", "text": "Message"}
    assert parse_mapping("") == {}


@pytest.mark.parametrize(
    ("spec", "reason"),
    [
        ("id", "mapping item 'id' needs the form field=column"),
        ("id=", "mapping item 'id=' needs the form field=column"),
        ("body=Message", "unknown field 'body' in mapping (fields: id, text, author"),
        ("id=A,id=B", "field 'id' is mapped twice"),
    ],
)
def test_parse_mapping_names_what_is_wrong(spec, reason):
    with pytest.raises(ImportFormatError) as caught:
        parse_mapping(spec)

    assert str(caught.value).startswith(reason)


def test_count_rows_counts_records_not_lines(fixture_path, tmp_path):
    assert count_rows(fixture_path("files/comments.csv")) == 3  # one record spans two lines
    assert count_rows(fixture_path("files/messages.jsonl")) == 3
    assert count_rows(fixture_path("files/messages.json")) == 2
    assert count_rows(fixture_path("files/wrapped.json")) == 2
    assert count_rows(write(tmp_path, "empty.csv", "id,text\n")) == 0
