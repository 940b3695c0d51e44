"""News photos: cover/contain, a focus point, the house credit line, the caption in 楷体."""

import textwrap
from pathlib import Path

import pytest
from PIL import Image

from pagesetter.errors import PagesetterError
from pagesetter.layout.loader import load_layout
from pagesetter.page.flow import compose_page
from pagesetter.source.pictures import place

ROOT = Path(__file__).resolve().parents[2]


def test_focus_point_moves_the_cut():
    # a 2000 × 1000 picture covering a square frame: half the width is cut off
    centred = place((2000, 1000), 0, 0, 100, 100, "fill", (0, 0, 0, 0))
    assert centred.crop == (500, 0, 1500, 1000)
    right = place((2000, 1000), 0, 0, 100, 100, "fill", (0, 0, 0, 0), (0.6, 0.5))
    assert right.crop == (700, 0, 1700, 1000)  # the point at 1200 px is in the middle
    edge = place((2000, 1000), 0, 0, 100, 100, "fill", (0, 0, 0, 0), (1.0, 0.5))
    assert edge.crop == (1000, 0, 2000, 1000)  # never past the picture's edge
    contain = place((2000, 1000), 0, 0, 100, 100, "fit", (0, 0, 0, 0), (1.0, 0.5))
    assert contain.crop == (0, 0, 2000, 1000) and contain.height == pytest.approx(50)


def layout(tmp_path: Path, image: str, top: str = "") -> Path:
    Image.new("RGB", (1200, 800), (90, 120, 60)).save(tmp_path / "p.jpg")
    path = tmp_path / "t.yaml"
    path.write_text(textwrap.dedent(f"""\
        name: t
        page: {{size: 四开, margins: 15mm}}
        grid: {{columns: 6, body: {{font: 书宋, size: 小五, leading: 13pt}}}}
        {top}
        images:
          - {{file: p.jpg, column: 1, span: 3, line: 1, lines: 20, caption: 乡村振兴一景, {image}}}
        """), encoding="utf-8")
    return path


def test_photographer_gets_the_house_credit_line(tmp_path):
    page = compose_page(load_layout(layout(tmp_path, "photographer: 张三, fit: cover, focus: [30%, 40%]")))
    captions = [p for p in page.lines if p.role == "caption"]
    assert [p.line.text for p in captions] == ["乡村振兴一景", "本报记者 张三 摄"]
    assert "WenKai" in str(captions[0].line.glyphs[0].font.ref.path)  # 楷体
    [placed] = page.images
    assert placed.image.fit == "fill" and placed.image.focus == (0.3, 0.4)
    page = compose_page(load_layout(layout(tmp_path, "photographer: 李四", "photo_credit: \"新华社记者 {name} 摄\"")))
    assert "新华社记者 李四 摄" in [p.line.text for p in page.lines]


def test_photo_errors(tmp_path):
    with pytest.raises(PagesetterError, match="credit: or photographer:, not both"):
        load_layout(layout(tmp_path, "photographer: 张三, credit: 本报记者 张三 摄"))
    with pytest.raises(PagesetterError, match=r"t.yaml:\d+:\d+: photo_credit: a credit template holds \{name\}"):
        load_layout(layout(tmp_path, "photographer: 张三", "photo_credit: 本报记者摄"))
    with pytest.raises(PagesetterError, match="focus point lies inside the picture"):
        load_layout(layout(tmp_path, "fit: cover, focus: [30%, 140%]"))
