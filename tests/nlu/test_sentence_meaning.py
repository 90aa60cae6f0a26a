"""The sentence-meaning featurizer: the real multilingual-e5-small, in Rasa messages and alone."""

from pathlib import Path

import numpy as np
import pytest
import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.intent_model import LinearIntentModel
from nlu.linear_intents import LinearIntentClassifier
from nlu.sentence_meaning import SentenceMeaningFeaturizer, embed

PRIVACY = ["wat doen jullie met mijn gegevens", "wie kan mijn naam zien", "bewaren jullie dit gesprek",
           "is deze chat veilig", "delen jullie mijn e-mailadres"]
PRACTICAL = ["hoe laat begint het", "moet ik zelf iets meenemen", "krijg ik een vergoeding",
             "is er begeleiding", "hoeveel uur per week is het"]
FAREWELL = ["doei", "tot ziens", "ik ga ervandoor", "fijne dag nog", "ik stop ermee"]
# None of these shares a content word with the examples above.
UNSEEN = {
    "verkopen jullie mijn adres aan bedrijven": "ask_privacy",
    "zien anderen mijn telefoonnummer": "ask_privacy",
    "worden mijn reiskosten betaald": "more_info",
    "houdoe": "goodbye",
    "ik moet weg, later": "goodbye",
}


def _context() -> ExecutionContext:
    return ExecutionContext(GraphSchema({}), "doemee-test")


def _featurizer(tmp_path: Path) -> SentenceMeaningFeaturizer:
    return SentenceMeaningFeaturizer.create(
        {**SentenceMeaningFeaturizer.get_default_config(), "alias": "meaning"},
        LocalModelStorage(tmp_path), Resource("meaning"), _context(),
    )


def _cosine(a: str, b: str) -> float:
    x, y = embed([a, b])
    return float(x @ y)


def test_the_same_question_in_other_words_is_nearer_than_another_question():
    assert _cosine("is er parkeerplek", "kan ik daar parkeren") > _cosine("is er parkeerplek", "wat voor weer wordt het morgen")
    assert _cosine("wie ziet mijn postcode", "wat doen jullie met mijn gegevens") > _cosine("wie ziet mijn postcode", "hoi")
    assert _cosine("ik wil helpen bij de voedselbank", "ik wil eten uitdelen aan wie het nodig heeft") > _cosine(
        "ik wil helpen bij de voedselbank", "schrijf me uit voor de meldingen"
    )


def test_vectors_have_unit_length_and_a_fixed_width():
    vectors = embed(["hoi", "🙂", "ik woon in 3512 AB"])
    assert vectors.shape == (3, 384)
    assert np.linalg.norm(vectors, axis=1) == pytest.approx([1.0, 1.0, 1.0], abs=1e-3)


def test_each_message_gets_one_sentence_row_under_the_alias(tmp_path):
    messages = [Message.build(text=t) for t in ["hoe laat begint het", "   ", ""]]
    _featurizer(tmp_path).process(messages)
    features = messages[0].features
    assert [(f.type, f.origin, f.features.shape) for f in features] == [("sentence", "meaning", (1, 384))]
    assert messages[1].features == [] and messages[2].features == []


def test_unseen_wordings_find_their_intent_through_meaning_alone(tmp_path):
    examples = [(t, "ask_privacy") for t in PRIVACY] + [(t, "more_info") for t in PRACTICAL] + [(t, "goodbye") for t in FAREWELL]
    featurizer = _featurizer(tmp_path)
    data = featurizer.process_training_data(
        TrainingData(training_examples=[Message.build(text=t, intent=i) for t, i in examples])
    )
    config = {**LinearIntentClassifier.get_default_config(), "C": 4, "centred_blocks": ["meaning"]}
    storage = LocalModelStorage(tmp_path)
    LinearIntentClassifier.create(config, storage, Resource("intents"), _context()).train(data)
    loaded = LinearIntentClassifier.load(config, storage, Resource("intents"), _context())
    new = featurizer.process([Message.build(text=t) for t in UNSEEN])
    assert {m.get("text"): m.get("intent")["name"] for m in loaded.process(new)} == UNSEEN


def test_the_centre_is_the_mean_of_the_training_sentences_and_is_saved():
    texts = PRIVACY + PRACTICAL
    vectors = embed(texts)
    model = LinearIntentModel({}, 4.0, ["meaning"]).fit({"meaning": scipy.sparse.csr_matrix(vectors)}, ["p"] * 5 + ["m"] * 5)
    assert model.centres["meaning"] == pytest.approx(vectors.mean(axis=0), abs=1e-5)
    copy = LinearIntentModel.from_arrays(model.to_arrays(), {}, 4.0)
    probe = {"meaning": scipy.sparse.csr_matrix(embed(["is het veilig", "duurt het lang"]))}
    assert np.allclose(copy.predict(probe), model.predict(probe))
