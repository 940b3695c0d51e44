import pytest

from pagesetter.units import MM, UnitContext, UnitError, parse_length, parse_size


@pytest.mark.parametrize("text, points", [
    ("10mm", 10 * MM), ("1cm", 10 * MM), ("72pt", 72.0), ("1in", 72.0), ("4Q", MM), ("4级", MM),
    (" 2.5 mm ", 2.5 * MM), ("-3mm", -3 * MM), (".5in", 36.0),
])
def test_absolute_units(text, points):
    assert parse_length(text) == pytest.approx(points)


def test_body_relative_units():
    ctx = UnitContext(em=9.0, line=13.5)
    assert parse_length("17.8em", ctx) == pytest.approx(160.2)
    assert parse_length("14字", ctx) == pytest.approx(126.0)
    assert parse_length("2行", ctx) == pytest.approx(27.0)


@pytest.mark.parametrize("name, points", [("小五", 9.0), ("五号", 10.5), ("初号", 42.0), ("小初", 36.0),
                                          ("六号", 7.5), ("八号", 5.0)])
def test_size_names(name, points):
    assert parse_size(name) == points


def test_bare_numbers_are_points_for_sizes_only():
    assert parse_size(9) == 9.0
    with pytest.raises(UnitError, match="unit"):
        parse_length(9)
    with pytest.raises(UnitError, match="no unit"):
        parse_length("9")


def test_relative_units_need_context():
    with pytest.raises(UnitError, match="body size"):
        parse_length("2em")
    with pytest.raises(UnitError, match="line pitch"):
        parse_length("2行", UnitContext(em=9))


@pytest.mark.parametrize("bad", ["12px!", "mm", "3 furlongs", "", "1e5mm", True, None, [1]])
def test_bad_lengths_say_what_is_expected(bad):
    with pytest.raises(UnitError):
        parse_length(bad)
