"""YAML loading with places: libyaml and the pure-Python loader agree."""

import pytest


def _same_tree(a, b) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return (a.mark == b.mark and a.marks == b.marks and a.keys() == b.keys()
                and all(_same_tree(a[k], b[k]) for k in a))
    if isinstance(a, list):
        return a.mark == b.mark and a.marks == b.marks and len(a) == len(b) and all(map(_same_tree, a, b))
    return a == b


def test_libyaml_and_the_python_loader_give_the_same_values_and_places():
    """Layouts are scanned by libyaml when PyYAML has it; every value and every position must be
    what the pure-Python loader gives, on every YAML file the project ships."""
    import yaml
    from pathlib import Path

    from pagesetter.source import yamlparser
    if yamlparser._FastLoader is None:
        pytest.skip("PyYAML was built without libyaml")
    root = Path(__file__).resolve().parents[2]
    files = [p for d in ("layouts", "fonts", "tests") for p in (root / d).rglob("*.yaml")]
    files += [p for p in (root / "articles").glob("*.md")]
    assert len(files) > 5
    for path in files:
        text = path.read_text(encoding="utf-8-sig")
        if path.suffix == ".md":
            if not text.startswith("---"):
                continue
            text = text.split("\n---", 1)[0][3:]
        try:
            slow = yaml.load(text, Loader=yamlparser._Loader)
        except yaml.YAMLError:
            continue
        fast = yaml.load(text, Loader=yamlparser._FastLoader)
        assert _same_tree(fast, slow), path


def test_errors_still_come_from_the_python_loader_with_character_positions():
    from pagesetter.errors import PagesetterError
    from pagesetter.source.yamlsource import load_yaml_text
    with pytest.raises(PagesetterError) as err:
        load_yaml_text("标题: 一\n正文: \x00二\n", "x.yaml")
    assert "U+0000" in str(err.value) and err.value.line == 2 and err.value.column == 5


def test_a_parsed_yaml_text_is_kept_in_the_cache_folder_with_its_places(tmp_path, monkeypatch):
    """A layout read before loads from the cache (no parser), values and positions the same;
    a damaged entry is parsed again."""
    from pagesetter.source import yamlsource
    monkeypatch.setenv("PAGESETTER_CACHE_DIR", str(tmp_path / "cache"))
    text = "name: 头版\nframes:\n  lead: {x: 0字, measure: 17字}\nstories:\n  - article: a.md\n    date: 2021-12-03\n"
    first = yamlsource._parse_cached(text, "a.yaml")
    assert first["frames"].marks == {"lead": (3, 3)} and first["stories"][0].mark == (5, 5)
    entries = list((tmp_path / "cache").glob("yaml2-*.pickle"))
    assert len(entries) == 1

    def no_parse(*args, **kwargs):
        raise AssertionError("parsed again")

    with monkeypatch.context() as m:
        m.setattr(yamlsource, "load_yaml_text", no_parse)
        cached = yamlsource._parse_cached(text, "b.yaml")
    assert cached is not first and _same_tree(cached, first)
    entries[0].write_bytes(b"damaged")
    assert _same_tree(yamlsource._parse_cached(text, "a.yaml"), first)


def test_numbers_are_read_as_people_write_them_not_as_yaml_1_1():
    from pagesetter.source.yamlparser import parse
    data = parse("line: 010\ncolumns: 0x5\nlines: 1_0\ntime: 19:30\nshift: -7\nsize: 1.5\nspan: 08\n", "x.yaml")
    assert data == {"line": 10, "columns": "0x5", "lines": "1_0", "time": "19:30", "shift": -7, "size": 1.5, "span": 8}
