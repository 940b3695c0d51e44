"""``pagesetter serve``: the routes, updates after edits, errors and recovery (no browser)."""

import base64
import io
import json
import socket
import threading
import time
from pathlib import Path

import httpx
import pytest
from PIL import Image
from click.testing import CliRunner
from starlette.testclient import TestClient

from pagesetter.app.cli import main
from pagesetter.app.pipeline import render_layout
from pagesetter.app.serve import Previewer, create_app
from tests.helpers import demo_project

ROOT = Path(__file__).resolve().parents[2]
LOCAL = ["127.0.0.1", "localhost"]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("project")
    layout = demo_project(folder)
    previewer = Previewer(layout, folder / "output", dpi=40)
    app = create_app(previewer, watch=False, allowed_hosts=LOCAL)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        yield client, previewer, folder
    previewer.close()



@pytest.fixture
def previewer(tmp_path):
    """A previewer of a copy of the demo project, its page rendered once."""
    previewer = Previewer(demo_project(tmp_path), tmp_path / "output", dpi=40)
    previewer.render_if_changed()
    yield previewer
    previewer.close()


def edit_an_article(folder: Path) -> Path:
    """A one-character edit of the 汨罗 story (a comma doubled)."""
    article = folder / "articles" / "10-miluo.md"
    article.write_text(article.read_text(encoding="utf-8").replace("近日，", "近日，，", 1), encoding="utf-8")
    return article

def test_page_and_assets(served):
    client, _, _ = served
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert '<script src="/app.js">' in page.text
    assert client.get("/app.js").headers["content-type"].startswith("text/javascript")
    assert "EventSource" in client.get("/app.js").text
    assert client.get("/app.css").headers["content-type"].startswith("text/css")


def test_state_describes_pages_and_stories(served):
    client, _, _ = served
    state = client.get("/api/state").json()
    assert state["status"] == "clean" and state["error"] is None
    assert state["render_ms"] > 0
    (page,) = state["pages"]
    assert page["layout"].endswith("page3.yaml") and page["pdf"] == "/pdf/0"
    assert {f["id"] for f in page["frames"]} >= {"feature", "miluo", "loudi-1", "loudi-2"}
    assert page["threads"] == [{"story": "06-loudi-trading-center", "frames": ["loudi-1", "loudi-2"]}]
    stories = {s["id"]: s for s in state["stories"]}
    assert len(stories) == 11
    miluo = stories["10-miluo"]
    assert miluo["article"].endswith("articles/10-miluo.md")
    assert miluo["frames"] == ["miluo"]
    assert miluo["lines_available"] == 27  # one column of 27 grid lines
    assert miluo["lines_used"] + miluo["empty_lines"] == miluo["lines_available"]
    assert miluo["overset_chars"] == 0 and miluo["status"] in {"fits", "short"}
    loudi = stories["06-loudi-trading-center"]
    assert loudi["lines_available"] == 59 + 30  # two frames threaded
    for s in stories.values():
        assert s["status"] == ("short" if s["empty_lines"] >= 2 else "fits")


