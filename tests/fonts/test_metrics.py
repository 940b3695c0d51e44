"""A face's metrics as the composer and the PDF writer read them."""

import pytest

from pagesetter.fonts.metrics import FaceRef, MissingGlyph, metrics_for
from tests.conftest import FONTS


def test_a_lines_advances_at_once_are_each_characters_advance():
    """``advances`` (the PDF writer's, a line at a time) agrees with ``advance``, for characters
    measured before and never measured (a fresh face: none in its table yet)."""
    face = metrics_for(FaceRef(FONTS / "NotoSerifSC-Regular.ttf", 0, ("hwid",)))
    text = "排版 Typesetting，12.5%「引号」"
    face.advance("排")  # one measured, the rest not
    assert face.advances(text) == [face.advance(ch) for ch in text]
    assert face.advances(text) == [face.advance(ch) for ch in text]  # now all measured
    assert face.advances("") == []
    with pytest.raises(MissingGlyph):
        face.advances("排\U0010FFFD")
