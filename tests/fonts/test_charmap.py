"""The array-backed character map reads like the dict it replaces."""

import marshal

import pytest

from pagesetter.fonts.charmap import CharMap


def test_charmap_reads_as_the_dict_it_was_made_from():
    source = {0x20: 3, 0x41: 36, 0x4E00: 1200, 0xFFFD: 7, 0x20000: 4100, 0x2A6D6: 4101}
    cmap = CharMap.from_dict(source)
    assert dict(cmap.items()) == source and cmap == source
    assert len(cmap) == len(source) and sorted(cmap) == sorted(source)
    assert cmap[0x4E00] == 1200 and cmap[0x20000] == 4100
    assert cmap.get(0x4E01) is None and cmap.get(0x4E01, 0) == 0 and cmap.get(0x20001, -5) == -5
    assert 0x41 in cmap and 0x42 not in cmap and 0x2A6D6 in cmap and 0x2A6D7 not in cmap
    with pytest.raises(KeyError):
        cmap[0x42]
    with pytest.raises(KeyError):
        cmap[0x30000]


def test_charmap_keeps_glyph_zero_and_survives_the_cache_format():
    """A code point mapped to glyph 0 is still in the map (the dict held it too); the stored
    form goes through marshal and comes back equal."""
    source = {0x61: 0, 0x62: 65535, 0x1F600: 9}
    cmap = CharMap.from_dict(source)
    assert 0x61 in cmap and cmap[0x61] == 0
    back = CharMap.from_stored(marshal.loads(marshal.dumps(cmap.stored())))
    assert back == source and len(back) == 3


def test_with_entries_copies():
    cmap = CharMap.from_dict({0x20: 3})
    aliased = cmap.with_entries({0xA0: 3, 0x20001: 8})
    assert aliased == {0x20: 3, 0xA0: 3, 0x20001: 8}
    assert cmap == {0x20: 3}
