"""Feeds hostile messages through every NLU component of the trained model, in a child process.

`python -m tests.nlu.fuzz_pipeline --count N --seed S [--model PATH]` (Rasa
environment) loads the model as `rasa run` does and runs each message through
its whole NLU graph: the payload handler, spaCy, every featurizer, the sentence
encoder, DIET, the linear classifier, the extractors and the fallback. Each text is
first cleaned as Rasa's entry cleans it (nlu/message_text.py). It
prints one JSON summary line and exits 0 only when every message was parsed
and the encoder's own process never had to be replaced.

Run as a child so a crash in native code fails the caller instead of killing
it; before each batch the child writes the batch's first index to --progress,
so the caller can name the messages it died on.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
import time
from pathlib import Path

from tests.support.fuzz_text import messages

ROOT = Path(__file__).resolve().parents[2]
BATCH = 16


def newest_model() -> Path:
    return max((ROOT / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument("--progress", type=Path, default=None)
    args = parser.parse_args()
    # Rasa logs parsed texts at debug level; these texts are noise on purpose.
    logging.disable(logging.WARNING)
    import structlog

    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.ERROR))

    from rasa.core.agent import Agent
    from rasa.core.channels.channel import UserMessage
    from rasa.engine.runner.interface import GraphRunner
    from rasa.shared.core.trackers import DialogueStateTracker

    from nlu import sentence_meaning
    from nlu.message_text import clean

    agent = Agent.load(str(args.model or newest_model()))
    processor = agent.processor
    runner: GraphRunner = processor.graph_runner
    target = processor.model_metadata.nlu_target
    tracker = DialogueStateTracker.from_events("fuzz", [])

    def parse(batch: list[str]) -> list:
        inputs = {"__message__": [UserMessage(clean(text)) for text in batch], "__tracker__": tracker}
        return runner.run(inputs=inputs, targets=[target])[target]

    started = time.monotonic()
    texts = list(messages(args.count, args.seed))
    parsed = 0
    for start in range(0, len(texts), BATCH):
        batch = texts[start : start + BATCH]
        if args.progress:
            args.progress.write_text(str(start))
        try:
            results = parse(batch)
        except Exception as error:  # noqa: BLE001 - the point is to name any failure
            culprit = next((t for t in batch if _fails(parse, t)), None)
            print(json.dumps({"failed": repr(culprit)[:2000], "error": repr(error)[:2000], "index": start}))
            return 1
        if len(results) != len(batch) or any(r.get("intent") is None for r in results):
            print(json.dumps({"failed": "a message came back without an intent", "index": start}))
            return 1
        parsed += len(batch)

    # Parsing a message with the whole agent as well: the path `rasa run` takes per message.
    for text in texts[:BATCH]:
        asyncio.run(processor.parse_message(UserMessage(clean(text))))
    restarts = sentence_meaning.encoder_restarts()
    print(json.dumps({"parsed": parsed, "seconds": round(time.monotonic() - started, 1), "encoder_restarts": restarts}))
    return 0 if restarts == 0 else 1


def _fails(parse, text: str) -> bool:
    try:
        parse([text])
    except Exception:  # noqa: BLE001
        return True
    return False


if __name__ == "__main__":
    sys.exit(main())
