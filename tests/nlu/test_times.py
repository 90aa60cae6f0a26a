from nlu.times import TimeExtractor


def test_day_parts_in_their_dutch_forms(run):
    assert run(TimeExtractor, "ik kan 's avonds") == [("'s avonds", "time", "avond")]
    assert run(TimeExtractor, "savonds") == [("savonds", "time", "avond")]
    assert run(TimeExtractor, "liever 's ochtends") == [("'s ochtends", "time", "ochtend")]


def test_saturday_and_sunday_are_the_weekend(run):
    assert run(TimeExtractor, "zaterdag of zondag") == [("zaterdag", "time", "weekend"), ("zondag", "time", "weekend")]


def test_frequency_phrases(run):
    assert run(TimeExtractor, "elke week") == [("elke week", "time", "wekelijks")]
    assert run(TimeExtractor, "één keer") == [("één keer", "time", "eenmalig")]
    assert run(TimeExtractor, "een keer per maand") == [("een keer per maand", "time", "maandelijks")]


def test_door_de_week_is_weekdays(run):
    assert run(TimeExtractor, "alleen door de week") == [("door de week", "time", "doordeweeks")]


def test_a_compound_gives_day_and_day_part(run):
    found = run(TimeExtractor, "zaterdagochtend")
    assert sorted(v for _, _, v in found) == ["ochtend", "weekend"]


def test_a_typo_is_forgiven(run):
    assert run(TimeExtractor, "weeekend") == [("weeekend", "time", "weekend")]


def test_nog_een_keer_is_not_a_one_off(run):
    assert run(TimeExtractor, "kun je dat nog een keer zeggen") == []


def test_a_goodbye_wish_is_not_a_time(run):
    assert run(TimeExtractor, "fijne avond!") == []
    assert run(TimeExtractor, "fijn weekend") == []


def test_morgen_is_tomorrow_not_morning(run):
    assert run(TimeExtractor, "tot morgen") == []
