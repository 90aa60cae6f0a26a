"""The 200,000-message fuzz takes hours, so the bench keeps finished chunks; only matching ones count."""

from __future__ import annotations

import json

from bench import fuzz_bench


def test_a_kept_chunk_counts_only_for_the_same_code_and_size(tmp_path, monkeypatch):
    monkeypatch.setattr(fuzz_bench, "KEPT", tmp_path)
    stamp = fuzz_bench.fingerprint()
    (tmp_path / "1000.json").write_text(json.dumps({"seed": 1000, "count": 10, "exit": 0, "fingerprint": stamp}))
    assert fuzz_bench._kept(1000, 10, stamp)["exit"] == 0
    assert fuzz_bench._kept(1000, 20, stamp) is None
    assert fuzz_bench._kept(1000, 10, "another-code") is None
    assert fuzz_bench._kept(1001, 10, stamp) is None
    (tmp_path / "1002.json").write_text("{not json")
    assert fuzz_bench._kept(1002, 10, stamp) is None
    monkeypatch.setattr(fuzz_bench, "FRESH", True)
    assert fuzz_bench._kept(1000, 10, stamp) is None


def test_the_fingerprint_follows_the_nlu_code(tmp_path, monkeypatch):
    (tmp_path / "requirements").mkdir()
    (tmp_path / "requirements" / "rasa.lock").write_text("rasa==3.6.21\n")
    (tmp_path / "config.yml").write_text("pipeline: []\n")
    (tmp_path / "tests" / "support").mkdir(parents=True)
    (tmp_path / "tests" / "support" / "fuzz_text.py").write_text("")
    (tmp_path / "nlu").mkdir()
    (tmp_path / "nlu" / "guard.py").write_text("LIMIT = 64\n")
    monkeypatch.setattr(fuzz_bench, "ROOT", tmp_path)
    before = fuzz_bench.fingerprint()
    assert fuzz_bench.fingerprint() == before
    (tmp_path / "nlu" / "guard.py").write_text("LIMIT = 65\n")
    assert fuzz_bench.fingerprint() != before
