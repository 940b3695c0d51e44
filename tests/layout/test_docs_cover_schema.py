"""Every key, choice and unit the schema accepts is documented in docs/layout-format.md.

Each key is looked up in the section that owns it: a top-level key in "Top level",
``page.margins.top`` in ``page``, ``stories.headline.direction`` in ``headline``.
Settings that are the same wherever they are given are documented once:

- house-style settings (``style:``, ``paragraph_styles.ROLE``, a story's ``style``) in ``style``;
- text-spec keys (font, size, align, tracking, text of a byline, subhead, caption,
  box label or headline part) in "Text specs";
- geometry keys of frames, pictures and boxes in "Grid coordinates and geometry";
- 字号 size names, with their point values, in the 字号 table of "Units".

A key, choice or unit counts as documented when it is written as code (`key`,
`{font, size}`, `body.font`, `kaiming`/`开明`) in prose or a table of its section;
YAML examples alone do not count.
"""

import copy
import re
from pathlib import Path

from pagesetter.layout.schema import GEOMETRY, LAYOUT_SCHEMA, PARAGRAPH_STYLES, STYLE_SETTINGS, TEXT_SPEC
from pagesetter.units import SIZE_NAMES

DOC = (Path(__file__).resolve().parents[2] / "docs" / "layout-format.md").read_text(encoding="utf-8")

TOP, UNITS, STYLE = "Top level", "Units", "style"
GEOMETRY_SECTION, TEXT_SPEC_SECTION = "Grid coordinates and geometry", "Text specs"
SIZES = "字号 table"
STYLE_KEYS = frozenset(STYLE_SETTINGS)
ROLES = frozenset(PARAGRAPH_STYLES["properties"])
TEXT_SPEC_KEYS = frozenset(TEXT_SPEC["properties"])
GEOMETRY_KEYS = frozenset(GEOMETRY)

_FENCE = re.compile(r"^```.*?^```", re.M | re.S)


def _anchor(heading: str) -> str:
    """GitHub's anchor for a heading."""
    return "#" + re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def sections(doc: str) -> dict[str, str]:
    """Heading -> its text down to the next heading of the same or a higher level, so a
    ``##`` section includes its ``###`` subsections. A heading that starts with `key` is
    named key. Code blocks are left out (an example is not documentation)."""
    doc = _FENCE.sub("", doc)
    heads = list(re.finditer(r"^(#{2,4}) (.+)$", doc, re.M))
    out = {}
    for i, m in enumerate(heads):
        level = len(m.group(1))
        end = next((h.start() for h in heads[i + 1:] if len(h.group(1)) <= level), len(doc))
        title = m.group(2).strip()
        key = re.match(r"`([^`]+)`", title)
        out[key.group(1) if key else title] = doc[m.start():end]
    return out


def documented_names(text: str) -> set[str]:
    """What a text writes as code, whole and in its parts: `{font, size}` gives font and
    size, `body.font` gives body and font, `top:` gives top."""
    names = set()
    for span in re.findall(r"`([^`\n]+)`", _FENCE.sub("", text)):
        names.add(span.strip())
        for part in re.split(r"[\s,{}\[\]()|/=]+", span):
            part = part.strip(":\"'")
            names.add(part)
            names.update(part.split("."))
    names.discard("")
    return names


def _yaml(value) -> str:
    return {True: "true", False: "false", None: "null"}.get(value, value) if not isinstance(value, str) else value


def entries(schema: dict):
    """(kind, path, name, siblings, subschema) for every key ("key") and every enum or
    const choice ("choice") at any depth. For a key, path leads to the mapping that
    holds it; for a choice, to the key whose value it is. siblings are the keys of
    that mapping, which say what kind of mapping it is (style settings, a text spec …)."""

    def walk(node, path, siblings):
        if not isinstance(node, dict):
            return
        props = node.get("properties", {})
        keys = frozenset(props)
        for key, sub in props.items():
            yield "key", path, key, keys, sub
            yield from walk(sub, path + (key,), keys)
        for value in node.get("enum", []):
            yield "choice", path, _yaml(value), siblings, node
        if "const" in node:
            yield "choice", path, _yaml(node["const"]), siblings, node
        for k in ("anyOf", "oneOf", "allOf"):
            for sub in node.get(k, []):
                yield from walk(sub, path, siblings)
        if isinstance(node.get("items"), dict):
            yield from walk(node["items"], path, siblings)
        if isinstance(node.get("additionalProperties"), dict):
            yield from walk(node["additionalProperties"], path + ("*",), siblings)

    yield from walk(schema, (), frozenset())


