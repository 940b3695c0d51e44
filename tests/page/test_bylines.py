"""Bylines: one line when they fit, else broken between names, a role kept with its name."""

import pytest

from pagesetter.compose.style import HouseStyle
from pagesetter.fonts.faces import text_fonts
from pagesetter.fonts.registry import FontRegistry
from pagesetter.page.bylines import ROLES, byline_lines


@pytest.fixture(scope="module")
def fonts():
    return text_fonts(FontRegistry.default().resolve("body"), HouseStyle())


@pytest.mark.parametrize("byline", ["（本报记者 欧阳晓明 司马相如 通讯员 迈克尔·乔丹）", "（记者 张三 赵钱孙 实习生 李四）",
                                    "（本报记者 周晓梅 实习生 Anna Lee）"])
@pytest.mark.parametrize("measure", [11.0, 14.0, 17.0])
def test_a_role_stays_with_the_name_it_introduces(fonts, byline, measure):
    lines = byline_lines(byline, fonts, HouseStyle(), measure)
    assert "".join(line.text for line in lines) == byline
    for line in lines[:-1]:
        last = line.text.split()[-1].lstrip("（")
        assert last not in ROLES, [line.text for line in lines]
        assert line.text.endswith(" "), [line.text for line in lines]  # between names, never inside one


def test_one_line_when_it_fits(fonts):
    assert len(byline_lines("（记者 张三 通讯员 李四）", fonts, HouseStyle(), 14.0)) == 1


@pytest.mark.parametrize("measure", [10.0, 12.0, 14.0])
def test_a_role_after_a_name_stays_with_that_name(fonts, measure):
    # 文 is 王小明's (he wrote it), 摄 is 李大伟's (he took the pictures)
    lines = [line.text for line in byline_lines("本报记者 王小明 文 李大伟 摄", fonts, HouseStyle(), measure)]
    assert lines == ["本报记者 王小明 文 ", "李大伟 摄"], lines
