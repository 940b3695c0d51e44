"""The composer's output, frozen: every line ``compose_paragraph`` sets for the seed articles
and bench/texts (default style, layouts/house.yaml and a few other house styles), with its
text, every glyph's face, position, scale and offsets, and every figure the page and the
PDF writer read (widths, adjustment, gaps, hang, flags, reasons; these two as one digest per line).

It guards speed work on the composer, which must not change a single glyph. Lengths are
kept to 1e-7 em (under 1e-6 pt at body sizes). A change here must be a deliberate fix,
explained in its commit. Regenerate (only then): ``python -m tests.compose.test_output_snapshot``.
"""

import hashlib
import json
from pathlib import Path

from pagesetter.compose.paragraph import compose_paragraph
from pagesetter.compose.style import HouseStyle
from pagesetter.fonts.faces import text_fonts
from pagesetter.fonts.registry import FontRegistry
from pagesetter.layout.loader import load_style_file
from pagesetter.source.article import load_article

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "composer_output.json"
MEASURES = (11.0, 14.0, 17.0, 22.0)
# the articles' print measures on the demo page (as bench/bench.py)
PRINT_MEASURES = {"01": 17.8, "02": 14.1, "03": 26.3, "04": 13.9, "05": 13.9, "06": 18.3, "07": 14.3,
                  "08": 26.3, "09": 14.3, "10": 13.9, "11": 14.3}
# copy that reaches the rarer paths: Latin words and numbers wider than a narrow measure, web
# addresses, stacked ?!, dashes and ellipses, quotes in a row, spaces between Chinese words
ODD_COPY = (
    "据《NatureBiotechnology》报道，研究员张伟（ZhangWei）说：“这项研究——历时5年……终于完成！！”"
    "详见https://www.example.org/research/2024/report.html?id=123&lang=zh。",
    "一、“‘双减’政策”落地后，学生课业负担减轻了吗？！家长们说：“减了，但是……”",
    "该公司2023年营收为1,234.56亿元，同比增长12.5%，气温-5℃至30℃，售价¥199／件，约合$27.5。",
    "supercalifragilisticexpialidocious antidisestablishmentarianism 是两个很长的英文单词。",
    "中文 词语 之间 有 空格，English words are separated by spaces，还有 www.gov.cn 这样的地址。",
    "他问：“你来吗？”她答：“来。”——这是《红楼梦》第3回·林黛玉进贾府的情节。",
)


def _styles() -> dict[str, HouseStyle]:
    house = load_style_file(ROOT / "layouts" / "house.yaml")
    default = HouseStyle()
    return {
        "default": default,
        "house": house,
        "hanging": default.merged(hanging_punctuation=True),
        "quanjiao-strict-out": default.merged(punctuation="quanjiao", prohibition="strict", push="out-only",
                                              single_quotes="half-em"),
        "banjiao-first-fit": house.merged(punctuation="banjiao", push="in-first", orphan_min=2),
        "hangmobanjiao-none": default.merged(punctuation="hangmobanjiao", prohibition="none", stop_beside_mark=0.5,
                                             max_gap=0.5, first_line_indent=0.0),
    }


def _texts() -> list[tuple[str, str, tuple[float, ...]]]:
    """(name, paragraph, measures)."""
    out = []
    for path in sorted((ROOT / "articles").glob("*.md")):
        for k, p in enumerate(load_article(path).paragraphs):
            out.append((f"{path.stem}#{k}", p.text, MEASURES + (PRINT_MEASURES[path.name[:2]],)))
    for path in sorted((ROOT / "bench" / "texts").glob("*.txt")):
        paras = [p for p in path.read_text(encoding="utf-8").split("\n") if p.strip()]
        out.extend((f"{path.stem}#{k}", p, MEASURES) for k, p in enumerate(paras))
    out.extend((f"odd#{k}", p, (4.0, 7.0) + MEASURES) for k, p in enumerate(ODD_COPY))
    return out


