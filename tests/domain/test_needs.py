from doemee.needs import check_field


class _NoGeography:
    """Only postcode checks need geography; these tests do not reach it."""

    def postcode(self, text):
        raise AssertionError("not expected")


GEO = _NoGeography()


def test_time_commitment_is_understood_in_everyday_words():
    assert check_field("need_commitment", "elke week een ochtend", GEO).value == "wekelijks"
    assert check_field("need_commitment", "een keer", GEO).value == "eenmalig"
    assert check_field("need_commitment", "geen idee", GEO).problem


def test_category_words_become_slugs():
    assert check_field("need_category", "tuinieren", GEO).value == "groen"
    assert check_field("need_category", "ouderen", GEO).value == "ouderen"
    assert check_field("need_category", "xyz", GEO).problem


def test_bad_answers_get_a_dutch_reason():
    assert "postcode" in check_field("need_postcode", "abc", GEO).problem
    assert check_field("need_email", "info@", GEO).problem
    assert check_field("need_title", "", GEO).problem
    assert check_field("need_description", "x" * 6000, GEO).problem
    assert check_field("need_email", " Info@Tuin.NL ", GEO).value == "info@tuin.nl"
