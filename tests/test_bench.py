"""bench/bench.py --against: the paired comparison with another revision runs and reports its ratios."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


pytestmark = pytest.mark.skipif(shutil.which("git") is None or not (ROOT / ".git").exists(),
                                reason="needs git and a git checkout (the revision is read with git archive)")


def test_against_a_revision_prints_a_ratio_per_style():
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "bench.py"), "--against", "HEAD", "--rounds", "1"],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    ratios = re.findall(r"style / HEAD's (\w+) style: median ([\d.]+)", out.stdout)
    assert [style for style, _ in ratios] == ["house", "default", "house"]
    assert all(float(r) > 0 for _, r in ratios)


def test_against_an_unknown_revision_is_one_line():
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "bench.py"), "--against", "no-such-revision"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode != 0
    assert out.stderr.strip().startswith("bench: git archive no-such-revision:")
    assert len(out.stderr.strip().splitlines()) == 1
