"""What only looks like a name or a number (issue 16): invisible characters and compatibility forms read
as what they show, look-alike letters and malformed numbers refused, never read as something else."""

from __future__ import annotations

import pytest

from bot.errors import InvalidRequest
from bot.training.parse import parse_request


@pytest.mark.parametrize(
    ("text", "dataset"),
    [
        ("train moo\u200bns", "moons"),  # zero-width space
        ("train spir\u200dal with adam", "spiral"),  # zero-width joiner
        ("train \ufeffcircles", "circles"),  # byte-order mark
        ("train ga\u00adu\u2066ss", "gauss"),  # soft hyphen, direction isolate
        ("train ｍｏｏｎｓ", "moons"),  # fullwidth
        ("train 𝐬𝐩𝐢𝐫𝐚𝐥", "spiral"),  # mathematical bold
    ],
)
def test_an_invisible_or_compatibility_character_reads_as_what_it_shows(text: str, dataset: str) -> None:
    assert parse_request(text).dataset == dataset


@pytest.mark.parametrize(
    "text",
    [
        "train mn\u0456st",  # Cyrillic і: not the unsupported "mnist", and never XOR
        "train m\u043eons",  # Cyrillic о
        "train xor with ad\u00e0m",  # an accent
        "train spiral with \u0455gd",  # Cyrillic ѕ
        "train xor, s\u0131gmoid",  # dotless ı
    ],
)
def test_a_word_with_a_look_alike_letter_is_refused(text: str) -> None:
    with pytest.raises(InvalidRequest) as refused:
        parse_request(text)
    assert refused.value.code == "look_alike_letter"
    assert "a–z" in refused.value.message_en and "a–z" in refused.value.message_hi


def test_the_refusal_names_the_odd_letter() -> None:
    with pytest.raises(InvalidRequest) as refused:
        parse_request("train mn\u0456st")
    assert "'mnіst'" in refused.value.message_en and "cyrillic" in refused.value.message_en


def test_latin_next_to_devanagari_is_two_words_not_a_look_alike() -> None:
    assert parse_request("XORको adam से train करो").dataset == "xor"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("train xor epochs 1_000", "bad_epochs"),
        ("train xor lr 5e", "bad_lr"),
        ("train xor epochs 5x10", "bad_epochs"),
        ("train xor lr 0.1.2", "bad_lr"),
        ("train xor 500k epochs", "bad_epochs"),
        ("train xor seed 7o", "bad_seed"),
        ("train xor lr 5%", "bad_lr"),
        ("train xor with 8x10 hidden neurons", "bad_hidden"),
        ("train xor epochs 10²", "bad_number"),
        ("train xor epochs ½", "bad_number"),
        ("train xor 0x10", "bad_number"),
    ],
)
def test_a_malformed_number_is_refused_not_read_as_its_first_digits(text: str, code: str) -> None:
    with pytest.raises(InvalidRequest) as refused:
        parse_request(text)
    assert refused.value.code == code
    assert refused.value.message_hi


def test_a_malformed_number_is_quoted_back_whole() -> None:
    with pytest.raises(InvalidRequest) as refused:
        parse_request("train xor epochs 1_000")
    assert "'1_000'" in refused.value.message_en and "'1_000'" in refused.value.message_hi


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("train xor 500epochs", "epochs", 500),
        ("train xor lr0.1", "lr", 0.1),
        ("train xor seed7", "seed", 7),
        ("train xor 1e-3lr", "lr", 0.001),
        ("train xor epochs 1e3", "epochs", 1000),
        ("train xor, lr 0.5.", "lr", 0.5),
        ("train xor epochs ५००", "epochs", 500),
        ("train xor epochs ٥٠٠", "epochs", 500),  # Arabic-Indic digits
        ("train xor lr 1e\u22123", "lr", 0.001),  # a minus sign
    ],
)
def test_a_well_formed_number_is_read_whatever_its_digits_or_glue(
    text: str, field: str, value: object
) -> None:
    assert parse_request(text).to_dict()[field] == value


def test_hidden_widths_written_with_x_are_still_widths() -> None:
    assert parse_request("train xor hidden 16x16").hidden == (16, 16)
    with pytest.raises(InvalidRequest):
        parse_request("train xor hidden 16x16 epochs")  # the second 16 is not the epochs