def test_page_image_is_the_trim_of_the_pdf(served):
    client, previewer, _ = served
    state = client.get("/api/state").json()
    response = client.get(state["pages"][0]["image"])
    assert response.status_code == 200 and response.headers["content-type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert list(image.size) == state["pages"][0]["size_px"]
    width_pt = state["pages"][0]["width"]
    assert abs(image.size[0] - width_pt * 40 / 72) <= 1
    assert client.get("/page/1.png").status_code == 404


def test_download_is_the_pdf_render_writes(served, tmp_path):
    client, _, folder = served
    response = client.get("/pdf/0")
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert 'filename="page3.pdf"' in response.headers["content-disposition"]
    assert response.content == (folder / "output" / "page3.pdf").read_bytes()
    out = tmp_path / "page3.pdf"  # same name: the slug line names the file
    render_layout(folder / "layouts" / "page3.yaml", out)
    assert response.content == out.read_bytes()


def test_nothing_but_its_own_routes(served):
    client, _, _ = served
    for path in ("/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/static/app.js", "/app.py", "/serve.py",
                 "/layouts/page3.yaml", "/articles/10-miluo.md", "/output/page3.pdf", "/page/x.png",
                 "/page/0/patch/1/0.png", "/pdf/1"):
        assert client.get(path).status_code in (404, 409), path
    assert client.post("/api/state").status_code == 405
    assert client.get("/", headers={"host": "evil.example"}).status_code == 400


def _same_as_whole_raster(previewer):
    """The patched image shows what rasterising the whole page again shows: the same pixels but for
    pdfium's anti-aliasing of a few glyph edges (a cropped render is not always bit-identical)."""
    from PIL import ImageChops

    patched = previewer.pages[0].image.copy()
    previewer.pages[0].composed = None  # forget the last page: the next render draws it whole
    previewer.render()
    diff = ImageChops.difference(patched.convert("L"), previewer.pages[0].image.convert("L"))
    histogram = diff.histogram()
    assert sum(histogram[1:]) <= patched.width * patched.height // 2000, sum(histogram[1:])
    assert sum(histogram[64:]) == 0


def test_edit_sends_patches_then_error_keeps_pages_then_recovers(tmp_path):
    layout = demo_project(tmp_path)
    out = tmp_path / "output"
    previewer = Previewer(layout, out, dpi=40)
    try:
        first = previewer.render_if_changed()
        assert first["status"] == "clean" and first["pages"][0]["update"] == {"full": True}
        assert previewer.render_if_changed() is None  # nothing saved: nothing rendered

        article = tmp_path / "articles" / "10-miluo.md"
        text = article.read_text(encoding="utf-8")
        article.write_text(text.replace("近日，", "近日，，", 1), encoding="utf-8")
        edited = previewer.render_if_changed()
        assert edited["version"] == 2
        update = edited["pages"][0]["update"]
        assert update["base"] == 1 and update["patches"], update
        frame = next(f for f in edited["pages"][0]["frames"] if f["id"] == "miluo")
        scale = 40 / 72
        for patch in update["patches"]:  # only around the edited story's frame
            assert patch["x"] >= (frame["x"] - 20) * scale and patch["x"] + patch["w"] <= (frame["x"] + frame["w"] + 20) * scale
            assert patch["y"] >= (frame["y"] - 20) * scale
        data = previewer.patch_png(0, 2, 0)
        assert Image.open(io.BytesIO(data)).size == (update["patches"][0]["w"], update["patches"][0]["h"])
        inline = update["patches"][0]["data"]  # a small patch rides in the event itself
        assert inline.startswith("data:image/png;base64,") and base64.b64decode(inline.split(",", 1)[1]) == data
        _same_as_whole_raster(previewer)

        # a reflow over two columns, beside a vertical headline: still exactly the whole raster
        daoxian = tmp_path / "articles" / "07-daoxian.md"
        copy = daoxian.read_text(encoding="utf-8")
        daoxian.write_text(copy.replace("\n\n", "\n\n新增一段“ABC 2021”测试文字。\n\n", 1),
                           encoding="utf-8")
        reflowed = previewer.render_if_changed()
        assert reflowed["pages"][0]["update"]["patches"]
        _same_as_whole_raster(previewer)
        daoxian.write_text(copy, encoding="utf-8")

        good = layout.read_text(encoding="utf-8")
        layout.write_text(good.replace("columns: 8", "columns: eight"), encoding="utf-8")
        broken = previewer.render_if_changed()
        assert broken["status"] == "error" and broken["stale"]
        assert broken['error']['text'].startswith('error: ') and broken['error']['file'] in broken['error']['text']
        assert "page3.yaml:" in broken["error"]["text"] and "columns" in broken["error"]["text"]
        assert broken["pages"] and broken["pages"][0]["pdf"] is None  # last good pages, no download
        assert previewer.pdf(0) is None

        layout.write_text(good, encoding="utf-8")
        fixed = previewer.render_if_changed()
        assert fixed["status"] == "clean" and fixed["error"] is None and fixed["pages"][0]["pdf"] == "/pdf/0"
    finally:
        previewer.close()


def test_broken_article_marks_its_story(tmp_path):
    layout = demo_project(tmp_path)
    previewer = Previewer(layout, tmp_path / "output", dpi=20)
    try:
        previewer.render_if_changed()
        article = tmp_path / "articles" / "04-jiangyong.md"
        article.write_bytes(b"\xff\xfe\x00bad")
        state = previewer.render_if_changed()
        assert state["status"] == "error"
        assert "04-jiangyong.md" in state["error"]["text"]
        marked = {s["id"]: s["status"] for s in state["stories"]}
        assert marked["04-jiangyong"] == "error"
    finally:
        previewer.close()


def test_overset_page_has_no_print_pdf(tmp_path):
    layout = demo_project(tmp_path)
    text = layout.read_text(encoding="utf-8")
    layout.write_text(text.replace("miluo:        {x: 94.7字, measure: 13.9字, line: 79, lines: 27}",
                                   "miluo:        {x: 94.7字, measure: 13.9字, line: 79, lines: 15}"), encoding="utf-8")
    previewer = Previewer(layout, tmp_path / "output", dpi=20)
    try:
        state = previewer.render_if_changed()
        assert state["status"] == "overset"
        miluo = next(s for s in state["stories"] if s["id"] == "10-miluo")
        assert miluo["status"] == "overset" and miluo["overset_chars"] > 0 and miluo["overset_text"]
        assert state["pages"][0]["pdf"] is None and state["pages"][0]["image"]
        assert not (tmp_path / "output").exists()  # nothing written outside the cache
    finally:
        previewer.close()


def test_edition_shows_every_page(tmp_path):
    demo_project(tmp_path)
    edition = tmp_path / "layouts" / "edition.yaml"
    edition.write_text("edition: {date: 2021-12-03}\npages:\n  - page3.yaml\n"
                       "  - {layout: page3.yaml, page: 4, output: page4.pdf}\n", encoding="utf-8")
    previewer = Previewer(edition, tmp_path / "output", dpi=20)
    try:
        state = previewer.render_if_changed()
        assert state["status"] == "clean"
        assert [p["pdf_name"] for p in state["pages"]] == ["page3.pdf", "page4.pdf"]
        assert [p["running_page"] for p in state["pages"]] == ["1", "4"]
        assert {s["page"] for s in state["stories"]} == {0, 1}
        assert (tmp_path / "output" / "page4.pdf").is_file()
    finally:
        previewer.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_every_browser_gets_each_update(tmp_path):
    """Over a real socket: two event streams, one save, both are told."""
    import uvicorn

    layout = demo_project(tmp_path)
    previewer = Previewer(layout, tmp_path / "output", dpi=20)
    app = create_app(previewer, interval=0.05, allowed_hosts=LOCAL)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           timeout_graceful_shutdown=1))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 60
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        assert server.started
        seen: list[list[int]] = [[], []]

        def listen(n):
            with httpx.stream("GET", f"http://127.0.0.1:{port}/events", timeout=60) as response:
                for line in response.iter_lines():
                    if line.startswith("data: "):
                        seen[n].append(json.loads(line[6:])["version"])
                        if len(seen[n]) == 2:
                            return

        listeners = [threading.Thread(target=listen, args=(n,), daemon=True) for n in (0, 1)]
        for t in listeners:
            t.start()
        while (not seen[0] or not seen[1]) and time.monotonic() < deadline:
            time.sleep(0.05)
        article = tmp_path / "articles" / "05-xintian.md"
        article.write_text(article.read_text(encoding="utf-8") + "\n补一句。\n", encoding="utf-8")
        for t in listeners:
            t.join(timeout=60)
        assert seen == [[1, 2], [1, 2]]
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        previewer.close()


