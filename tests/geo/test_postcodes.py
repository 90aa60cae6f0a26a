from __future__ import annotations

import pytest

from doemee.geo.postcodes import find_postcode, normalise_postcode


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("3511", "3511"),
        ("3511 AB", "3511 AB"),
        ("3511ab", "3511 AB"),
        ("3511-AB", "3511 AB"),
        (" 3511AB ", "3511 AB"),
        ("3511 ab", "3511 AB"),
        ("9999", "9999"),
    ],
)
def test_postcodes_in_every_common_form_are_normalised(typed, expected):
    assert normalise_postcode(typed) == expected


@pytest.mark.parametrize(
    "typed",
    ["0123", "0123 AB", "3511 SA", "3511sd", "3511 SS", "351", "35111", "3511 A", "3511 ABC", "", "   ", "Utrecht", "3511 A1", "٣٥١١"],
)
def test_things_that_are_not_dutch_postcodes_are_rejected(typed):
    assert normalise_postcode(typed) is None


def test_a_huge_text_is_not_a_postcode():
    assert normalise_postcode("3511" + " " * 10_000) is None


def test_a_postcode_is_found_inside_a_sentence():
    assert find_postcode("Ik woon op 3511 AB in Utrecht") == "3511 AB"


def test_a_lowercase_word_after_a_pc4_is_not_taken_for_its_letters():
    assert find_postcode("ik woon in 3511 en zoek iets") == "3511"


def test_house_numbers_and_phone_numbers_are_not_postcodes():
    assert find_postcode("Dorpsstraat 12, bel 0301234567") is None
