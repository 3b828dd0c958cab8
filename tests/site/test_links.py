"""Every internal link and anchor of the built site resolves (LinkChecker over HTTP)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from prodready_tools.site import venv_tool

pytestmark = pytest.mark.site

# LinkChecker enables a plugin when its section is present; AnchorCheck checks `#fragment` targets.
LINKCHECKER_CONFIG = """\
[checking]
threads=4
# Above 10/s LinkChecker requires a "LinkChecker" response header, which the test server sends.
maxrequestspersecond=100
timeout=30

[filtering]
checkextern=0

[AnchorCheck]
"""


def test_internal_links_and_anchors_resolve(site_server: str, tmp_path: Path) -> None:
    config = tmp_path / "linkcheckerrc"
    config.write_text(LINKCHECKER_CONFIG, encoding="utf-8")
    proc = subprocess.run(
        [str(venv_tool("linkchecker")), "--config", str(config), "--no-status", site_server],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=tmp_path,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8"},
    )
    report = proc.stdout + proc.stderr
    assert proc.returncode == 0, f"linkchecker exited {proc.returncode}:\n{report}"
    assert "0 errors found" in report or "no errors" in report.lower(), report
