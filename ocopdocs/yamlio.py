"""Safe YAML reading that remembers where every value came from.

Only this module parses YAML. It returns plain Python data (all text normalised to NFC, because
decomposed Vietnamese misplaces stacked accents in some renderers) together with a map from
each field path to its 1-based line, so that a problem found later, by the schema or by a rule,
can point at the exact line a user has to edit.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem
from .messages import t

MAX_FILE_BYTES = 256 * 1024
"""Product files are a few KB; anything this large is a mistake."""
MAX_VALUES = 20_000
"""Aliases can make a small file expand enormously ("billion laughs"); stop well before that."""
MAX_DEPTH = 40
"""Product files nest four or five levels; deeper is a mistake or a self-referencing alias."""
_PLAIN_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}

Loc = tuple[str | int, ...]


class _Loader(yaml.SafeLoader):
    """A private SafeLoader, so nothing we do leaks into PyYAML's global loaders."""


class _FastLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's parser, when PyYAML has it: four times faster on a province's files.

    A file it cannot read is parsed again by :class:`_Loader`, whose messages are clearer.
    """


class _Unsupported(yaml.MarkedYAMLError):
    """Valid YAML that we refuse: over a size limit, or a tag that would build objects."""


@dataclass
class YamlDoc:
    """One parsed YAML file: its data and where each field path sits in the file."""

    path: Path
    display: str
    data: Any = None
    lines: dict[Loc, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    values_seen: int = 0

    def line_of(self, loc: Loc) -> int | None:
        """Return the line of ``loc``, or of its nearest enclosing field that has one."""
        for end in range(len(loc), -1, -1):
            line = self.lines.get(loc[:end])
            if line is not None:
                return line
        return None

    def problem(self, loc: Loc, code: str, message: str, severity: str = "error") -> Problem:
        """Build a problem located at ``loc`` in this file."""
        return Problem(self.display, self.line_of(loc), format_loc(loc), code, message,
                       severity)  # type: ignore[arg-type]


def format_loc(loc: Loc) -> str:
    """Format ``("packages", 1, "gtin")`` as ``packages[1].gtin``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


def load_yaml(path: Path, display: str) -> YamlDoc:
    """Read and parse ``path``; problems go into the returned document, never raised."""
    doc = YamlDoc(path, display)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        doc.problems.append(doc.problem((), "file-unreadable", t("file-unreadable", detail=exc.strerror)))
        return doc
    if len(raw) > MAX_FILE_BYTES:
        doc.problems.append(doc.problem((), "yaml-too-large",
                                        t("yaml-too-large", limit_kb=MAX_FILE_BYTES // 1024)))
        return doc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        doc.problems.append(doc.problem((), "file-unreadable", t("file-unreadable", detail=str(exc))))
        return doc
    fast: Any = None
    try:
        fast = _FastLoader(text)  # the reader refuses control characters already here
        node = fast.get_single_node()
        doc.data = {} if node is None else _convert(doc, node, (), fast)
        return doc
    except (yaml.YAMLError, RecursionError):
        doc.data, doc.lines, doc.problems, doc.values_seen = None, {}, [], 0
    finally:
        if fast is not None:
            fast.dispose()
    try:
        loader = _Loader(text)
    except yaml.YAMLError as exc:  # a control character: the reader names its position
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        position = getattr(exc, "position", None)
        line = mark.line + 1 if mark else text.count("\n", 0, position) + 1 if position is not None else None
        doc.problems.append(Problem(display, line, "", "yaml-syntax",
                                    t("yaml-syntax", column="?", detail=str(exc).splitlines()[0])))
        return doc
    try:
        node = loader.get_single_node()
        if node is None:
            doc.data = {}
            return doc
        doc.data = _convert(doc, node, (), loader)
    except _Unsupported as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        doc.problems.append(Problem(display, line, "", "yaml-unsupported",
                                    t("yaml-unsupported", detail=exc.problem)))
        doc.data = None
    except RecursionError:  # PyYAML's own parser recurses on deeply nested flow collections
        doc.problems.append(doc.problem((), "yaml-unsupported",
                                        t("yaml-unsupported", detail=f"> {MAX_DEPTH} levels")))
        doc.data = None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        detail = exc.problem or exc.context or "?"
        doc.problems.append(Problem(display, line, "", "yaml-syntax",
                                    t("yaml-syntax", column=column, detail=detail)))
        doc.data = None
    except yaml.YAMLError as exc:
        doc.problems.append(doc.problem((), "yaml-syntax",
                                        t("yaml-syntax", column="?", detail=str(exc))))
        doc.data = None
    finally:
        loader.dispose()
    return doc


def _convert(doc: YamlDoc, node: yaml.Node, loc: Loc, loader: Any) -> Any:
    """Turn a composed node into Python data, recording each value's line on the way."""
    doc.lines.setdefault(loc, node.start_mark.line + 1)
    doc.values_seen += 1
    if doc.values_seen > MAX_VALUES:
        raise _Unsupported(problem=f"more than {MAX_VALUES} values",
                                   problem_mark=node.start_mark)
    if len(loc) > MAX_DEPTH:
        raise _Unsupported(problem=f"nested more than {MAX_DEPTH} levels deep",
                                   problem_mark=node.start_mark)
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.tag not in _PLAIN_TAGS:
        raise _Unsupported(problem=f"tag {node.tag}", problem_mark=node.start_mark)
    if isinstance(node, yaml.MappingNode):
        repeated = _report_duplicates(doc, node, loc, loader)
        loader.flatten_mapping(node)  # "<<" merge keys first, so explicit keys override them
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node in repeated:
                continue  # reported; the first one stays
            if not isinstance(key_node, yaml.ScalarNode):
                raise yaml.MarkedYAMLError(problem="complex mapping key",
                                           problem_mark=key_node.start_mark)
            key = _scalar(key_node, loader)
            child = (*loc, key if isinstance(key, str) else str(key))
            doc.lines[child] = key_node.start_mark.line + 1
            out[key] = _convert(doc, value_node, child, loader)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_convert(doc, item, (*loc, i), loader) for i, item in enumerate(node.value)]
    try:
        return _scalar(node, loader)
    except (ValueError, TypeError, OverflowError):
        # e.g. "2026-02-30" looks like a date to YAML but is none: keep the text, so that the
        # schema reports it with its line in the user's words
        return _nfc(node.value)


def _report_duplicates(doc: YamlDoc, node: yaml.MappingNode, loc: Loc,
                       loader: Any) -> list[yaml.Node]:
    """Report keys written twice in one mapping (PyYAML silently keeps the last one).

    Returns the repeated key nodes, which the caller skips.
    """
    repeated: list[yaml.Node] = []
    first_line: dict[Any, int] = {}
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
            continue
        key = _scalar(key_node, loader)
        line = key_node.start_mark.line + 1
        if key in first_line:
            doc.problems.append(Problem(doc.display, line, format_loc((*loc, str(key))),
                                        "yaml-duplicate-key",
                                        t("yaml-duplicate-key", key=key, first_line=first_line[key])))
            repeated.append(key_node)
        else:
            first_line[key] = line
    return repeated


def _scalar(node: yaml.Node, loader: Any) -> Any:
    """A scalar's value; plain strings (most of a file) skip PyYAML's constructor machinery."""
    if node.tag == _STR:
        return _nfc(node.value)
    return _nfc(loader.construct_object(node))


_STR = "tag:yaml.org,2002:str"


def _nfc(value: Any) -> Any:
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value