def owner(kind: str, path: tuple, name, siblings: frozenset, secs: dict) -> str:
    """The section that must document this key or choice."""
    key = name if kind == "key" else path[-1]
    holder = path if kind == "key" else path[:-1]
    if kind == "choice" and name in SIZE_NAMES:
        return SIZES
    if TEXT_SPEC_KEYS <= siblings and key in TEXT_SPEC_KEYS:
        return TEXT_SPEC_SECTION
    if STYLE_KEYS <= siblings or siblings == ROLES or {"style", "paragraph_styles"} & set(holder):
        return STYLE  # a house-style setting, or a part of one (fit.tracking, jump.to …)
    if GEOMETRY_KEYS <= siblings and key in GEOMETRY_KEYS:
        return GEOMETRY_SECTION
    return _section_of(holder, secs)


def _section_of(path: tuple, secs: dict) -> str:
    """The deepest key of ``path`` with a section of its own inside the section of the path's
    first key (``stories.frames`` belongs to ``stories``, not to the top-level ``frames``)."""
    top = secs.get(path[0]) if path else None
    return next((p for p in reversed(path) if p in secs and (top is None or secs[p] in top)), TOP)


def size_table(doc: str) -> dict[str, float]:
    """字号 name -> points, from the table rows of the Units section (`| 小五 | 9 pt |`)."""
    rows = "\n".join(line for line in sections(doc).get(UNITS, "").splitlines() if line.startswith("|"))
    return {name: float(pt) for name, pt in re.findall(r"\|\s*([^\s|`]+)\s*\|\s*(\d+(?:\.\d+)?)\s*pt\s*(?=\|)", rows)}


def undocumented(schema: dict, doc: str) -> list[str]:
    """Keys ("a.b.key") and choices ("a.b.key: value") no section of ``doc`` documents where it should."""
    secs = sections(doc)
    names = {title: documented_names(text) for title, text in secs.items()}
    sizes = size_table(doc)
    missing = []
    for kind, path, name, siblings, _ in entries(schema):
        where = owner(kind, path, name, siblings, secs)
        found = name in sizes if where == SIZES else str(name) in names.get(where, set())
        if not found:
            missing.append(".".join(path + (name,)) if kind == "key" else f"{'.'.join(path)}: {name}")
    return list(dict.fromkeys(missing))


def unlinked(schema: dict, doc: str) -> list[str]:
    """Keys whose value is a text spec, and mappings that take geometry, whose section does
    not link to the shared explanation."""
    secs = sections(doc)
    missing = []
    for kind, path, name, siblings, sub in entries(schema):
        if kind != "key":
            continue
        specs = [s for s in [sub, *sub.get("anyOf", [])] if isinstance(s, dict)]
        where = owner(kind, path, name, siblings, secs)
        if any(TEXT_SPEC_KEYS <= frozenset(s.get("properties", {})) for s in specs):
            if _anchor(TEXT_SPEC_SECTION) not in secs.get(where, ""):
                missing.append(f"{'.'.join(path + (name,))} (text spec)")
        if GEOMETRY_KEYS <= siblings and name == "column" and \
                _anchor(GEOMETRY_SECTION) not in secs.get(_section_of(path, secs), ""):
            missing.append(f"{'.'.join(path)} (geometry)")
    return missing


def units_of(schema: dict) -> set[str]:
    """Every unit a length or size pattern accepts (``[Qq]`` gives Q and q)."""
    units = set()

    def visit(node):
        if isinstance(node, dict):
            pattern = node.get("pattern", "")
            for group in re.findall(r"\(\?:([^()]*)\)\??\\s\*\$", pattern):
                for alt in group.split("|"):
                    cls = re.fullmatch(r"\[(\w+)\]", alt)
                    units.update(cls.group(1) if cls else [alt])
            for v in node.values():
                visit(v)
        elif isinstance(node, list):
            for v in node:
                visit(v)

    visit(schema)
    return units


