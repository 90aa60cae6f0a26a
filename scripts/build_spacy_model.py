"""Builds the Dutch spaCy pipeline Rasa's SpacyNLP loads from disk.

The packaged Dutch models cannot be installed here, so this is a blank Dutch
tokenizer plus the lookup lemmatizer from spacy-lookups-data.
Usage: python scripts/build_spacy_model.py OUT_DIR
"""

import sys
from pathlib import Path

import spacy


def main(out: str) -> None:
    nlp = spacy.blank("nl")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    nlp.meta["name"] = "doemee_nl"
    Path(out).mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out)
    print(f"spaCy pipeline written to {out}")


if __name__ == "__main__":
    main(sys.argv[1])
