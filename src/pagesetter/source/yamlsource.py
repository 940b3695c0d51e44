"""YAML loading that remembers where every value came from.

Mappings and lists keep the line and column of each key and item, so a wrong
value anywhere can be reported as ``page3.yaml:12:5: frames.lead.span: …``.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import yaml

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


class _Guards:
    """Refuses alias bombs and absurd nesting before building anything."""

    def compose_node(self, parent, index):
        depth = getattr(self, "_depth", 0)
        if depth > MAX_DEPTH:
            mark = self.peek_event().start_mark
            raise yaml.constructor.ConstructorError(None, None, f"nested more than {MAX_DEPTH} levels deep", mark)
        if self.check_event(yaml.events.AliasEvent):
            self._aliases = getattr(self, "_aliases", 0) + 1
            if self._aliases > MAX_ALIASES:
                raise yaml.constructor.ConstructorError(
                    None, None, f"more than {MAX_ALIASES} aliases (*name): refusing a possible alias bomb",
                    self.peek_event().start_mark)
        self._depth = depth + 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth = depth


def _mark(node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def _construct_mapping(loader, node):
    loader.flatten_mapping(node)
    result = YMap()
    result.marks = {}
    result.mark = _mark(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(None, None, "a mapping key must be a plain value",
                                                    key_node.start_mark) from None
        if key in result:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
        result.marks[key] = _mark(key_node)
    return result


def _construct_sequence(loader, node):
    result = YList(loader.construct_object(child, deep=True) for child in node.value)
    result.marks = [_mark(child) for child in node.value]
    result.mark = _mark(node)
    return result


def _construct_timestamp(loader, node):
    """A date such as 2021-02-30 is an error at its place, not a crash."""
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError) as exc:
        raise yaml.constructor.ConstructorError(None, None, f"{node.value!r} is not a real date ({exc})",
                                                node.start_mark) from None


class _Loader(_Guards, yaml.SafeLoader):
    """The pure-Python loader: it reports errors with character positions."""


try:
    from yaml._yaml import CParser
except ImportError:  # PyYAML built without libyaml
    _FastLoader = None
else:
    class _FastLoader(_Guards, yaml.composer.Composer, CParser, yaml.constructor.SafeConstructor,
                      yaml.resolver.Resolver):
        """libyaml scans and parses (the pure-Python scanner is most of a layout's load time);
        nodes are still composed here, under the same guards. On any error the text is parsed
        again by ``_Loader``, whose messages and positions the error reports."""

        def __init__(self, stream):
            CParser.__init__(self, stream)
            yaml.composer.Composer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)


for _cls in (_Loader, _FastLoader):
    if _cls is not None:
        _cls.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
        _cls.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
        _cls.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def load_yaml_text(text: str, file: str, line_offset: int = 0):
    """Parse YAML text; syntax errors become one-line PagesetterErrors.

    ``line_offset`` is where the text starts in its file (front matter), so
    every position reported is a line of the file.
    """
    if len(text) > MAX_YAML_BYTES:
        raise PagesetterError(f"{len(text) // 1024} kB of YAML is far more than a layout needs "
                              f"(the limit is {MAX_YAML_BYTES // 1024} kB)", file=file)
    try:
        data = _load("\n" * line_offset + text)
        _check_expansion(data)
        return data
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        col = mark.column + 1 if mark else None
        what = exc.problem or exc.context or "invalid YAML"
        raise PagesetterError(f"YAML syntax error: {what}", file=file, line=line, column=col) from None
    except yaml.reader.ReaderError as exc:  # a control character: position is a character offset
        line, col = _line_col("\n" * line_offset + text, exc.position)
        raise PagesetterError(f"YAML error: character U+{exc.character:04X} is not allowed in YAML",
                              file=file, line=line, column=col) from None
    except yaml.YAMLError as exc:
        raise PagesetterError(f"YAML error: {exc}", file=file) from None
    except RecursionError:
        raise PagesetterError("YAML nested too deeply", file=file) from None
    except _TooBig as exc:
        raise PagesetterError(str(exc), file=file) from None


def _load(text: str):
    if _FastLoader is not None:
        try:
            return yaml.load(text, Loader=_FastLoader)  # noqa: S506 - SafeConstructor
        except (yaml.YAMLError, RecursionError):
            pass  # parsed again below, for the error's own message and place
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - SafeLoader subclass


def _line_col(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


class _TooBig(Exception):
    pass


def _check_expansion(data, limit: int = 200_000) -> None:
    """Shared aliases can make a small file a huge tree; count what walking it would visit."""
    seen = 0
    stack = [data]
    while stack:
        item = stack.pop()
        seen += 1
        if seen > limit:
            raise _TooBig(f"the YAML expands to more than {limit:,} values (aliases repeated?)")
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


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


def _read_yaml_file(path: Path):
    from pagesetter.source.paths import read_bytes
    try:
        text = read_bytes(path, what="YAML file", limit=4 * MAX_YAML_BYTES).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PagesetterError(f"not valid UTF-8 (byte {exc.start})", file=str(path)) from None
    return load_yaml_text(text, str(path))


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
    hint = difflib.get_close_matches(str(key), sorted(allowed), n=1, cutoff=0.6)
    tip = f"; did you mean {hint[0]!r}?" if hint else f"; expected one of {', '.join(sorted(allowed))}"
    return f"unknown field {key!r}{tip}"
