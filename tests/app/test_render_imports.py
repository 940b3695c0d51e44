"""`render` of a one-page layout imports only what it needs: no PDF reader, no process pool, no previews."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

DENIED = ["pypdf", "pypdfium2", "concurrent.futures.process", "multiprocessing", "xml.sax", "urllib.request",
          "jsonschema", "pagesetter.app.preview", "pagesetter.print.preflight"]

PROGRAM = """
import json, sys
sys.argv = ["pagesetter", "render", sys.argv[1], "-o", sys.argv[2]]
from pagesetter.app.cli import main
try:
    main()
except SystemExit as exc:
    code = exc.code
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def test_render_path_imports_nothing_on_the_deny_list(tmp_path):
    run = subprocess.run([sys.executable, "-c", PROGRAM, str(ROOT / "layouts" / "page3.yaml"), str(tmp_path / "p.pdf")],
                         capture_output=True, text=True, cwd=ROOT)
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["code"] in (0, None), run.stderr
    imported = [m for m in DENIED if m in result["modules"]]
    assert not imported, f"render imported {imported}"