def test_edition_edit_redraws_only_its_page(tmp_path):
    layout = demo_project(tmp_path)
    other = tmp_path / "articles" / "10-miluo-b.md"
    other.write_text((tmp_path / "articles" / "10-miluo.md").read_text(encoding="utf-8"), encoding="utf-8")
    page4 = tmp_path / "layouts" / "page4.yaml"
    page4.write_text(layout.read_text(encoding="utf-8").replace("10-miluo.md", "10-miluo-b.md")
                     .replace("name: page3", "name: page4"), encoding="utf-8")
    edition = tmp_path / "layouts" / "edition.yaml"
    edition.write_text("pages:\n  - page3.yaml\n  - {layout: page4.yaml, page: 4}\n", encoding="utf-8")
    previewer = Previewer(edition, tmp_path / "output", dpi=20)
    try:
        previewer.render_if_changed()
        first = (previewer.cache_dir / "page3.pdf").stat().st_mtime_ns
        other.write_text(other.read_text(encoding="utf-8").replace("近日，", "近日，，", 1), encoding="utf-8")
        state = previewer.render_if_changed()
        assert state["pages"][0]["update"] == {"same": True}
        assert state["pages"][1]["update"]["patches"]
        assert (previewer.cache_dir / "page3.pdf").stat().st_mtime_ns == first  # not written again
        assert [p["pdf"] for p in state["pages"]] == ["/pdf/0", "/pdf/1"]
    finally:
        previewer.close()


