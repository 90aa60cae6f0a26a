"""The real encoder worker, except that the text "POISON" kills it as a native crash would."""

from __future__ import annotations

import os
import sys

from nlu import encoder_worker


class PoisonedEncoder(encoder_worker.Encoder):
    def embed(self, texts):
        if "POISON" in texts:
            os.abort()
        return super().embed(texts)


if __name__ == "__main__":
    encoder_worker.Encoder = PoisonedEncoder  # type: ignore[misc]
    sys.exit(encoder_worker.serve(1))
