from nlu.message_shape import SHAPE_FEATURES, MessageShapeFeaturizer, WordSet, dutch_words, message_shape


def _shape(text):
    return dict(zip(SHAPE_FEATURES, message_shape(text, dutch_words())))


def test_the_dutch_word_list_knows_common_words_and_not_keyboard_mash():
    words = dutch_words()
    assert all(w in words for w in ("ik", "is", "houdt", "vrijwilligerswerk", "tuinieren", "buurthuis"))
    assert "jkjkjk" not in words and "zxcvbnm" not in words


def test_a_word_set_holds_exactly_its_words():
    words = WordSet(["fiets", "boek", "fiets"])
    assert len(words) == 2
    assert "fiets" in words and "boek" in words
    assert "fietsen" not in words and "" not in words and 3 not in words


def test_an_emoji_only_message_has_no_letters_and_an_emoji():
    shape = _shape("🍕🍕")
    assert shape["no_letters"] == 1.0 and shape["emoji"] == 1.0
    assert shape["unknown_share"] == 0.0


def test_keyboard_mash_is_unknown_and_a_keyboard_run():
    shape = _shape("jjjjjj")
    assert shape["all_unknown"] == 1.0 and shape["keyboard_run"] == 1.0 and shape["words_1"] == 1.0


def test_a_plain_dutch_question_is_known_words_with_a_question_word_first():
    shape = _shape("Wat is het adres?")
    assert shape["unknown_share"] == 0.0
    assert shape["question_word_first"] == 1.0 and shape["question_mark"] == 1.0
    assert shape["words_3_4"] == 1.0 and shape["name_like"] == 0.0


def test_a_capitalised_word_after_the_first_looks_like_a_name():
    assert _shape("ik heet Anouk")["name_like"] == 1.0
    assert _shape("ik heet anouk")["name_like"] == 0.0


def test_contact_details_are_recognised():
    assert _shape("sanne@example.org")["email"] == 1.0
    assert _shape("bel me op 06 12345678")["phone"] == 1.0
    assert _shape("+31612345678")["phone"] == 1.0
    assert _shape("ik woon in 3511")["phone"] == 0.0


def test_an_empty_message_has_no_shape():
    assert not any(message_shape("", dutch_words()))


def test_the_featurizer_adds_one_sentence_row_and_empty_token_rows(spacy_steps, tmp_path):
    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.shared.nlu.constants import TEXT
    from rasa.shared.nlu.training_data.message import Message

    nlp, tokenizer = spacy_steps
    message = Message.build(text="qqqq ?")
    nlp.process([message], nlp.provide())
    tokenizer.process([message])
    featurizer = MessageShapeFeaturizer.create(
        MessageShapeFeaturizer.get_default_config(), LocalModelStorage(tmp_path), Resource("s"),
        ExecutionContext(GraphSchema({}), "doemee-test", node_name="message_shape"),
    )
    featurizer.process([message])
    sequence, sentence = message.get_sparse_features(TEXT)
    row = dict(zip(SHAPE_FEATURES, sentence.features.toarray()[0]))
    assert row["all_unknown"] == 1.0 and row["question_mark"] == 1.0
    assert sequence.features.shape == (2, len(SHAPE_FEATURES)) and sequence.features.nnz == 0
