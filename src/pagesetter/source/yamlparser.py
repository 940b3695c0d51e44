"""The YAML parser behind ``yamlsource``: PyYAML loaders that build ``YMap``/``YList`` with
the line and column of every key and item, and refuse alias bombs and absurd nesting.

Only a YAML text not parsed before (see ``yamlsource.load_yaml_file``) needs this module and PyYAML.
"""

from __future__ import annotations

import re

import yaml

from pagesetter.errors import PagesetterError
from pagesetter.source.yamlsource import MAX_ALIASES, MAX_DEPTH, YList, YMap


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


_DECIMAL = re.compile(r"^[-+]?[0-9]+$")


def _construct_int(loader, node):
    """Integers as YAML 1.2 and people read them: digits are decimal (line: 010 is line 10, not
    YAML 1.1's octal 8); 0x1F, 0o17, 1_000 and 1:30 (YAML 1.1's base 60) stay text, which the
    field that wanted a number reports."""
    value = loader.construct_scalar(node)
    digits = value[1:] if value[:1] in "+-" else value
    if digits.isdigit() and digits.isascii():
        return int(value)
    return value


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
        _cls.add_constructor("tag:yaml.org,2002:int", _construct_int)
        # 08 and 09 are no YAML 1.1 octal, so no int either: resolved here, as decimal like 010
        _cls.add_implicit_resolver("tag:yaml.org,2002:int", _DECIMAL, list("+-0123456789"))
        _cls.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
        _cls.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def parse(text: str, file: str, line_offset: int = 0):
    """Parse YAML text; syntax errors become one-line PagesetterErrors.

    ``line_offset`` is where the text starts in its file (front matter), so
    every position reported is a line of the file.
    """
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
