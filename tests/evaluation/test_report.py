"""Rendering reports as tables and JSON."""

from __future__ import annotations

import json

from govsocial.evaluation.metrics import label_scores, span_scores
from govsocial.evaluation.report import Report, render_human, render_json
from govsocial.evaluation.tasks import FlagScores, SystemResult, get_task


def _label_report() -> Report:
    scores = label_scores(["abusive", "ok", "abusive"], ["abusive", "ok", "ok"], positive="abusive")
    own = SystemResult(
        name="govsocial fast",
        overall=scores,
        by_source={"gen": scores},
        items_per_second=12345.6,
        items_per_second_by_source={"gen": 12345.6},
        load_seconds=0.25,
        peak_rss_mib=120.4,
    )
    missing = SystemResult(name="alt-profanity-check", error="not installed")
    return Report(
        task=get_task("abuse"), data="x.jsonl", split="test", items=3, sources={"gen": 3}, systems=[own, missing]
    )


def test_human_report_has_a_row_per_source_and_overall_with_the_figures() -> None:
    text = render_human(_label_report())
    lines = text.splitlines()
    header = next(line for line in lines if line.startswith("source"))
    assert header.split() == ["source", "system", "n", "P", "R", "F1", "macro-F1", "macro-R", "items/s"]
    gen_row = next(line for line in lines if line.startswith("gen "))
    assert gen_row.split()[2:] == ["fast", "3", "1.000", "0.500", "0.667", "0.667", "0.750", "12,346"]
    assert any(line.startswith("overall ") for line in lines)
    assert "positive class 'abusive'" in text
    assert "alt-profanity-check: not run: not installed" in text
    assert "ru_maxrss" in text
    assert "peak memory 120 MiB" in text


def test_undefined_figures_render_as_a_dash_and_null() -> None:
    scores = label_scores(["ok"], ["ok"], positive="abusive")
    report = Report(
        task=get_task("abuse"),
        data="x",
        split="all",
        items=1,
        sources={"gen": 1},
        systems=[SystemResult(name="g", overall=scores, by_source={"gen": scores})],
    )
    row = next(line for line in render_human(report).splitlines() if line.startswith("gen "))
    assert row.split()[3:6] == ["–", "–", "–"]
    doc = json.loads(render_json(report))
    assert doc["systems"][0]["overall"]["precision"] is None
    assert doc["systems"][0]["overall"]["per_label"]["ok"]["f1"] == 1.0


def test_json_report_carries_task_split_sources_and_systems() -> None:
    doc = json.loads(render_json(_label_report()))
    assert doc["task"] == "abuse"
    assert doc["split"] == "test"
    assert doc["positive"] == "abusive"
    assert doc["sources"] == {"gen": 3}
    own, missing = doc["systems"]
    assert own["overall"]["recall"] == 0.5
    assert own["by_source"]["gen"]["n"] == 3
    assert missing["error"] == "not installed"
    assert missing["overall"] is None


def test_span_report_shows_f2_and_a_by_type_table() -> None:
    scores = span_scores([[(0, 4, "PERSON")]], [[(0, 4, "PERSON")]])
    person = span_scores([[(0, 4, "PERSON")]], [[(0, 4, "PERSON")]], types=frozenset({"PERSON"}))
    report = Report(
        task=get_task("pii"),
        data="x",
        split="all",
        items=1,
        sources={"synth": 1},
        systems=[
            SystemResult(name="govsocial", overall=scores, by_source={"synth": scores}, by_type={"PERSON": person})
        ],
        notes=["only the personal types are scored"],
    )
    text = render_human(report)
    assert "F2" in text
    assert "IoU >= 0.5" in text
    assert "by type (all sources):" in text
    assert any(line.startswith("PERSON ") for line in text.splitlines())
    assert "note: only the personal types are scored" in text
    doc = json.loads(render_json(report))
    assert doc["iou_threshold"] == 0.5
    assert doc["systems"][0]["by_type"]["PERSON"]["f2"] == 1.0


def test_flag_report_shows_flag_rate_and_codes() -> None:
    flags = FlagScores(n=200, flagged=3, flag_rate=0.015, codes={"PRIV101": 2, "POL201": 1})
    report = Report(
        task=get_task("official_posts"),
        data="x",
        split="all",
        items=200,
        sources={"gov": 200},
        systems=[SystemResult(name="govsocial", overall=flags, by_source={"gov": flags})],
    )
    text = render_human(report)
    row = next(line for line in text.splitlines() if line.startswith("gov "))
    assert row.split()[2:5] == ["200", "3", "1.50"]
    assert "PRIV101 2, POL201 1" in text
    assert json.loads(render_json(report))["systems"][0]["overall"]["flag_rate"] == 0.015
