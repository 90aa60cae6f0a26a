"""The shared shape of DoeMee's rule-based entity extractors.

Each extractor only decides which spans of a text carry which value; this
base turns those spans into Rasa entities, appended to what earlier
components found, and tagged with the extractor's name for `rasa test`.
"""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass
from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message


@dataclass(frozen=True)
class Span:
    """One entity found in a text: where, what kind, and its normalised value."""

    start: int
    end: int
    entity: str
    value: str

    def as_entity(self) -> Dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "entity": self.entity,
            "value": self.value,
            "confidence_entity": 1.0,
        }


class RuleEntityExtractor(GraphComponent, EntityExtractorMixin):
    """Base class: subclasses implement `find(text)`; nothing is trained or persisted."""

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "RuleEntityExtractor":
        return cls(config)

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._config = config
        self.warm_up()

    def warm_up(self) -> None:
        """Loads word lists at startup, so the first resident does not wait for them."""

    @abstractmethod
    def find(self, text: str) -> List[Span]:
        """The entities in `text`."""

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not text:
                continue
            found = [span.as_entity() for span in self.find(text)]
            if found:
                entities = message.get(ENTITIES, []) + self.add_extractor_name(found)
                message.set(ENTITIES, entities, add_to_output=True)
        return messages


def without_overlaps(spans: List[Span]) -> List[Span]:
    """Keeps the longest of overlapping spans (earliest first on ties), in text order."""
    kept: List[Span] = []
    for span in sorted(spans, key=lambda s: (-(s.end - s.start), s.start)):
        if all(span.end <= k.start or span.start >= k.end for k in kept):
            kept.append(span)
    return sorted(kept, key=lambda s: s.start)