def undocumented_units(schema: dict, doc: str) -> list[str]:
    table = "\n".join(line for line in sections(doc).get(UNITS, "").splitlines() if line.startswith("|"))
    names = documented_names(table)
    return sorted(u for u in units_of(schema) if u not in names)


# The real schema against the real docs


def test_every_schema_key_and_choice_is_documented_in_its_section():
    missing = undocumented(LAYOUT_SCHEMA, DOC)
    assert not missing, f"accepted by the schema but not documented where it belongs in docs/layout-format.md: {missing}"


def test_every_unit_is_in_the_units_table():
    assert units_of(LAYOUT_SCHEMA) >= {"mm", "pt", "Q", "字", "行", "px", "h"}  # the walk finds the units
    assert not undocumented_units(LAYOUT_SCHEMA, DOC)


def test_the_size_table_lists_every_size_name_with_its_points():
    assert size_table(DOC) == SIZE_NAMES


def test_text_specs_and_geometry_link_to_their_shared_section():
    assert not unlinked(LAYOUT_SCHEMA, DOC)


def test_shared_sections_exist_once():
    heads = re.findall(r"^#{2,4} (.+)$", _FENCE.sub("", DOC), re.M)
    names = [re.match(r"`([^`]+)`", h).group(1) if h.startswith("`") else h for h in heads]
    assert len(names) == len(set(names)), "two sections with the same name"
    for name in (TOP, UNITS, STYLE, GEOMETRY_SECTION, TEXT_SPEC_SECTION, "Errors", "Markdown understood"):
        assert name in names


def test_the_grid_figure_exists():
    fig = re.search(r"!\[[^\]]*\]\(([^)]+)\)", sections(DOC)[GEOMETRY_SECTION])
    assert fig and (Path(__file__).resolve().parents[2] / "docs" / fig.group(1)).is_file()


# The checks themselves fail when they should


def test_a_key_added_to_the_schema_is_reported():
    schema = copy.deepcopy(LAYOUT_SCHEMA)
    schema["properties"]["frames"]["additionalProperties"]["properties"]["wrap"] = {"type": "boolean"}
    schema["properties"]["print"]["properties"]["press"]["anyOf"][1]["properties"]["gamut"] = {"type": "string"}
    assert undocumented(schema, DOC) == ["frames.*.wrap", "print.press.gamut"]


def test_a_choice_added_to_the_schema_is_reported():
    schema = copy.deepcopy(LAYOUT_SCHEMA)
    schema["properties"]["page"]["properties"]["orientation"]["enum"].append("square")
    assert undocumented(schema, DOC) == ["page.orientation: square"]


def test_a_unit_added_to_the_schema_is_reported():
    schema = copy.deepcopy(LAYOUT_SCHEMA)
    width = schema["properties"]["page"]["properties"]["width"]
    width["pattern"] = width["pattern"].replace("|px|", "|px|pc|")
    assert undocumented_units(schema, DOC) == ["pc"]


def _without(doc: str, section: str, word: str) -> str:
    """``doc`` with ``word`` no longer written as code in one section."""
    doc = _FENCE.sub("", doc)
    text = sections(doc)[section]
    assert f"`{word}`" in text and doc.count(text) == 1
    return doc.replace(text, text.replace(f"`{word}`", word))


def test_a_style_setting_is_looked_up_in_the_style_section_wherever_it_is_given():
    missing = undocumented(LAYOUT_SCHEMA, _without(DOC, STYLE, "max_gap"))
    assert "style.max_gap" in missing and "stories.style.max_gap" in missing
    assert "paragraph_styles.headline.max_gap" in missing and "stories.paragraph_styles.body.max_gap" in missing


def test_a_text_spec_key_is_looked_up_in_the_text_spec_section():
    missing = undocumented(LAYOUT_SCHEMA, _without(DOC, TEXT_SPEC_SECTION, "tracking"))
    assert {"stories.headline.kicker.tracking", "stories.headline.title.tracking"} <= set(missing)
    assert "stories.headline.tracking" not in missing  # the headline's own tracking belongs to `headline`


def test_geometry_is_looked_up_in_the_geometry_section():
    missing = undocumented(LAYOUT_SCHEMA, _without(DOC, GEOMETRY_SECTION, "span"))
    assert {"frames.*.span", "images.span", "boxes.span"} <= set(missing)


