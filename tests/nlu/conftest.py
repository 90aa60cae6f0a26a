"""Fixtures for the NLU component tests, which run in the Rasa environment only.

The app environment's pytest has no Rasa, so there this folder is not collected.
In the Rasa environment the messages are real Rasa Messages, run through the real
SpacyNLP (build/spacy-nl) and SpacyTokenizer before an extractor sees them.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any, Callable, Dict, List, Tuple

import pytest

if importlib.util.find_spec("rasa") is None:
    collect_ignore_glob = ["test_*.py"]
else:
    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.nlu.tokenizers.spacy_tokenizer import SpacyTokenizer
    from rasa.nlu.utils.spacy_utils import SpacyNLP
    from rasa.shared.nlu.constants import ENTITIES
    from rasa.shared.nlu.training_data.message import Message

ROOT = Path(__file__).resolve().parents[2]
SPACY_MODEL = ROOT / "build" / "spacy-nl"

Found = List[Tuple[str, str, str]]


def _create(component: type, config: Dict[str, Any], tmp_path: Path) -> Any:
    return component.create(
        {**component.get_default_config(), **config},
        LocalModelStorage(tmp_path),
        Resource(component.__name__),
        ExecutionContext(GraphSchema({}), "doemee-test"),
    )


@pytest.fixture(scope="session")
def spacy_steps(tmp_path_factory: pytest.TempPathFactory) -> Tuple[Any, Any]:
    if not (SPACY_MODEL / "meta.json").exists():
        pytest.fail("build/spacy-nl is missing: run `make spacy-model`")
    tmp = tmp_path_factory.mktemp("spacy")
    nlp = _create(SpacyNLP, {"model": str(SPACY_MODEL)}, tmp)
    tokenizer = _create(SpacyTokenizer, {}, tmp)
    return nlp, tokenizer


@pytest.fixture
def run(spacy_steps: Tuple[Any, Any], tmp_path: Path) -> Callable[[type, str], Found]:
    """Runs one extractor class on one text the way the pipeline does: (text, entity, value) found."""
    nlp, tokenizer = spacy_steps

    def _run(component: type, text: str) -> Found:
        message = Message.build(text=text)
        nlp.process([message], nlp.provide())
        tokenizer.process([message])
        _create(component, {}, tmp_path).process([message])
        return [
            (text[e["start"]:e["end"]], e["entity"], e["value"])
            for e in message.get(ENTITIES, [])
            if e.get("extractor") == component.__name__
        ]

    return _run