def _em(v: float) -> int:
    return round(v * 1e7)


def _line(line, faces: dict[str, int]) -> list:
    glyphs = []
    for g in line.glyphs:
        tok = str(_em(g.x))
        face = faces.setdefault(g.font.key.rsplit("-", 1)[0], len(faces))  # without the digest of the file's path
        if face:
            tok += f"f{face}"
        if g.hscale != 1.0:
            tok += f"h{_em(g.hscale)}"
        if g.cross:
            tok += f"c{_em(g.cross)}"
        if g.rotate:
            tok += f"r{g.rotate}"
        glyphs.append(tok)
    # the glyphs and figures by digest (in clear they would be megabytes); text and break kind in clear
    record = ["".join(g.char for g in line.glyphs), " ".join(glyphs), line.last, _em(line.measure),
              _em(line.width), _em(line.natural), _em(line.adjust), _em(line.max_gap), _em(line.min_gap),
              _em(line.indent), _em(line.hang), line.stretch_gaps, line.han_count, list(line.unit_range),
              line.violation, line.loose_reason]
    digest = hashlib.sha1(json.dumps(record, ensure_ascii=False).encode()).hexdigest()[:16]
    return [line.text, line.how, digest]


def composer_output() -> dict:
    registry = FontRegistry.default()
    faces: dict[str, int] = {}
    out: dict[str, dict] = {}
    texts = _texts()
    for name, style in _styles().items():
        fonts = text_fonts(registry.resolve("body"), style)
        main = name in ("default", "house")
        runs = {}
        for key, text, measures in texts:
            if not main and "#" in key and key[:2].isdigit():
                continue  # the other styles: bench/texts and the odd copy
            for m in measures if main or key.startswith("odd") else measures[1:3]:
                runs[f"{key}@{m:g}"] = [_line(line, faces) for line in compose_paragraph(text, fonts, style, m)]
        # the call options other callers use: tracking, no justification, no indent, word breaks
        text = ODD_COPY[0] + ODD_COPY[1]
        words = frozenset(k for k, c in enumerate(text) if k == 0 or text[k - 1] in "，。：、")
        # (negative tracking: line ends that move left as a line grows, which the search must not assume)
        for label, kw in (("tracking", {"tracking": 0.05}), ("tight", {"tracking": -0.04}),
                          ("ragged", {"justify": False}), ("no-indent", {"indent": 0.0}), ("words", {"words": words})):
            runs[f"odd#0+1:{label}@9"] = [_line(line, faces)
                                        for line in compose_paragraph(text, fonts, style, 9.0, **kw)]
        out[name] = runs
    return {"faces": sorted(faces, key=faces.get), "styles": out}


def test_composer_output_matches_the_snapshot():
    want = json.loads(FIXTURE.read_text(encoding="utf-8"))
    got = composer_output()
    assert got["faces"] == want["faces"]
    assert sorted(got["styles"]) == sorted(want["styles"])
    for style, runs in want["styles"].items():
        assert sorted(got["styles"][style]) == sorted(runs), style
        for key, lines in runs.items():
            mine = got["styles"][style][key]
            assert len(mine) == len(lines), (style, key)
            for k, (a, b) in enumerate(zip(mine, lines)):
                assert a == b, (style, key, k)


if __name__ == "__main__":
    data = composer_output()
    body = ",\n".join(f"  {json.dumps(style)}: {{\n" + ",\n".join(
        f"    {json.dumps(key, ensure_ascii=False)}: [\n" + ",\n".join(
            "      " + json.dumps(line, ensure_ascii=False) for line in lines) + "]"
        for key, lines in runs.items()) + "}" for style, runs in data["styles"].items())
    FIXTURE.write_text(f'{{"faces": {json.dumps(data["faces"])},\n"styles": {{\n{body}}}}}\n', encoding="utf-8")
