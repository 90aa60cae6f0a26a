"""Hostile chat messages, the same for a given seed: what the NLU fuzz runs feed Rasa.

Standard library only, so both environments can import it. Each message comes
from one of a few families of trouble; the families take turns, so any run of
a few hundred messages has them all.
"""

from __future__ import annotations

import random
import unicodedata
from functools import lru_cache
from typing import Callable, Iterator

# The gateway's limit (bot/web/config.py, max_message_chars); a test in the app
# environment checks that the two agree.
GATEWAY_MAX_CHARS = 1000

PLAIN = ["ik woon in 3511", "hoi", "ik wil helpen met tuinieren", "Schalkwijk", "ja", "meer",
         "ik wil me aanmelden", "/sign_up", "help", "vergeet mij", "wat kun je allemaal?"]
COMBINING = [*range(0x0300, 0x0370), *range(0x1AB0, 0x1AC0), *range(0x1DC0, 0x1E00), *range(0x20D0, 0x20F1)]
EMOJI = ["\U0001F600", "\U0001F44D", "\U0001F3FD", "\u200d", "\ufe0f", "\U0001F1F3\U0001F1F1", "\U0001F468\u200d\U0001F469\u200d\U0001F467",
         "\u2764\ufe0f", "\U0001F9D1\U0001F3FF\u200d\U0001F33E", "\U000E0067", "\U0001FAE0"]
CONTROL = [*map(chr, range(0x00, 0x20)), "\x7f", *map(chr, range(0x80, 0xA0)), "\u200b", "\u200c", "\u200e", "\u200f",
           "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u2028",
           "\u2029", "\ufeff", "\ufff9", "\ufffb", "\U000E0001"]
PAYLOADS = ['/search_opportunities{{"postcode": "{0}", "interest": "{0}"}}', '/sign_up{{"opportunity_id": "{0}"}}',
            '/inform{{"place": {0}}}', "/{0}", '/more_info{{"opportunity_id": [{0}]}}', "/search_opportunities{{{0}"]


@lru_cache(maxsize=1)
def expanders() -> list[str]:
    """Code points that NFKC turns into three or more (U+FDFA into 18)."""
    return [chr(c) for c in range(0x110000)
            if not 0xD800 <= c <= 0xDFFF and len(unicodedata.normalize("NFKC", chr(c))) >= 3]


def any_code_point(rng: random.Random) -> str:
    """Any of the 17 planes, surrogates and unassigned code points included."""
    plane = rng.randrange(17)
    return chr(plane * 0x10000 + rng.randrange(0x10000))


def _random_planes(rng: random.Random) -> str:
    return "".join(any_code_point(rng) for _ in range(rng.randint(1, 80)))


def _expanding(rng: random.Random) -> str:
    pool = expanders()
    if rng.random() < 0.3:
        return rng.choice(pool) * rng.randint(1, 400)
    return "".join(rng.choice(pool) for _ in range(rng.randint(1, 300)))


def _combining_flood(rng: random.Random) -> str:
    base = rng.choice(["a", "e", "ik", "ß", "ش", "中", "", " "])
    return (base + "".join(chr(rng.choice(COMBINING)) for _ in range(rng.randint(10, 600)))) * rng.randint(1, 3)


def _emoji_flood(rng: random.Random) -> str:
    return "".join(rng.choice(EMOJI) for _ in range(rng.randint(5, 500)))


def _control(rng: random.Random) -> str:
    parts = [rng.choice(CONTROL) if rng.random() < 0.6 else rng.choice(PLAIN) for _ in range(rng.randint(1, 40))]
    return "".join(parts)


def _at_the_limit(rng: random.Random) -> str:
    length = rng.choice([GATEWAY_MAX_CHARS - 1, GATEWAY_MAX_CHARS, GATEWAY_MAX_CHARS + 1, 4 * GATEWAY_MAX_CHARS])
    alphabet = rng.choice(["ik wil helpen ", "\ufdfa", "a\u0301", "\U0001F600", "3511 ", "x", "中文"])
    return (alphabet * (length // len(alphabet) + 1))[:length]


def _payload(rng: random.Random) -> str:
    junk = rng.choice(["'; --", "<script>alert(1)</script>", "-1", "9" * 40, "null", '"', "{", "\\", "\ud800",
                       _random_planes(rng)[:20], "%s%n", "${7*7}", "{{7*7}}", "../../etc/passwd"])
    return rng.choice(PAYLOADS).format(junk)


def _mixed(rng: random.Random) -> str:
    return rng.choice(PLAIN) + rng.choice([_random_planes, _control, _combining_flood, _emoji_flood])(rng)[:60]


def _empty(rng: random.Random) -> str:
    return rng.choice(["", " ", "\n", "\t\t", "\u3000", "\u200b", "\u00a0" * 5, "." * rng.randint(1, 50)])


FAMILIES: list[Callable[[random.Random], str]] = [
    _random_planes, _expanding, _combining_flood, _emoji_flood, _control, _at_the_limit, _payload, _mixed, _empty,
]


def messages(count: int, seed: int) -> Iterator[str]:
    rng = random.Random(seed)
    for index in range(count):
        yield FAMILIES[index % len(FAMILIES)](rng)
