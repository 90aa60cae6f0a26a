from nlu.cue_words import CUE_GROUPS, CUE_NAMES, CueWordFeaturizer, cue_features


def _groups(pairs):
    _, sentence = cue_features(pairs)
    return {name for name, value in zip(CUE_NAMES, sentence[0]) if value}


def test_a_farewell_the_data_may_lack_is_still_a_farewell():
    assert _groups([("tabee", "tabee")]) == {"farewell"}


def test_a_word_matches_by_its_lemma_as_well_as_its_form():
    assert "contact" in _groups([("belde", "bellen")])


def test_groups_are_matched_without_case_or_accents():
    assert _groups([("Oké", "oké")]) == {"yes"}


def test_a_no_and_a_yes_word_both_show_so_diet_can_combine_them():
    assert {"no", "yes"} <= _groups([("niet", "niet"), ("akkoord", "akkoord")])


def test_each_token_row_marks_only_its_own_groups():
    sequence, _ = cue_features([("hallo", "hallo"), ("robot", "robot")])
    assert sequence[0, CUE_NAMES.index("greeting")] == 1.0 and sequence[0].sum() == 1.0
    assert sequence[1, CUE_NAMES.index("machine")] == 1.0 and sequence[1].sum() == 1.0


def test_an_emoji_means_what_it_shows():
    assert _groups([("👍", "👍")]) == {"yes"}
    assert _groups([("✔", "✔"), ("\ufe0f", "\ufe0f")]) == {"yes"}
    assert _groups([("👎", "👎")]) == {"no"}
    assert _groups([("⏭", "⏭")]) == {"more"}


def test_looking_for_volunteers_differs_from_looking_for_volunteer_work():
    assert "recruiting" in _groups([("zoeken", "zoeken"), ("vrijwilligers", "vrijwilliger")])
    assert "recruiting" not in _groups([("vrijwilligerswerk", "vrijwilligerswerk")])
    assert "recruiting" not in _groups([("vrijwilliger", "vrijwilliger")])


def test_asking_about_data_differs_from_asking_to_erase_it():
    asking = _groups([("delen", "delen"), ("jullie", "jullie"), ("mijn", "mijn"), ("gegevens", "gegeven")])
    erasing = _groups([("wis", "wissen"), ("mijn", "mijn"), ("gegevens", "gegeven")])
    assert {"data_use", "personal_data"} <= asking and "erasure" not in asking
    assert {"erasure", "personal_data"} <= erasing and "data_use" not in erasing


def test_a_message_without_cue_words_has_empty_features():
    assert not _groups([("utrecht", "utrecht")])


def test_every_group_is_stored_folded():
    assert all(word == word.lower() and "é" not in word for words in CUE_GROUPS.values() for word in words)


def test_the_featurizer_adds_group_features_to_real_messages(spacy_steps, tmp_path):
    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.shared.nlu.constants import TEXT
    from rasa.shared.nlu.training_data.message import Message

    nlp, tokenizer = spacy_steps
    message = Message.build(text="houdoe en bedankt")
    nlp.process([message], nlp.provide())
    tokenizer.process([message])
    featurizer = CueWordFeaturizer.create(
        CueWordFeaturizer.get_default_config(), LocalModelStorage(tmp_path), Resource("c"),
        ExecutionContext(GraphSchema({}), "doemee-test", node_name="cue_words"),
    )
    featurizer.process([message])
    sequence, sentence = message.get_sparse_features(TEXT)
    row = dict(zip(CUE_NAMES, sentence.features.toarray()[0]))
    assert row["farewell"] == 1.0 and row["thanks"] == 1.0 and row["greeting"] == 0.0
    assert sequence.features.shape == (3, len(CUE_NAMES))
