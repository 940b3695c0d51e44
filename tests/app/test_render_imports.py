"""`render` of a one-page layout imports only what it needs: no PDF reader, no process pool, no previews."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

DENIED = ["pypdf", "pypdfium2", "concurrent.futures.process", "multiprocessing", "xml.sax", "urllib.request",
          "jsonschema", "pagesetter.app.preview", "pagesetter.print.preflight",
          # only for a page with tables, or with raster pictures; the cache's tables are not JSON
          "pagesetter.source.tabular", "PIL.ImageMath", "json",
          # a page layout is not an edition
          "pagesetter.app.edition"]

PROGRAM = """
import sys
sys.argv = ["pagesetter", *sys.argv[1:]]
from pagesetter.app.cli import main
try:
    main()
except SystemExit as exc:
    code = exc.code
modules = sorted(sys.modules)
import json
print(json.dumps({"code": code, "modules": modules}))
"""


def test_render_path_imports_nothing_on_the_deny_list(tmp_path):
    run = subprocess.run([sys.executable, "-c", PROGRAM, "render", str(ROOT / "layouts" / "page3.yaml"), "-o",
                          str(tmp_path / "p.pdf")],
                         capture_output=True, text=True, cwd=ROOT)
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["code"] in (0, None), run.stderr
    imported = [m for m in DENIED if m in result["modules"]]
    assert not imported, f"render imported {imported}"


# Reading an SVG figure needs lxml, drawing it svglib (and logging, csv): an unchanged page has both in the
# cache; its layout, house style, font list and articles are parsed already (no PyYAML, no Markdown parser
# and its html entities).
DENIED_WHEN_CACHED = ["lxml", "svglib", "logging", "csv", "yaml", "pagesetter.source.yamlparser", "markdown_it",
                      "html"]


def test_rendering_an_unchanged_page_again_parses_no_figure(tmp_path):
    env = dict(os.environ, PAGESETTER_CACHE_DIR=str(tmp_path / "cache"))
    results, pdfs = [], []
    for n in range(2):
        run = subprocess.run([sys.executable, "-c", PROGRAM, "render", str(ROOT / "layouts" / "page3.yaml"), "-o",
                              str(tmp_path / "p.pdf")], capture_output=True, text=True, cwd=ROOT, env=env)
        results.append(json.loads(run.stdout.strip().splitlines()[-1]))
        assert results[-1]["code"] in (0, None), run.stderr
        pdfs.append((tmp_path / "p.pdf").read_bytes())
    assert "lxml" in results[0]["modules"]  # the first render did read the figures
    imported = [m for m in DENIED_WHEN_CACHED if m in results[1]["modules"]]
    assert not imported, f"the second render imported {imported}"
    assert pdfs[0] == pdfs[1]



# A galley sets plain columns: it needs neither the page flow (frames, furniture, pictures), nor the
# layout loader and what a layout places (no layout file), nor editions.
GALLEY_DENIED = DENIED + ["pagesetter.page.flow", "pagesetter.page.furniture", "pagesetter.layout.loader",
                          "pagesetter.layout.content", "pagesetter.source.pictures", "pagesetter.app.edition", "csv"]
# once its article and fonts.yaml are in the cache: no Markdown or YAML parser (nor the logging they import)
GALLEY_DENIED_WHEN_CACHED = ["markdown_it", "html", "yaml", "pagesetter.source.yamlparser", "logging"]


def test_galley_imports_no_page_flow_and_no_layout_loader_and_no_yaml_once_cached(tmp_path):
    env = dict(os.environ, PAGESETTER_CACHE_DIR=str(tmp_path / "cache"))
    results = []
    for n in range(2):
        run = subprocess.run([sys.executable, "-c", PROGRAM, "galley", str(ROOT / "articles" / "05-xintian.md"), "-o",
                              str(tmp_path / "g.pdf"), "--measure", "17em"], capture_output=True, text=True, cwd=ROOT,
                             env=env)
        results.append(json.loads(run.stdout.strip().splitlines()[-1]))
        assert results[-1]["code"] in (0, None), run.stderr
        imported = [m for m in GALLEY_DENIED if m in results[-1]["modules"]]
        assert not imported, f"galley imported {imported}"
    assert "yaml" in results[0]["modules"]  # the first run did parse fonts.yaml
    imported = [m for m in GALLEY_DENIED_WHEN_CACHED if m in results[1]["modules"]]
    assert not imported, f"the second galley imported {imported}"
