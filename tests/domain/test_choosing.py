"""Which shown result a typed message means (doemee.choosing), on titles from the demo data."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from doemee.choosing import Choice, choose, chosen_position


@dataclass(frozen=True)
class Shown:
    id: int
    title: str
    initiative: str
    category: str


LANGUAGE = [
    Shown(11, "Taalmaatje voor een nieuwe buurvrouw", "Taalmaatjes Kanaleneiland", "taal"),
    Shown(12, "Gespreksleider bij het taalcafé op dinsdagochtend", "Taalmaatjes Kanaleneiland", "taal"),
    Shown(13, "Oefenen via videobellen met een taalleerder", "Taalmaatjes Kanaleneiland", "taal"),
]
GARDEN = [
    Shown(21, "Moestuinieren in Schalkwijk", "Buurttuin Het Zaadje (Haarlem-Schalkwijk)", "groen"),
    Shown(22, "Schooltuinles geven aan groep 6", "Buurttuin Het Zaadje (Haarlem-Schalkwijk)", "jeugd"),
    Shown(23, "Warmtescan maken met een warmtecamera", "Energiecoöperatie Haarlem Zon & Wind", "energie"),
]
FOOD = [
    Shown(31, "Afwassen en tafels dekken bij de wijkmaaltijd", "Buurthuis Het Huis van de Afrikaanderwijk", "voedsel"),
    Shown(32, "Sorteren in het distributiecentrum in Charlois", "Voedselbank Rotterdam-Zuid", "voedsel"),
    Shown(33, "Bestelbuschauffeur tussen magazijn en uitgiftepunten", "Voedselbank Rotterdam-Zuid", "vervoer"),
]


@pytest.mark.parametrize("text, meant", [
    ("de eerste", 11), ("die tweede lijkt me wel wat", 12), ("nummer 3", 13), ("3", 13), ("de laatste", 13),
    ("ik wil nummer 2 graag", 12),
])
def test_a_position_picks_that_result(text, meant):
    assert choose(text, LANGUAGE).chosen == meant


@pytest.mark.parametrize("text, shown, meant", [
    ("ik wil me aanmelden als taalmaatje", LANGUAGE, 11),
    ("het taalcafe", LANGUAGE, 12),
    ("die met videobellen", LANGUAGE, 13),
    ("doe maar de moestuin", GARDEN, 21),
    ("de moestuim", GARDEN, 21),
    ("afwassen lijkt me leuk", FOOD, 31),
    ("de wijkmaaltijd", FOOD, 31),
])
def test_words_of_a_title_pick_that_result_even_shortened_or_misspelt(text, shown, meant):
    assert choose(text, shown).chosen == meant


def test_two_results_of_the_named_initiative_fit_equally_and_nothing_is_picked():
    choice = choose("de voedselbank graag", FOOD)
    assert choice.chosen is None and choice.unclear and set(choice.candidates) == {32, 33}


@pytest.mark.parametrize("text", ["Marieke", "liever in het weekend", "ik woon in amersfoort", "liever iets met ouderen"])
def test_words_that_name_no_shown_result_choose_nothing(text):
    choice = choose(text, LANGUAGE)
    assert choice.chosen is None and choice.candidates == ()


def test_a_category_word_alone_is_marked_as_such():
    choice = choose("iets met eten", [*GARDEN[:2], FOOD[0]])
    assert choice == Choice(chosen=31, named=True, by_category_only=True)


def test_a_number_on_a_later_page_counts_like_the_card_it_is_on():
    assert chosen_position("nummer 5", 3, first_number=4) == 2
    assert chosen_position("de eerste", 3, first_number=4) == 1
    assert chosen_position("nummer 9", 3, first_number=4) is None


def test_an_ordinal_inside_the_named_title_names_that_title_not_the_position():
    shown = [
        Shown(41, "Messen en scharen slijpen", "Repair Café Nijmegen-Oost", "klussen"),
        Shown(42, "Fietsreparateur op de derde zaterdag", "Repair Café Nijmegen-Oost", "klussen"),
        Shown(43, "Taalmaatje voor een Oekraïense familie", "Taalmaatjes Nijmegen-Dukenburg", "taal"),
    ]
    assert choose("de fietsreparateur op de derde zaterdag", shown).chosen == 42


def test_the_place_searched_for_names_no_result_of_an_initiative_named_after_it():
    shown = [
        Shown(51, "Pakketten inpakken op donderdagochtend", "Voedselbank Utrecht-West", "voedsel"),
        Shown(52, "Tuinieren in de buurttuin op woensdag", "Buurttuin De Gagel (Overvecht)", "groen"),
    ]
    assert choose("ik woon eigenlijk in utrecht", shown, ignore=["Utrecht"]).chosen is None
    assert choose("die in utrecht", shown).chosen == 51
