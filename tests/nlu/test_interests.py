from nlu.interests import InterestExtractor


def test_everyday_words_become_category_slugs(run):
    assert run(InterestExtractor, "ik wil tuinieren") == [("tuinieren", "interest", "groen")]
    assert run(InterestExtractor, "iets met bejaarden") == [("bejaarden", "interest", "ouderen")]


def test_a_lemma_matches_where_the_word_form_does_not(run):
    assert run(InterestExtractor, "ik help graag bejaarde mensen") == [("bejaarde", "interest", "ouderen")]


def test_informal_phrases_are_understood(run):
    assert run(InterestExtractor, "ik wil ouwere mensen helpen") == [("ouwere mensen", "interest", "ouderen")]
    assert run(InterestExtractor, "ik kan goed met kinderen") == [("kinderen", "interest", "jeugd")]


def test_phrases_win_over_their_words(run):
    assert run(InterestExtractor, "een repair café") == [("repair café", "interest", "klussen")]


def test_taalmaatje_is_language(run):
    assert run(InterestExtractor, "ik wil taalmaatje worden") == [("taalmaatje", "interest", "taal")]


def test_a_typo_is_forgiven(run):
    assert run(InterestExtractor, "iets met tuinieeren") == [("tuinieeren", "interest", "groen")]


def test_a_compound_counts_by_its_interest_word(run):
    assert run(InterestExtractor, "onze voetbalclub") == [("voetbalclub", "interest", "sport")]


def test_a_correct_word_is_never_corrected_into_an_interest(run):
    assert run(InterestExtractor, "mijn ouders wonen hier") == []
    assert run(InterestExtractor, "natuurlijk") == []


def test_handig_counts_only_when_someone_says_they_are_handy(run):
    assert run(InterestExtractor, "ik ben handig") == [("handig", "interest", "klussen")]
    assert run(InterestExtractor, "dat is handig") == []


def test_several_interests_are_found_in_order(run):
    assert run(InterestExtractor, "iets met computers en ouderen") == [
        ("computers", "interest", "digitaal"),
        ("ouderen", "interest", "ouderen"),
    ]


def test_na_de_lunch_is_a_time_not_food(run):
    assert run(InterestExtractor, "na de lunch heb ik tijd") == []


def test_a_worry_is_not_an_interest_in_care(run):
    assert run(InterestExtractor, "ik maak me zorgen om mijn privacy") == []
    assert run(InterestExtractor, "ik wil in de zorg helpen") == [("zorg", "interest", "zorg")]


def test_a_word_naming_where_someone_lives_is_not_an_interest(run):
    assert run(InterestExtractor, "ik woon in dieren") == []
    assert run(InterestExtractor, "iets met dieren") == [("dieren", "interest", "groen")]


def test_words_inside_an_email_address_or_link_name_no_interest():
    from nlu.interests import find_interests

    assert find_interests("k.jansen@example.net") == []
    assert find_interests("zie www.dansen-in-zwolle.example.org") == []
    assert [s.value for s in find_interests("ik wil dansen, mail k.jansen@example.net")] == ["sport"]
