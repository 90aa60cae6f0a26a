"""config.yml keeps the rule extractors the only producers of the contract's entities."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
EXTRACTORS = [
    "nlu.postcodes.PostcodeExtractor",
    "nlu.places.PlaceExtractor",
    "nlu.interests.InterestExtractor",
    "nlu.times.TimeExtractor",
]


def _pipeline():
    return [step["name"] for step in yaml.safe_load((ROOT / "config.yml").read_text())["pipeline"]]


def _step(name):
    return next(s for s in yaml.safe_load((ROOT / "config.yml").read_text())["pipeline"] if s["name"] == name)


def test_diet_classifies_intents_but_extracts_no_entities():
    assert _step("DIETClassifier")["entity_recognition"] is False


def test_every_rule_extractor_is_in_the_pipeline():
    assert set(EXTRACTORS) <= set(_pipeline())


def test_the_type_blind_synonym_mapper_runs_before_the_extractors():
    names = _pipeline()
    assert all(names.index("EntitySynonymMapper") < names.index(e) for e in EXTRACTORS)


def test_the_spacy_pipeline_is_the_one_make_builds():
    assert _step("SpacyNLP")["model"] == "build/spacy-nl"


def test_the_rule_featurizers_feed_the_intent_classifiers():
    names = _pipeline()
    featurizers = ["nlu.entity_features.EntityFeaturizer", "nlu.message_shape.MessageShapeFeaturizer", "nlu.cue_words.CueWordFeaturizer"]
    assert all(names.index(f) < names.index("DIETClassifier") for f in featurizers)


def test_the_linear_classifier_blends_diet_and_decides_before_the_fallback():
    names = _pipeline()
    linear = "nlu.linear_intents.LinearIntentClassifier"
    assert names.index("DIETClassifier") < names.index(linear) < names.index("FallbackClassifier")
    assert 0 < _step(linear)["blend"] < 1


def test_every_block_weight_names_a_featurizer_alias():
    """A misspelt alias would silently weigh its block 1.0."""
    pipeline = yaml.safe_load((ROOT / "config.yml").read_text())["pipeline"]
    aliases = {step["alias"] for step in pipeline if "alias" in step}
    weights = _step("nlu.linear_intents.LinearIntentClassifier")["block_weights"]
    assert set(weights) == aliases


def test_centred_and_neighbour_blocks_name_a_featurizer_alias():
    pipeline = yaml.safe_load((ROOT / "config.yml").read_text())["pipeline"]
    aliases = {step["alias"] for step in pipeline if "alias" in step}
    linear = _step("nlu.linear_intents.LinearIntentClassifier")
    assert set(linear["centred_blocks"]) <= aliases
    assert linear["neighbours"]["block"] in linear["centred_blocks"]
