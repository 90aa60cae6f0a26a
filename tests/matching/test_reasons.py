"""Reasons worded in B1 Dutch, with a decimal comma."""

from __future__ import annotations

from doemee.matching.engine import find
from doemee.matching.query import Reason, ReasonKind
from doemee.messages import reason_text, reasons_text, result_card
from tests.matching.factory import MAASTRICHT, OVERVECHT, UTRECHT, add, near, published


def test_interest_uses_the_category_label_in_lower_case():
    assert reason_text(Reason(ReasonKind.INTEREST, "groen"), "3511") == (
        "Past bij je interesse in natuur, groen en tuinieren.")


def test_distance_from_a_postcode_has_a_decimal_comma():
    assert reason_text(Reason(ReasonKind.DISTANCE, 1.23), "3511") == "1,2 km van postcode 3511."


def test_distance_from_a_full_postcode_names_its_four_digits():
    assert reason_text(Reason(ReasonKind.DISTANCE, 0.0), "3511 AB") == "0,0 km van postcode 3511."


def test_distance_from_a_neighbourhood_names_it():
    assert reason_text(Reason(ReasonKind.DISTANCE, 3.36), "Overvecht") == "3,4 km van Overvecht."


def test_remote_day_part_new_and_beyond_radius_read_as_sentences():
    assert [reason_text(r, "3511") for r in (
        Reason(ReasonKind.REMOTE), Reason(ReasonKind.DAY_PART, "avond"), Reason(ReasonKind.DAY_PART, "weekend"),
        Reason(ReasonKind.NEW), Reason(ReasonKind.BEYOND_RADIUS, 23.4),
    )] == [
        "Je kunt dit vanuit huis doen.", "Past bij je voorkeur voor de avond.",
        "Past bij je voorkeur voor het weekend.", "Nieuw deze week.", "Verder weg dan je zoekgebied: 23 km.",
    ]


def test_a_flexible_commitment_says_you_choose_how_often():
    assert reason_text(Reason(ReasonKind.COMMITMENT, "flexibel"), "3511") == "Je bepaalt zelf hoe vaak je helpt."


def test_a_real_match_is_explained_in_order(db):
    add(db, at=OVERVECHT, day_parts="avond", created_at=published(1))
    match = find(db, near(interests=frozenset({"groen"}), times=frozenset({"avond"}))).matches[0]
    assert reasons_text(match, "Utrecht") == [
        "Past bij je interesse in natuur, groen en tuinieren.", "3,0 km van Utrecht.",
        "Past bij je voorkeur voor de avond.", "Nieuw deze week.",
    ]


def test_an_alternative_says_it_lies_beyond_the_search_area(db):
    add(db, at=MAASTRICHT)
    match = find(db, near(radius_km=5)).matches[0]
    assert reasons_text(match, "3511")[-1].startswith("Verder weg dan je zoekgebied: ")


def test_a_result_card_shows_the_same_km_as_its_distance_reason(db):
    add(db, at=(UTRECHT[0] + 0.021125, UTRECHT[1]))  # 2.349 km north: 2,35 rounded twice would show 2,4
    match = find(db, near()).matches[0]
    view = match.opportunity
    card = result_card(1, view.title, view.initiative, view.place, match.distance_km, view.remote,
                       reasons_text(match, "3511"))
    assert "(2,3 km)" in card
    assert "- 2,3 km van postcode 3511." in card
