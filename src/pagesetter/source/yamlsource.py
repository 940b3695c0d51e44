"""YAML loading that remembers where every value came from.

Mappings and lists keep the line and column of each key and item, so a wrong
value anywhere can be reported as ``page3.yaml:12:5: frames.lead.span: …``.
"""

from __future__ import annotations

import functools
from pathlib import Path

from pagesetter.errors import PagesetterError


class YMap(dict):
    """A mapping with the source position of each key."""

    marks: dict
    mark: tuple[int, int] | None = None


class YList(list):
    marks: list
    mark: tuple[int, int] | None = None


MAX_YAML_BYTES = 2 * 1024 * 1024
MAX_ALIASES = 200
MAX_DEPTH = 40


def load_yaml_text(text: str, file: str, line_offset: int = 0):
    """Parse YAML text; syntax errors become one-line PagesetterErrors.

    ``line_offset`` is where the text starts in its file (front matter), so
    every position reported is a line of the file.
    """
    if len(text) > MAX_YAML_BYTES:
        raise PagesetterError(f"{len(text) // 1024} kB of YAML is far more than a layout needs "
                              f"(the limit is {MAX_YAML_BYTES // 1024} kB)", file=file)
    from pagesetter.source.yamlparser import parse
    return parse(text, file, line_offset)


_FILES: dict[tuple, object] = {}


def load_yaml_file(path: Path):
    """Parse a YAML file; unchanged files (same size and time) are parsed once per process.
    Callers must not modify what they get back."""
    try:
        st = path.stat()
        stamp = (str(path), st.st_size, st.st_mtime_ns)
    except OSError:
        stamp = None
    if stamp in _FILES:
        return _FILES[stamp]
    data = _read_yaml_file(path)
    if stamp is not None:
        _FILES[stamp] = data
    return data


def is_edition(data) -> bool:
    """Is the parsed layout file ``data`` an edition (a mapping with ``pages:``), not a page layout?"""
    return isinstance(data, dict) and "pages" in data


def _read_yaml_file(path: Path):
    from pagesetter.source.paths import read_bytes
    try:
        text = read_bytes(path, what="YAML file", limit=4 * MAX_YAML_BYTES).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PagesetterError(f"not valid UTF-8 (byte {exc.start})", file=str(path)) from None
    return _parse_cached(text, str(path))


@functools.cache  # modules loaded once do not change for this process, whatever their files do
def _parser_stamp() -> str:
    from pagesetter.diskcache import code_stamp
    here = Path(__file__).parent
    return code_stamp([here / "yamlsource.py", here / "yamlparser.py"], packages=("yaml",))


def _parse_cached(text: str, file: str):
    """``load_yaml_text``, kept in the cache folder by the text's digest: a layout, house style or
    font list read before is loaded without importing PyYAML (a tenth of a cold galley's start-up)."""
    from pagesetter.diskcache import memo
    return memo("yaml2", (_parser_stamp(), text), lambda: load_yaml_text(text, file))


class Node:
    """A value in a YAML document together with its file, position and field path."""

    def __init__(self, value, file: str, path: str = "", mark: tuple[int, int] | None = None):
        self.value = value
        self.file = file
        self.path = path
        self.mark = mark if mark is not None else getattr(value, "mark", None)

    def error(self, message: str) -> PagesetterError:
        line, col = self.mark if self.mark else (None, None)
        return PagesetterError(message, file=self.file, line=line, column=col, field=self.path or None)

    # --- mappings ---
    def mapping(self, allowed: set[str] | None = None) -> "Node":
        if not isinstance(self.value, dict):
            raise self.error(f"expected a mapping (key: value lines), got {_kind(self.value)}")
        if allowed is not None:
            for key in self.value:
                if key not in allowed:
                    raise self.child_node(key).error(_unknown_key(key, allowed))
        return self

    def child_node(self, key) -> "Node":
        marks = getattr(self.value, "marks", {})
        path = f"{self.path}.{key}" if self.path else str(key)
        return Node(self.value.get(key) if isinstance(self.value, dict) else None, self.file, path,
                    marks.get(key, self.mark))

    def has(self, key) -> bool:
        return isinstance(self.value, dict) and key in self.value and self.value[key] is not None

    def get(self, key, default=None) -> "Node | None":
        if not self.has(key):
            return None
        node = self.child_node(key)
        return node

    def require(self, key) -> "Node":
        if not self.has(key):
            raise self.error(f"missing required field {key!r}")
        return self.child_node(key)

    def items(self):
        for key in self.value:
            yield key, self.child_node(key)

    # --- lists ---
    def sequence(self) -> list["Node"]:
        if not isinstance(self.value, list):
            raise self.error(f"expected a list, got {_kind(self.value)}")
        marks = getattr(self.value, "marks", [self.mark] * len(self.value))
        return [Node(v, self.file, f"{self.path}[{i}]", marks[i]) for i, v in enumerate(self.value)]

    # --- scalars ---
    def string(self) -> str:
        if isinstance(self.value, (dict, list)) or self.value is None:
            raise self.error(f"expected text, got {_kind(self.value)}")
        return str(self.value)

    def integer(self, minimum: int | None = None, maximum: int | None = None) -> int:
        v = self.value
        if isinstance(v, bool) or not isinstance(v, int):
            raise self.error(f"expected a whole number, got {_kind(v)}")
        if minimum is not None and v < minimum:
            raise self.error(f"must be at least {minimum}, got {v}")
        if maximum is not None and v > maximum:
            raise self.error(f"must be at most {maximum}, got {v}")
        return v

    def number(self) -> float:
        v = self.value
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise self.error(f"expected a number, got {_kind(v)}")
        return float(v)

    def boolean(self) -> bool:
        if not isinstance(self.value, bool):
            raise self.error(f"expected true or false, got {_kind(self.value)}")
        return self.value

    def choice(self, options, aliases: dict | None = None) -> str:
        v = self.string()
        if aliases and v in aliases:
            v = aliases[v]
        if v not in options:
            import difflib
            hint = difflib.get_close_matches(v, list(options), n=1)
            tip = f" (did you mean {hint[0]!r}?)" if hint else ""
            raise self.error(f"expected one of {', '.join(options)}, got {v!r}{tip}")
        return v


def _kind(value) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    return repr(value)


def _unknown_key(key, allowed) -> str:
    import difflib
    hint = difflib.get_close_matches(str(key), sorted(allowed), n=1, cutoff=0.6)
    tip = f"; did you mean {hint[0]!r}?" if hint else f"; expected one of {', '.join(sorted(allowed))}"
    return f"unknown field {key!r}{tip}"
