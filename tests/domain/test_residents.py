from doemee.residents import (
    Contact, get_or_create, is_yes_or_no, parse_contact, parse_first_name, says_no_contact, says_stop,
)


def test_first_name_is_taken_from_a_sentence_and_capitalised():
    assert parse_first_name("ik heet sanne") == "Sanne"
    assert parse_first_name("Mijn naam is Jan-Willem") == "Jan-Willem"


def test_things_that_are_no_name_are_refused():
    for text in ("", "1234", "<script>", "a" * 60, "ik wil iets met ouderen doen vandaag graag", "😀"):
        assert parse_first_name(text) is None, text


def test_a_sentence_of_ordinary_words_is_no_name():
    for text in ("ja", "nee hoor", "iets anders", "ik zoek vrijwilligerswerk", "ik wil me aanmelden",
                 "vertel eens meer over de eerste", "laat maar", "meer", "oké"):
        assert parse_first_name(text) is None, text


def test_real_names_stay_names_with_diacritics_and_double_names():
    assert parse_first_name("Sanne") == "Sanne"
    assert parse_first_name("ik heet Anne-Marie") == "Anne-Marie"
    assert parse_first_name("Zoë") == "Zoë"
    assert parse_first_name("çağlar") == "Çağlar"
    assert parse_first_name("Anne Marie") == "Anne Marie"


def test_a_full_name_gives_the_first_name():
    assert parse_first_name("Jan de Vries") == "Jan"
    assert parse_first_name("ik heet Fatma van der Berg") == "Fatma"


def test_a_name_that_is_also_a_word_is_a_name_on_its_own_but_not_in_a_sentence():
    assert parse_first_name("Wil") == "Wil"
    assert parse_first_name("ik wil") is None


def test_yes_and_no_words_are_recognised_as_such():
    assert is_yes_or_no("ja hoor") and is_yes_or_no("Nee!")
    assert not is_yes_or_no("Janne")


def test_stopping_halfway_is_recognised():
    for text in ("laat maar, ik bedenk me", "stop", "ik bedenk me", "nee laat maar", "ik wil me toch niet aanmelden"):
        assert says_stop(text), text
    for text in ("Sanne", "stoppel", "ik wil me aanmelden"):
        assert not says_stop(text), text


def test_having_no_email_address_or_phone_is_recognised():
    assert says_no_contact("heb ik niet") == "email"
    assert says_no_contact("ik heb geen e-mail") == "email"
    assert says_no_contact("ik heb geen telefoon") == "phone"
    assert says_no_contact("nee") is None
    assert says_no_contact("sanne@mail.nl") is None


def test_email_and_dutch_phone_numbers_are_recognised_and_normalised():
    assert parse_contact("mijn mail is Sanne@Mail.NL") == Contact("email", "sanne@mail.nl")
    assert parse_contact("06 123 456 78") == Contact("phone", "0612345678")
    assert parse_contact("+31 6 12345678") == Contact("phone", "0612345678")
    assert parse_contact("030-1234567") == Contact("phone", "0301234567")
    assert parse_contact("U kunt mij bellen op 06 123 456 78.") == Contact("phone", "0612345678")
    assert parse_contact("mijn nummer is (030) 123 45 67, na zes uur") == Contact("phone", "0301234567")
    assert parse_contact("bel 06 123 456 78 voor info", in_sentence=False) is None
    assert parse_contact("ik woon in 3512 ab sinds 2019") is None


def test_garbage_is_no_contact():
    for text in ("", "geen idee", "12345", "sanne@", "'; drop table resident; --", "x" * 300):
        assert parse_contact(text) is None, text


def test_a_resident_is_created_once_per_channel_and_sender(db):
    first = get_or_create(db, "rest", "abc")
    again = get_or_create(db, "rest", "abc")
    other = get_or_create(db, "telegram", "abc")
    assert first.id == again.id
    assert other.id != first.id
