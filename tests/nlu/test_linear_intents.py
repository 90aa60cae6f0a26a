"""The intent classifier inside Rasa: real featurizers, training, saving, loading, ranking."""

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.cue_words import CueWordFeaturizer
from nlu.linear_intents import LinearIntentClassifier, stack_blocks

EXAMPLES = {
    "greet": ["hoi", "hallo", "goedemorgen", "hey daar", "hallo allemaal", "hoi hoi"],
    "goodbye": ["doei", "tot ziens", "dag hoor", "ik ga ervandoor", "doeg", "tot later"],
    "search_opportunities": [
        "ik wil helpen in de tuin", "ik zoek vrijwilligerswerk", "iets met koken",
        "ik wil vrijwilliger worden", "is er werk bij de voedselbank", "ik zoek iets met ouderen",
    ],
}


def _storage(path: Path) -> LocalModelStorage:
    path.mkdir(parents=True, exist_ok=True)
    return LocalModelStorage(path)


def _context() -> ExecutionContext:
    return ExecutionContext(GraphSchema({}), "doemee-test")


def _messages(spacy_steps, texts):
    nlp, tokenizer = spacy_steps
    messages = [Message.build(text=t) for t in texts]
    nlp.process(messages, nlp.provide())
    tokenizer.process(messages)
    return messages


@pytest.fixture
def featurize(spacy_steps, tmp_path: Path):
    """Trains the word and cue featurizers on the examples; returns (training data, featurize)."""
    examples = [(text, intent) for intent, texts in EXAMPLES.items() for text in texts]
    messages = _messages(spacy_steps, [t for t, _ in examples])
    for message, (_, intent) in zip(messages, examples):
        message.set("intent", intent)
    data = TrainingData(training_examples=messages)
    storage = _storage(tmp_path / "featurizers")
    words = CountVectorsFeaturizer.create(
        {**CountVectorsFeaturizer.get_default_config(), "alias": "lemmas", "use_lemma": True},
        storage, Resource("words"), _context(),
    )
    words.train(data)
    cues = CueWordFeaturizer.create({"alias": "cue_words"}, storage, Resource("cues"), _context())
    for step in (words, cues):
        step.process_training_data(data)

    def _featurize(texts):
        new = _messages(spacy_steps, texts)
        words.process(new)
        cues.process(new)
        return new

    return data, _featurize


def _train(data, storage: LocalModelStorage, **config) -> LinearIntentClassifier:
    classifier = LinearIntentClassifier.create(
        {**LinearIntentClassifier.get_default_config(), **config}, storage, Resource("intents"), _context()
    )
    classifier.train(data)
    return classifier


def test_each_featurizer_is_its_own_block(featurize):
    data, _ = featurize
    blocks = stack_blocks(data.intent_examples)
    assert set(blocks) == {"lemmas", "cue_words"}
    assert all(block.shape[0] == len(data.intent_examples) for block in blocks.values())


def test_trained_saved_and_loaded_it_classifies_new_messages(featurize, tmp_path):
    data, featurize_new = featurize
    storage = _storage(tmp_path / "model")
    _train(data, storage, block_weights={"lemmas": 1.0, "cue_words": 0.5})
    loaded = LinearIntentClassifier.load(
        {**LinearIntentClassifier.get_default_config(), "block_weights": {"lemmas": 1.0, "cue_words": 0.5}},
        storage, Resource("intents"), _context(),
    )
    messages = loaded.process(featurize_new(["hallo daar", "ik zoek iets met koken", "doei, tot later"]))
    assert [m.get("intent")["name"] for m in messages] == ["greet", "search_opportunities", "goodbye"]
    ranking = messages[0].get("intent_ranking")
    assert [r["name"] for r in ranking][0] == "greet"
    assert sum(r["confidence"] for r in ranking) == pytest.approx(1.0, abs=1e-6)
    assert ranking == sorted(ranking, key=lambda r: -r["confidence"])


def test_an_unseen_greeting_is_found_through_the_cue_words(featurize, tmp_path):
    data, featurize_new = featurize
    classifier = _train(data, _storage(tmp_path / "model"))
    (message,) = classifier.process(featurize_new(["goedenavond"]))  # never in the examples
    assert message.get("intent")["name"] == "greet"


def test_blend_mixes_in_an_earlier_ranking(featurize, tmp_path):
    data, featurize_new = featurize
    blended = _train(data, _storage(tmp_path / "a"), blend=0.9)
    alone = _train(data, _storage(tmp_path / "b"))
    texts = ["hallo"]
    earlier = [{"name": "goodbye", "confidence": 0.99}, {"name": "greet", "confidence": 0.01}]
    first, second = featurize_new(texts), featurize_new(texts)
    for m in first + second:
        m.set("intent_ranking", earlier)
    assert alone.process(first)[0].get("intent")["name"] == "greet"
    assert blended.process(second)[0].get("intent")["name"] == "goodbye"


def test_a_model_that_was_never_trained_leaves_messages_alone(featurize, tmp_path):
    _, featurize_new = featurize
    storage = _storage(tmp_path / "empty")
    loaded = LinearIntentClassifier.load(
        LinearIntentClassifier.get_default_config(), storage, Resource("nothing"), _context()
    )
    (message,) = loaded.process(featurize_new(["hallo"]))
    assert message.get("intent") is None
