"""The golden reports: for every packaged example, its JSON report and its Markdown report.

``scripts/update-golden`` runs this module (``python -m prodready_tools.golden``) to rewrite
``tests/engine/golden/``; ``tests/engine/test_golden.py`` imports it and compares the committed
files byte for byte with what the engine produces now. A change to a golden file is a change to
the engine's observable behaviour: review the diff like code.
"""

from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path

from prodready import assess
from prodready.cli import example_names
from prodready.render import to_markdown

GOLDEN = Path(__file__).resolve().parents[2] / "tests" / "engine" / "golden"


def example_document(name: str) -> object:
    text = (resources.files("prodready") / "examples" / f"{name}.json").read_text(encoding="utf-8")
    return json.loads(text)


def golden_files() -> dict[str, bytes]:
    """File name -> expected bytes, for every example."""
    out: dict[str, bytes] = {}
    for name in example_names():
        document = example_document(name)
        assert isinstance(document, dict)
        report = assess(document)
        out[f"{name}.json"] = report.to_json().encode("utf-8")
        out[f"{name}.md"] = to_markdown(report).encode("utf-8")
    return out


def main() -> int:
    GOLDEN.mkdir(exist_ok=True)
    want = golden_files()
    changed = 0
    for stale in sorted(p for p in GOLDEN.iterdir() if p.name not in want):
        stale.unlink()
        print(f"removed {stale.name}")
        changed += 1
    for name, data in want.items():
        path = GOLDEN / name
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
            print(f"wrote {name}")
            changed += 1
    if changed:
        print(f"{changed} golden file(s) changed: review the diff before committing.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