def test_starts_broken_then_recovers(tmp_path):
    layout = demo_project(tmp_path)
    good = layout.read_text(encoding="utf-8")
    layout.write_text(good.replace("stories:", "stories:\n  - {frames: [nowhere]}", 1), encoding="utf-8")
    previewer = Previewer(layout, tmp_path / "output", dpi=20)
    try:
        state = previewer.render_if_changed()
        assert state["status"] == "error" and state["pages"] == [] and not state["stale"]
        assert state["error"]["file"].endswith("page3.yaml") and state["error"]["line"]
        assert not (tmp_path / "output").exists()
        layout.write_text(good, encoding="utf-8")
        state = previewer.render_if_changed()
        assert state["status"] == "clean" and len(state["pages"]) == 1
    finally:
        previewer.close()


def test_taken_port_is_one_line_and_exit_2(tmp_path):
    from click.testing import CliRunner

    from pagesetter.app.cli import main

    layout = demo_project(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", str(layout), "--port", str(port)])
    assert result.exit_code == 2
    assert result.output.strip() == f"error: --port: cannot listen on 127.0.0.1:{port}: Address already in use"


def test_edition_jump_is_set_on_its_continuation_page_as_render_sets_it(tmp_path):
    """转版 in serve: the receiving page is the very PDF ``render`` writes for the edition, and an
    edit to the jumped article redraws the receiving page."""
    from tests.app.test_jumps import _pdf_text

    demo_project(tmp_path)
    edition = tmp_path / "layouts" / "edition.yaml"
    result = CliRunner().invoke(main, ["render", str(edition), "-o", str(tmp_path / "printed")])
    assert result.exit_code == 0, result.output
    previewer = Previewer(edition, tmp_path / "output", dpi=20)
    try:
        state = previewer.render_if_changed()
        assert state["status"] == "clean", state["error"]
        assert [p["pdf_name"] for p in state["pages"]] == ["front.pdf", "page4.pdf"]
        for name in ("front.pdf", "page4.pdf"):
            assert (tmp_path / "output" / name).read_bytes() == (tmp_path / "printed" / name).read_bytes(), name
        assert "（上接第1版）" in _pdf_text(tmp_path / "output" / "page4.pdf")
        stories = {(s["page"], s["id"]): s for s in state["stories"]}
        assert not any("render the edition" in w for s in stories.values() for w in s["warnings"])
        jumped = stories[(1, "01-louxing-feature")]  # the side panel of the receiving page
        assert jumped["frames"] == ["jump"] and jumped["continued_from"] == 1 and jumped["lines_used"] > 0
        assert stories[(0, "01-louxing-feature")]["continues_on"] == 4
        assert {f["id"]: f["story"] for f in state["pages"][1]["frames"]}["jump"] == "01-louxing-feature"

        article = tmp_path / "articles" / "01-louxing-feature.md"
        text = article.read_text(encoding="utf-8").rstrip("\n")
        article.write_text(text + "转版续完。\n", encoding="utf-8")  # the end of the story: on 第4版
        state = previewer.render_if_changed()
        assert state["status"] == "clean", state["error"]
        assert state["pages"][0]["update"] == {"same": True}
        assert state["pages"][1]["update"] != {"same": True}
        assert "转版续完" in _pdf_text(tmp_path / "output" / "page4.pdf")
        assert "转版续完" not in _pdf_text(tmp_path / "output" / "front.pdf")
    finally:
        previewer.close()


def test_an_edit_shows_its_proof_first_then_the_print_confirms_it(previewer, tmp_path):
    """The changed region goes out drawn from a PDF of just what it holds; the print PDF that
    follows has the very same pixels there, so its event changes no image."""
    edit_an_article(tmp_path)
    proofs = []
    final = previewer.render_if_changed(early=proofs.append)
    (proof,) = proofs
    assert proof["proof"] and not final["proof"] and proof["version"] < final["version"]
    assert proof["pages"][0]["update"]["patches"] and proof["pages"][0]["pdf"] is None  # no stale download
    assert proof["stories"] == final["stories"]  # the new figures come with the proof
    assert final["pages"][0]["update"] == {"same": True} and final["pages"][0]["pdf"] == "/pdf/0"
    assert final["pages"][0]["version"] == proof["pages"][0]["version"]
    printed = tmp_path / "page3.pdf"
    render_layout(tmp_path / "layouts" / "page3.yaml", printed)
    assert (tmp_path / "output" / "page3.pdf").read_bytes() == printed.read_bytes()
    _same_as_whole_raster(previewer)


def test_a_print_that_fails_after_its_proof_puts_the_last_good_pixels_back(previewer, tmp_path, monkeypatch):
    import pagesetter.render.pdf as pdf
    from pagesetter.errors import PagesetterError

    good = previewer.pages[0].image.copy()
    write = pdf.write_pdf

    def print_fails(pages, out, **kw):
        if ".proof" not in Path(out).parts:
            raise PagesetterError("the press check failed", file=str(out))
        return write(pages, out, **kw)

    monkeypatch.setattr(pdf, "write_pdf", print_fails)
    article = edit_an_article(tmp_path)
    proofs = []
    state = previewer.render_if_changed(early=proofs.append)
    assert proofs and state["status"] == "error" and "press check" in state["error"]["text"]
    assert state["pages"][0]["update"]["base"] == proofs[0]["pages"][0]["version"]  # patched back over it
    assert previewer.pages[0].image.tobytes() == good.tobytes()
    monkeypatch.setattr(pdf, "write_pdf", write)
    article.write_text(article.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    state = previewer.render_if_changed(early=proofs.append)
    assert state["status"] == "clean" and state["pages"][0]["update"] == {"full": True}


def test_pixels_the_print_draws_otherwise_than_the_proof_are_patched(previewer, tmp_path, monkeypatch):
    import dataclasses

    import pagesetter.app.serve as serve

    # a proof that leaves out the text: the print must put it back
    monkeypatch.setattr(serve, "proof_page", lambda page, regions: dataclasses.replace(page, lines=[]))
    edit_an_article(tmp_path)
    proofs = []
    final = previewer.render_if_changed(early=proofs.append)
    update = final["pages"][0]["update"]
    assert update["base"] == proofs[0]["pages"][0]["version"] and update["patches"]
    _same_as_whole_raster(previewer)


def test_the_story_cache_holds_only_the_last_texts(tmp_path):
    layout = demo_project(tmp_path)
    previewer = Previewer(layout, tmp_path / "output", dpi=20)
    try:
        previewer.render_if_changed()
        (cache,) = previewer.caches.values()
        stories = len(cache._stories)
        assert stories == 11
        article = tmp_path / "articles" / "10-miluo.md"
        text = article.read_text(encoding="utf-8")
        for mark in "甲乙丙":
            article.write_text(text.replace("近日，", f"近日{mark}，", 1), encoding="utf-8")
            assert previewer.render_if_changed()["status"] == "clean"
        assert len(cache._stories) == stories
    finally:
        previewer.close()
