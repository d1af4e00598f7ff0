"""The plan corpus (tests/plan_corpus): plans written in the styles real committees use, each
with the draft a careful reader would make of it. One score over every field of every plan."""

from __future__ import annotations

import json
from pathlib import Path

from services.plan_import import extract_plan, read_plan_file
from tests.plan_corpus.score import score

CORPUS = Path(__file__).resolve().parent / "plan_corpus"
TARGET = 0.95


def corpus_plans() -> list[Path]:
    return sorted(p for p in CORPUS.iterdir() if p.suffix in {".md", ".txt"})


def test_the_corpus_is_large_enough() -> None:
    plans = corpus_plans()
    assert len(plans) >= 16
    for plan in plans:
        assert plan.with_suffix(".expected.json").is_file(), plan.name


def test_corpus_score() -> None:
    right = total = 0
    report: list[str] = []
    for plan in corpus_plans():
        expected = json.loads(plan.with_suffix(".expected.json").read_text(encoding="utf-8"))
        got = extract_plan(read_plan_file(plan)).to_json()
        plan_right, plan_total, wrong = score(expected, got)
        right, total = right + plan_right, total + plan_total
        report.append(f"{plan.name}: {plan_right}/{plan_total}")
        report.extend(f"    {line}" for line in wrong)
    share = right / total
    print("\n".join(report))
    print(
        f"plan corpus: {right}/{total} fields right ({share:.1%}) over {len(corpus_plans())} plans"
    )
    assert share >= TARGET, "\n".join(report)
