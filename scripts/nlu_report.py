"""Measures DoeMee's NLU: cross-validated intents and entities, against Rasa's stock pipeline.

Runs in the Rasa environment (scripts/nlu-report calls it). Three measurements:
1. 5-fold cross-validation of config.yml on data/nlu (`rasa test nlu --cross-validation`);
2. the same for Rasa's stock pipeline (a config with only `language: nl`, so Rasa
   fills in its default pipeline), written to build/ at run time;
3. the rule-based extractors on every training example, comparing span, entity
   AND normalised value (Rasa's entity F1 compares entity labels per token only).
Writes results/nlu-report/: summary.json, summary.md, both folders of Rasa output,
the intent confusion matrix PNG, and the rule extractors' mismatches.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Set, Tuple

ROOT = Path(__file__).resolve().parent.parent
ENTITY_LABELS = ("postcode", "place", "interest", "time")
Key = Tuple[str, int, int, str, str]


# Rasa shuffles the folds with numpy's global generator and takes no seed; seeding it
# first gives both pipelines the same folds, and a change to the data or the config
# is measured on the same split as before.
_SEEDED_RASA = (
    "import sys, numpy; numpy.random.seed(int(sys.argv.pop(1))); "
    "from scripts.nlu_report import skip_train_fold_scores; skip_train_fold_scores(); "
    "from rasa.__main__ import main; main()"
)
PATCHED_RASA = "3.6.21"


def skip_train_fold_scores() -> None:
    """Rasa's cross-validation also predicts every training example of every fold.

    That costs four times the test folds' predictions and nothing reads it:
    the report is about the held-out folds. The train call is the one that
    collects no per-example results. Written against one Rasa version; any
    other stops here rather than measuring something else.
    """
    import rasa
    import rasa.nlu.test as nlu_test

    if rasa.__version__ != PATCHED_RASA:
        raise SystemExit(f"skip_train_fold_scores was written for Rasa {PATCHED_RASA}, not {rasa.__version__}")
    combine = nlu_test.combine_result

    async def test_folds_only(intent_metrics, entity_metrics, response_metrics, processor, data,
                              intent_results=None, entity_results=None, response_results=None):
        if intent_results is None and entity_results is None and response_results is None:
            return intent_metrics, entity_metrics, response_metrics
        return await combine(intent_metrics, entity_metrics, response_metrics, processor, data,
                             intent_results, entity_results, response_results)

    nlu_test.combine_result = test_folds_only


def run_cross_validation(config: Path, out: Path, folds: int, seed: int) -> None:
    if out.exists():
        shutil.rmtree(out)
    arguments = [
        "test", "nlu", "--nlu", "data/nlu", "--config", str(config),
        "--cross-validation", "--folds", str(folds), "--out", str(out),
    ]
    print(f"$ rasa {' '.join(arguments)}  (folds seeded with {seed})", flush=True)
    command = [sys.executable, "-c", _SEEDED_RASA, str(seed), *arguments]
    subprocess.run(command, cwd=ROOT, check=True)


def intent_macro_f1(out: Path) -> float:
    report = json.loads((out / "intent_report.json").read_text())
    return float(report["macro avg"]["f1-score"])


def entity_scores(out: Path) -> Dict[str, float]:
    """Per-label counts from each extractor's report, combined into one entity score.

    Every extractor is scored by Rasa against all entity labels; a label's own
    producer is the extractor with the highest F1 for it, so our four extractors
    combine into one score exactly as a single extractor for all four would.
    """
    best: Dict[str, dict] = {}
    for path in out.glob("*_report.json"):
        if path.name in ("intent_report.json", "response_selection_report.json"):
            continue
        report = json.loads(path.read_text())
        for label in ENTITY_LABELS:
            row = report.get(label)
            if row and (label not in best or row["f1-score"] > best[label]["f1-score"]):
                best[label] = row
    tp = fp = fn = 0.0
    weighted = support_sum = 0.0
    per_label = {}
    for label, row in best.items():
        support = float(row["support"])
        hits = row["recall"] * support
        tp += hits
        fn += support - hits
        fp += hits / row["precision"] - hits if row["precision"] else 0.0
        weighted += row["f1-score"] * support
        support_sum += support
        per_label[label] = round(row["f1-score"], 4)
    micro = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return {
        "weighted_f1": round(weighted / support_sum, 4) if support_sum else 0.0,
        "micro_f1": round(micro, 4),
        "per_label_f1": per_label,
    }


def rule_extractor_check(out_dir: Path) -> Dict[str, float]:
    """Exact (span, entity, value) agreement of the rule extractors with the annotations."""
    from rasa.shared.nlu.training_data.loading import load_data

    from nlu.interests import find_interests
    from nlu.places import find_places
    from nlu.postcodes import find_postcodes
    from nlu.times import find_times

    data = load_data(str(ROOT / "data" / "nlu"))
    expected: Set[Key] = set()
    found: Set[Key] = set()
    for example in data.nlu_examples:
        text = example.get("text")
        for e in example.get("entities") or []:
            expected.add((text, e["start"], e["end"], e["entity"], str(e.get("value"))))
        for finder in (find_postcodes, find_places, find_interests, find_times):
            for span in finder(text):
                found.add((text, span.start, span.end, span.entity, span.value))
    hits = len(expected & found)
    precision = hits / len(found) if found else 1.0
    recall = hits / len(expected) if expected else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    lines: List[str] = []
    for text, start, end, entity, value in sorted(expected - found):
        lines.append(f"MISSED   {entity:9} {text[start:end]!r} -> {value!r}   in {text!r}")
    for text, start, end, entity, value in sorted(found - expected):
        lines.append(f"EXTRA    {entity:9} {text[start:end]!r} -> {value!r}   in {text!r}")
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "rule_extractor_mismatches.txt").write_text("\n".join(lines) + "\n")
    return {
        "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
        "annotated": len(expected), "mismatches": len(lines),
    }


def write_summary(out_dir: Path, summary: dict) -> None:
    (out_dir / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    rows = ["| pipeline | intent macro-F1 | entity F1 (weighted) | entity F1 (micro) |", "|---|---|---|---|"]
    for name in ("doemee", "stock"):
        if name in summary:
            s = summary[name]
            rows.append(f"| {name} | {s['intent_macro_f1']:.4f} | {s['entity']['weighted_f1']:.4f} | {s['entity']['micro_f1']:.4f} |")
    rules = summary["rule_extractors"]
    text = "\n".join(
        ["# DoeMee NLU report", "", f"{summary['folds']}-fold cross-validation on data/nlu (folds seeded with {summary['seed']}, the same for both pipelines).", ""]
        + rows
        + ["", f"Rule extractors, exact span+entity+value on all {rules['annotated']} annotations: "
               f"precision {rules['precision']:.4f}, recall {rules['recall']:.4f}, F1 {rules['f1']:.4f}.",
           "", "Targets: intent macro-F1 >= 0.95, entity F1 >= 0.93, both above the stock pipeline.", ""]
    )
    (out_dir / "summary.md").write_text(text)
    print(text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026, help="seed for the folds (the same for both pipelines)")
    parser.add_argument("--out", type=Path, default=ROOT / "results" / "nlu-report")
    parser.add_argument("--rules-only", action="store_true", help="only check the rule extractors (fast)")
    parser.add_argument(
        "--only", choices=("doemee", "stock"), help="cross-validate one pipeline (for experiments; the report needs both)"
    )
    parser.add_argument("--config", type=Path, default=ROOT / "config.yml", help="our pipeline's config (experiments)")
    args = parser.parse_args()
    out_dir: Path = args.out
    out_dir.mkdir(parents=True, exist_ok=True)

    summary: dict = {"folds": args.folds, "seed": args.seed, "rule_extractors": rule_extractor_check(out_dir)}
    if not args.rules_only:
        stock_config = ROOT / "build" / "nlu-report" / "stock-config.yml"
        stock_config.parent.mkdir(parents=True, exist_ok=True)
        stock_config.write_text("# Rasa's default pipeline: no pipeline given, Rasa fills in its own.\nlanguage: nl\n")
        for name, config in (("doemee", args.config), ("stock", stock_config)):
            if args.only and name != args.only:
                continue
            run_dir = out_dir / name
            run_cross_validation(config, run_dir, args.folds, args.seed)
            summary[name] = {"intent_macro_f1": round(intent_macro_f1(run_dir), 4), "entity": entity_scores(run_dir)}
            matrix = run_dir / "intent_confusion_matrix.png"
            if matrix.exists():
                prefix = "" if name == "doemee" else "stock_"
                shutil.copy(matrix, out_dir / f"{prefix}intent_confusion_matrix.png")
    write_summary(out_dir, summary)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
