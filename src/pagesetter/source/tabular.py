"""Table data: rows of cell strings from a ``.csv`` file or a ``.yaml`` file.

A YAML table is a list of rows (each a list of cells), or a mapping
``{header: [...], rows: [[...], ...]}``. Every cell becomes a string; an empty
cell is ``""``. Rows shorter than the widest are padded with empty cells.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from pagesetter.errors import PagesetterError
from pagesetter.source.yamlsource import Node, load_yaml_file

MAX_TABLE_BYTES = 1024 * 1024
MAX_CELLS = 20_000


def read_table(path: Path) -> tuple[list[list[str]], int | None]:
    """(rows, header row count or None when the file does not say)."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_TABLE_BYTES:
            raise PagesetterError(f"table file is larger than {MAX_TABLE_BYTES // 2**20} MB", file=str(path))
    except FileNotFoundError:
        raise PagesetterError("table file not found", file=str(path)) from None
    suffix = path.suffix.lower()
    if suffix == ".csv":
        rows, header = _csv(path), None
    elif suffix in (".yaml", ".yml"):
        rows, header = _yaml(path)
    else:
        raise PagesetterError(f"a table is a .csv or .yaml file, not {suffix or 'a file without extension'}",
                              file=str(path))
    if not rows or not any(any(c for c in r) for r in rows):
        raise PagesetterError("the table has no rows", file=str(path))
    if sum(len(r) for r in rows) > MAX_CELLS:
        raise PagesetterError(f"the table has more than {MAX_CELLS} cells", file=str(path))
    width = max(len(r) for r in rows)
    return [r + [""] * (width - len(r)) for r in rows], header


def _csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("gb18030")  # spreadsheets on Chinese Windows export GBK
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise PagesetterError("not valid UTF-8 or GB18030", file=str(path), line=line) from None
    try:
        sample = text[:4096]
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;") if sample.strip() else csv.excel
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        rows = [[cell.strip() for cell in row] for row in reader]
    except csv.Error as exc:
        raise PagesetterError(f"bad CSV: {exc}", file=str(path), line=reader.line_num) from None
    return [r for r in rows if any(r)]


def _yaml(path: Path) -> tuple[list[list[str]], int | None]:
    root = Node(load_yaml_file(path), str(path))
    header = None
    rows_node = root
    if isinstance(root.value, dict):
        root.mapping({"header", "rows"})
        rows_node = root.require("rows")
    rows = [_row(r) for r in rows_node.sequence()]
    if isinstance(root.value, dict) and root.has("header"):
        rows.insert(0, _row(root.require("header")))
        header = 1
    return rows, header


def _row(node: Node) -> list[str]:
    cells = []
    for c in node.sequence():
        if c.value is None:
            cells.append("")
        elif isinstance(c.value, (dict, list)):
            raise c.error("a table cell is text or a number")
        elif isinstance(c.value, bool):
            cells.append("是" if c.value else "否")
        else:
            cells.append(str(c.value).strip())
    return cells
