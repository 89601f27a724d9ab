"""A learner's own points: what is read, and every kind of bad data refused with its code."""

from __future__ import annotations

import pytest

from bot.errors import InvalidRequest
from bot.training.custom_data import (
    MAX_CSV_BYTES,
    MAX_POINTS,
    CustomData,
    parse_points,
    read_csv,
    split_points,
)

XOR_POINTS = "0 0 0; 1 1 0; 0 1 1; 1 0 1"


def _code(call: object, *args: object) -> str:
    with pytest.raises(InvalidRequest) as caught:
        call(*args)  # type: ignore[operator]
    assert caught.value.message_en and caught.value.message_hi  # both texts filled, no missing key
    assert "{" not in caught.value.message_en + caught.value.message_hi
    return caught.value.code


def test_typed_points_are_read_as_classification_rows() -> None:
    data = parse_points(XOR_POINTS)
    assert data.rows == ((0, 0, 0), (1, 1, 0), (0, 1, 1), (1, 0, 1))
    assert (data.task, data.n_classes, len(data)) == ("binary", 2, 4)


def test_two_numbers_a_row_are_regression_points() -> None:
    data = parse_points("(0, 0.1) (1, 2.0) (2, 3.9) (3, 6.2)")
    assert data.task == "regression" and data.inputs == [[0.0], [1.0], [2.0], [3.0]]


def test_three_labels_are_multiclass() -> None:
    assert parse_points("0 0 0; 1 1 1; 2 2 2; 3 3 0").task == "multiclass"


def test_csv_with_a_header_is_read() -> None:
    data = read_csv(b"x1,x2,label\n0,0,0\n1,1,0\n0,1,1\n1,0,1\n")
    assert data == parse_points(XOR_POINTS)


def test_csv_of_x_y_is_regression() -> None:
    assert read_csv("x,y\n0,0\n1,2\n2,4\n3,6\n").task == "regression"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "data_empty"),
        ("0 0 0; 1 1 zero; 0 1 1; 1 0 1", "data_not_a_number"),
        ("0 0 0; 1 1 nan; 0 1 1; 1 0 1", "data_not_a_number"),
        ("0 0 0; 1 1; 0 1 1; 1 0 1", "data_bad_row"),
        ("0 0 0 0; 1 1 0 1; 0 1 1 1; 1 0 1 0", "data_bad_row"),
        ("0 0 0; 1 1 1", "data_too_few_points"),
        ("0 0 1; 1 1 1; 0 1 1; 1 0 1", "data_one_class"),
        ("0 0 0; 1 1 0.5; 0 1 1; 1 0 1", "data_bad_label"),
        ("0 0 0; 1 1 5; 0 1 1; 1 0 1", "data_bad_label"),
        ("0 0 0; 1 1 2; 0 1 2; 1 0 2", "data_missing_class"),
        ("0 0 0; 1 1e9 0; 0 1 1; 1 0 1", "data_value_too_large"),
        ("0 0 0; १ 1 0; 0 1 1; 1 0 1", "data_not_a_number"),  # another script's digit is not read as 1
    ],
)
def test_bad_typed_points_are_refused_with_their_code(text: str, code: str) -> None:
    assert _code(parse_points, text) == code


def test_too_many_points_are_refused() -> None:
    rows = "; ".join(f"{i % 7} {i % 5} {i % 2}" for i in range(MAX_POINTS + 1))
    assert _code(parse_points, rows) == "data_too_many_points"


def test_csv_refusals_name_the_file_line() -> None:
    with pytest.raises(InvalidRequest) as caught:
        read_csv(b"x1,x2,label\n0,0,0\n\n1,1,0\n0,1\n1,0,1\n")
    assert caught.value.code == "data_bad_row" and caught.value.details["line"] == 5


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"x1,x2,label\n0,0,0\n1,1,zero\n0,1,1\n1,0,1\n", "data_not_a_number"),
        (b"x1,2,label\n0,0,0\n1,1,0\n0,1,1\n1,0,1\n", "data_not_a_number"),  # a half-header
        (b"\xff\xfe\x00\x01binary", "data_not_text"),
        (b"0,0,0\n1,1,0\n0,1,0\n1,0,0\n", "data_one_class"),
        (b"x1,x2,label\n", "data_empty"),
        (b"0,0,0\n" * (MAX_CSV_BYTES // 6 + 1), "data_file_too_large"),
    ],
)
def test_bad_csvs_are_refused_with_their_code(data: bytes, code: str) -> None:
    assert _code(read_csv, data) == code


def test_split_points_gives_the_rest_back_to_the_request() -> None:
    points, rest = split_points(f"train with adam points: {XOR_POINTS} for 300 epochs")
    assert parse_points(points) == parse_points(XOR_POINTS)
    assert rest == "train with adam  for 300 epochs"


def test_no_marker_means_no_points() -> None:
    assert split_points("train xor with adam") == ("", "train xor with adam")


def test_plain_data_round_trip_is_validated_again() -> None:
    data = parse_points(XOR_POINTS)
    assert CustomData.from_dict(data.to_dict()) == data
    assert hash(CustomData.from_dict(data.to_dict())) == hash(data)
    assert _code(CustomData.from_dict, {"points": [[0, 0, 1]] * 4}) == "data_one_class"
    assert _code(CustomData.from_dict, {"points": "0 0 0"}) == "data_empty"


def test_fingerprint_changes_with_any_point() -> None:
    other = parse_points("0 0 0; 1 1 0; 0 1 1; 1 0.5 1")
    assert parse_points(XOR_POINTS).fingerprint != other.fingerprint


def test_a_number_glued_to_a_word_goes_back_to_the_request() -> None:
    points, rest = split_points(f"train points: {XOR_POINTS} 300epochs")
    assert parse_points(points) == parse_points(XOR_POINTS) and rest == "train  300epochs"