def test_a_choice_is_looked_up_in_its_own_section():
    missing = undocumented(LAYOUT_SCHEMA, _without(DOC, "headline", "竖排"))
    assert missing == ["stories.headline.direction: 竖排"]


def test_the_size_table_must_be_complete_and_right():
    assert "| 小六 | 6.5 pt " in DOC, "the 字号 table writes '| 小六 | 6.5 pt |'"
    wrong = size_table(DOC.replace("| 小六 | 6.5 pt ", "| 小六 | 6 pt "))
    assert wrong != SIZE_NAMES and wrong["小六"] == 6.0
    gone = DOC.replace("| 小六 | 6.5 pt ", "| | ")
    assert "grid.body.size: 小六" in undocumented(LAYOUT_SCHEMA, gone)


def test_a_missing_link_to_the_shared_sections_is_reported():
    doc = _FENCE.sub("", DOC)
    head, images = sections(doc)["headline"], sections(doc)["images"]
    doc = doc.replace(head, head.replace("(#text-specs)", "")) \
        .replace(images, images.replace("(#grid-coordinates-and-geometry)", ""))
    assert unlinked(LAYOUT_SCHEMA, doc) == ["stories.headline.kicker (text spec)", "stories.headline.title (text spec)",
                                            "stories.headline.subtitle (text spec)", "images (geometry)"]


def test_helpers_on_a_tiny_schema_and_doc():
    schema = {"type": "object", "properties": {
        "page": {"type": "object", "properties": {
            "size": {"enum": ["对开", "mini"]},
            "width": {"type": "string", "pattern": r"^\s*\d+\s*(?:mm|[Zz])\s*$"}}},
        "note": {"anyOf": [{"const": False}, {"type": "string"}]}}}
    doc = "## Units\n\n| `mm` | millimetres |\n\n## Top level\n\n| `page` | the page |\n\n## `page`\n\n" \
          "| `size` | `对开` |\n\n```yaml\npage: {width: 5mm, size: mini}\n```\n"
    assert undocumented(schema, doc) == ["page.size: mini", "page.width", "note", "note: false"]
    assert undocumented_units(schema, doc) == ["Z", "z"]
    fixed = doc.replace("| `size` | `对开` |", "| `size`, `width` | `对开` or `mini` |") \
        .replace("| `page` |", "| `page`, `note` | `false` |").replace("| `mm` |", "| `mm`, `Z`/`z` |")
    assert undocumented(schema, fixed) == [] and undocumented_units(schema, fixed) == []


# Exit statuses


def test_the_exit_statuses_documented_are_the_ones_the_cli_returns(tmp_path, monkeypatch):
    import click
    from click.testing import CliRunner
    from reportlab.pdfgen import canvas

    from pagesetter.app import cli, pipeline
    from pagesetter.errors import OversetError, PagesetterError

    rows = dict(re.findall(r"^\| `(\d+)` \| (.+) \|$", sections(DOC)["Exit status"], re.M))
    assert set(map(int, rows)) == {0, 1, PagesetterError.exit_code, OversetError.exit_code, cli.EXIT_OVERSET,
                                   cli.EXIT_INTERNAL, cli.EXIT_INTERRUPTED}
    assert "usage error" in rows[str(click.UsageError.exit_code)]
    assert "`check`" in rows["1"]
    assert "Ctrl-C" in rows[str(cli.EXIT_INTERRUPTED)] and str(cli.EXIT_TERMINATED) in rows[str(cli.EXIT_INTERRUPTED)]
    runner = CliRunner()
    assert runner.invoke(cli.main, ["render", "--no-such-option", "x.yaml"]).exit_code == 2
    plain = tmp_path / "plain.pdf"  # a PDF that is not PDF/X: preflight fails
    page = canvas.Canvas(str(plain))
    page.drawString(100, 100, "x")
    page.save()
    assert runner.invoke(cli.main, ["check", "--no-ink", str(plain)]).exit_code == 1

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    layout = tmp_path / "page.yaml"
    layout.write_text("page: {size: A4}\n", encoding="utf-8")
    monkeypatch.setattr(pipeline, "render_layout", interrupted)
    result = runner.invoke(cli.main, ["render", str(layout), "-o", str(tmp_path / "out.pdf")])
    assert result.exit_code == cli.EXIT_INTERRUPTED and "interrupted" in result.output
