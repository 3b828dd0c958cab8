"""Golden reports: every example's JSON and Markdown report is committed under golden/ and must
match the engine's output byte for byte. Regenerate with ``scripts/update-golden`` and review the
diff like code: it is the engine's observable behaviour changing."""

from __future__ import annotations

import json

import pytest

from prodready import assess
from prodready.cli import example_names
from prodready.report import REPORT_FORMAT
from prodready_tools.golden import GOLDEN, example_document, golden_files

EXPECTED = golden_files()

# The verdict each example was written to illustrate (the guide's logic, stated independently of
# the golden files so that regenerating them cannot silently change a decision).
VERDICTS = {
    "churn-exploration": ("experimentation_acceptable", "minimal"),
    "control-room-stress-safety": ("production_required", "high-risk"),
    "credit-scoring": ("production_required", "high-risk"),
    # Research and development: the guide's side stays experimental (decision framework,
    # regulatory scope); the legal side still names the Annex III use.
    # Research and development before it is put into service is outside the Act (Art. 2(8)).
    "cv-ranking-research": ("experimentation_acceptable", "out-of-scope"),
    "cv-screening": ("production_required", "high-risk"),
    "demand-forecast": ("production_required", "minimal"),
    "fraud-detection": ("production_required", "minimal"),
    "funding-demo": ("exception_applies", "minimal"),
    "hr-scheduling-derogation": ("experimentation_acceptable", "minimal"),
    "internal-analytics": ("exception_applies", "minimal"),
    "llm-claims-decisions": ("production_required", "transparency"),
    "llm-internal-knowledge": ("production_required", "transparency"),
    "llm-purchasing-agent": ("production_required", "minimal"),
    "llm-support-assistant": ("production_required", "transparency"),
    "pricing-handover": ("production_required", "minimal"),
    "recommendations-scale": ("production_required", "minimal"),
    "shadow-rollout": ("production_required", "minimal"),
    "support-chatbot": ("production_required", "transparency"),
    "time-boxed-experiment": ("exception_applies", "minimal"),
    "workplace-emotion": ("must_not_deploy", "prohibited"),
}


def test_golden_directory_matches_the_examples() -> None:
    committed = sorted(p.name for p in GOLDEN.iterdir())
    assert committed == sorted(EXPECTED), "run scripts/update-golden"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_golden_file(name: str) -> None:
    path = GOLDEN / name
    assert path.exists(), f"{name} missing: run scripts/update-golden"
    assert path.read_bytes() == EXPECTED[name], f"{name} differs: run scripts/update-golden"


@pytest.mark.parametrize("name", example_names())
def test_golden_json_is_the_report(name: str) -> None:
    data = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    assert data["format"] == REPORT_FORMAT
    report = assess(example_document(name))  # type: ignore[arg-type]
    assert data == json.loads(report.to_json())
    # The report echoes the answers in canonical form: assessing them again gives the same bytes.
    assert assess(data["answers"]).to_json() == report.to_json()


@pytest.mark.parametrize("name", example_names())
def test_example_verdict_and_tier(name: str) -> None:
    want = VERDICTS.get(name)
    assert want is not None, f"add the intended verdict of example {name!r} to VERDICTS"
    report = assess(example_document(name))  # type: ignore[arg-type]
    assert (report.verdict.id, report.eu_ai_act.tier) == want
