"""Sentences written after the extractors were tuned, never part of the training data."""

import pytest

from nlu.interests import find_interests
from nlu.places import find_places
from nlu.postcodes import find_postcodes
from nlu.times import find_times

HELD_OUT = [
    ("woon in amersfoort, zoek iets met koken op zaterdag",
     {("place", "Amersfoort"), ("interest", "voedsel"), ("time", "weekend")}),
    ("postcode 6821 ab, kan elke week helpen bij voetbal",
     {("postcode", "6821 AB"), ("time", "wekelijks"), ("interest", "sport")}),
    ("iets voor nieuwkomers in kanaleneiland 's middags",
     {("interest", "taal"), ("place", "Kanaleneiland"), ("time", "middag")}),
    ("ik zou graag voorlezen op de basisschool", {("interest", "jeugd")}),
    ("help mij aub met vrijwilligerswerk", set()),
    ("ik heb een vraag over mijn aanmelding", set()),
    ("zwolle of kampen, maakt niet uit", {("place", "Zwolle"), ("place", "Kampen")}),
    ("doordeweeks in tilburg bij de voedselbank",
     {("time", "doordeweeks"), ("place", "Tilburg"), ("interest", "voedsel")}),
    ("in de buurt van 2513", {("postcode", "2513")}),
    ("ik wil iets met bomen of planten", {("interest", "groen")}),
]


@pytest.mark.parametrize("text, expected", HELD_OUT)
def test_fresh_sentences_give_the_expected_entities(text, expected):
    found = {
        (s.entity, s.value)
        for finder in (find_postcodes, find_places, find_interests, find_times)
        for s in finder(text)
    }
    assert found == expected
