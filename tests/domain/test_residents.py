from doemee.residents import Contact, get_or_create, parse_contact, parse_first_name


def test_first_name_is_taken_from_a_sentence_and_capitalised():
    assert parse_first_name("ik heet sanne") == "Sanne"
    assert parse_first_name("Mijn naam is Jan-Willem") == "Jan-Willem"


def test_things_that_are_no_name_are_refused():
    for text in ("", "1234", "<script>", "a" * 60, "ik wil iets met ouderen doen vandaag graag", "😀"):
        assert parse_first_name(text) is None, text


def test_email_and_dutch_phone_numbers_are_recognised_and_normalised():
    assert parse_contact("mijn mail is Sanne@Mail.NL") == Contact("email", "sanne@mail.nl")
    assert parse_contact("06 123 456 78") == Contact("phone", "0612345678")
    assert parse_contact("+31 6 12345678") == Contact("phone", "0612345678")
    assert parse_contact("030-1234567") == Contact("phone", "0301234567")


def test_garbage_is_no_contact():
    for text in ("", "geen idee", "12345", "sanne@", "'; drop table resident; --", "x" * 300):
        assert parse_contact(text) is None, text


def test_a_resident_is_created_once_per_channel_and_sender(db):
    first = get_or_create(db, "rest", "abc")
    again = get_or_create(db, "rest", "abc")
    other = get_or_create(db, "telegram", "abc")
    assert first.id == again.id
    assert other.id != first.id
