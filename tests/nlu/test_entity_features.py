from nlu.entity_features import ENTITY_TYPES, EntityFeaturizer, entity_features


def _token_spans(text):
    spans, start = [], 0
    for word in text.split():
        start = text.index(word, start)
        spans.append((start, start + len(word)))
        start += len(word)
    return spans


def test_a_bare_place_is_flagged_as_nothing_but_entities():
    sequence, sentence = entity_features("haarlem", _token_spans("haarlem"))
    assert sequence[0, ENTITY_TYPES.index("place")] == 1.0
    assert sentence[0, len(ENTITY_TYPES)] == 1.0


def test_a_sentence_with_an_entity_is_not_flagged_as_a_bare_answer():
    text = "ik zoek iets met ouderen"
    sequence, sentence = entity_features(text, _token_spans(text))
    assert sentence[0, ENTITY_TYPES.index("interest")] == 1.0
    assert sentence[0, len(ENTITY_TYPES)] == 0.0
    assert sequence[:, ENTITY_TYPES.index("interest")].tolist() == [0, 0, 0, 0, 1]


def test_a_message_without_entities_gets_empty_features():
    _, sentence = entity_features("hoi", _token_spans("hoi"))
    assert not sentence.any()


def test_the_featurizer_adds_sparse_features_to_real_messages(spacy_steps, tmp_path):
    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.shared.nlu.constants import TEXT
    from rasa.shared.nlu.training_data.message import Message

    nlp, tokenizer = spacy_steps
    message = Message.build(text="3511 ochtend")
    nlp.process([message], nlp.provide())
    tokenizer.process([message])
    featurizer = EntityFeaturizer.create(
        EntityFeaturizer.get_default_config(), LocalModelStorage(tmp_path), Resource("f"),
        ExecutionContext(GraphSchema({}), "doemee-test", node_name="entity_features"),
    )
    featurizer.process([message])
    sequence, sentence = message.get_sparse_features(TEXT)
    assert sentence.features.toarray()[0].tolist() == [1, 0, 0, 1, 1]
    assert sequence.features.shape == (2, len(ENTITY_TYPES) + 1)
