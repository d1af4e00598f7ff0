"""Cleaning and checking of the free text people type: names, positions, unit names."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services import people
from services.errors import InvalidInput
from services.validation import check_full_name, check_label, clean_text

NAME = "Nguyễn Văn An"
ASK_FULL_NAME = "Please type your full name, for example: Nguyễn Văn An."
ONLY_LETTERS = (
    "A name can only have letters and spaces. Please type it again, for example: Nguyễn Văn An."
)
IN_WORDS = "Please type the {what} in words."
NO_EMOJI = "Please type the {what} without emoji or symbols."
TOO_LONG = "The {what} is too long ({length} characters). Please keep it under {limit}."


# --- clean_text -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        (None, ""),
        ("", ""),
        ("   \n\t  ", ""),
        ("  Nguyễn   Văn\n\tAn  ", NAME),
        (unicodedata.normalize("NFD", NAME), NAME),
        ("Nguyễn\x00 Văn\x07 An", NAME),  # C0 control characters
        ("Nguyễn\u200b Văn\u200d An\u202e", NAME),  # zero-width and bidi format characters
        ("Nguyễn\ue000 Văn An", NAME),  # private use
        ("Nguyễn\u00a0Văn\u2003An", NAME),  # exotic spaces fold to one space
    ],
)
def test_clean_text(raw: str | None, clean: str) -> None:
    assert clean_text(raw) == clean


# --- full names -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        NAME,
        "  nguyễn   văn an ",
        "Hà Thị Ánh-Tuyết",
        "O'Brien Lê",
        "Đặng Thuỳ Trâm",
        "Lê An",
    ],
)
def test_full_name_accepted(raw: str) -> None:
    name = check_full_name(raw)
    assert name == clean_text(raw)
    assert unicodedata.is_normalized("NFC", name)


def test_full_name_nfd_input_is_stored_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Đặng Thuỳ Trâm")
    assert decomposed != "Đặng Thuỳ Trâm"
    assert check_full_name(decomposed) == "Đặng Thuỳ Trâm"


@pytest.mark.parametrize(
    ("raw", "msgid"),
    [
        (None, ASK_FULL_NAME),
        ("", ASK_FULL_NAME),
        ("   ", ASK_FULL_NAME),
        ("\x00\x01\u200b", ASK_FULL_NAME),  # nothing left after cleaning
        ("A", ASK_FULL_NAME),  # one letter is not a full name
        ("Nguyễn Văn 2", ONLY_LETTERS),
        ("Nguyen Van An 1990", ONLY_LETTERS),
        ("😀", ONLY_LETTERS),
        ("😀😀😀", ONLY_LETTERS),
        ("Nguyễn Văn An 🇻🇳", ONLY_LETTERS),
        ("An <b>", ONLY_LETTERS),
        ("Nguyễn/Văn", ONLY_LETTERS),
        ("@nguyenvanan", ONLY_LETTERS),
    ],
)
def test_full_name_refused(raw: str | None, msgid: str) -> None:
    with pytest.raises(InvalidInput) as err:
        check_full_name(raw)
    assert err.value.msgid == msgid


def test_full_name_of_5000_characters_says_how_long() -> None:
    with pytest.raises(InvalidInput) as err:
        check_full_name("a" * 5000)
    assert err.value.msgid.startswith("That name is too long")
    assert err.value.params == {"length": 5000}


def test_full_name_length_is_counted_after_cleaning() -> None:
    assert len(check_full_name("A" * 80)) == 80
    assert check_full_name("  " + "A" * 80 + "\u200b" * 50) == "A" * 80
    with pytest.raises(InvalidInput):
        check_full_name("A" * 81)


@given(st.text(max_size=120))
def test_full_name_result_is_clean_and_stable(raw: str) -> None:
    try:
        name = check_full_name(raw)
    except InvalidInput:
        return
    assert name == name.strip()
    assert "  " not in name
    assert unicodedata.is_normalized("NFC", name)
    assert not any(unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs") for ch in name)
    assert not any(ch.isdigit() for ch in name)
    assert 2 <= len(name) <= 80
    assert check_full_name(name) == name


# --- positions and unit names -----------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    ["Bí thư chi bộ", "Phó Bí thư 2", "Chánh Văn phòng Đảng ủy", "Chi bộ Phòng Kế toán"],
)
def test_label_accepted(raw: str) -> None:
    assert check_label(raw, max_length=120, what="position") == raw
    assert people.check_position(unicodedata.normalize("NFD", raw)) == raw


@pytest.mark.parametrize(
    ("raw", "msgid"),
    [
        (None, IN_WORDS),
        ("", IN_WORDS),
        ("  \n ", IN_WORDS),
        ("123", IN_WORDS),
        ("...", IN_WORDS),
        ("😀", IN_WORDS),
        ("🏛🏛", IN_WORDS),
        ("\x00\x1b[0;31", IN_WORDS),
        ("Chi bộ 😀", NO_EMOJI),
        ("Chi bộ ★", NO_EMOJI),
        ("Chi bộ ❤️", NO_EMOJI),
    ],
)
def test_label_refused(raw: str | None, msgid: str) -> None:
    with pytest.raises(InvalidInput) as err:
        check_label(raw, max_length=120, what="position")
    assert err.value.msgid == msgid
    assert err.value.params["what"] == "position"


def test_label_of_5000_characters_says_how_long() -> None:
    with pytest.raises(InvalidInput) as err:
        people.check_position("chức vụ " * 625)
    assert err.value.msgid == TOO_LONG
    assert err.value.params["length"] == 4999  # the trailing space is stripped
    assert err.value.params["limit"] == 120


def test_label_folds_lines_and_drops_controls() -> None:
    assert check_label("Chi bộ\nPhòng\x00 Kế toán\u200b", max_length=200, what="x") == (
        "Chi bộ Phòng Kế toán"
    )
