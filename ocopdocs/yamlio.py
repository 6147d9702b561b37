"""Safe YAML reading that remembers where every value came from.

Only this module parses YAML. It returns plain Python data (all text normalised to NFC, because
decomposed Vietnamese misplaces stacked accents in some renderers) together with a map from
each field path to its 1-based line, so that a problem found later, by the schema or by a rule,
can point at the exact line a user has to edit.
"""

from __future__ import annotations

import ast
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem, printable
from .messages import os_error, t

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


def read_limited(path: Path, limit: int) -> bytes | tuple[str, dict[str, object]]:
    """The bytes of ``path``, or why it was not read: ``(message key, values)``.

    Only a regular file is read (a FIFO would block for ever, ``/dev/zero`` never ends), and
    its size is checked before a byte is read (a sparse 2 GB file is refused at once); at most
    ``limit`` + 1 bytes are ever read, in case the file grows meanwhile.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        return "file-unreadable", {"detail": os_error(exc)}
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return "file-not-regular", {}
        if info.st_size > limit:
            return "yaml-too-large", {"limit_kb": limit // 1024}
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, limit + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        raw = b"".join(chunks)
    except OSError as exc:
        return "file-unreadable", {"detail": os_error(exc)}
    finally:
        os.close(fd)
    if len(raw) > limit:
        return "yaml-too-large", {"limit_kb": limit // 1024}
    return raw


def load_yaml(path: Path, display: str) -> YamlDoc:
    """Read and parse ``path``; problems go into the returned document, never raised."""
    doc = YamlDoc(path, display)
    raw = read_limited(path, MAX_FILE_BYTES)
    if isinstance(raw, tuple):
        key, values = raw
        doc.problems.append(doc.problem((), key, t(key, **values)))
        return doc
    try:
        if _utf16(raw):
            raise UnicodeDecodeError("utf-8", raw, 0, 1, "UTF-16")
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        doc.problems.append(_not_utf8(display, raw, exc.start))
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
    loader: _Loader | None = None
    try:
        loader = _Loader(text)  # the pure-Python reader: its errors say where and what
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
    except yaml.YAMLError as exc:
        doc.problems.append(syntax_problem(display, exc, text))
        doc.data = None
    finally:
        if loader is not None:
            loader.dispose()
    return doc


def _utf16(raw: bytes) -> bool:
    """True for UTF-16 or UTF-32 text: a byte-order mark, or ASCII letters between NULs."""
    head = raw[:64]
    bom = head.startswith((b"\xff\xfe", b"\xfe\xff"))
    return bom or (len(head) >= 4 and head.count(b"\x00") * 3 >= len(head))


def _not_utf8(display: str, raw: bytes, start: int) -> Problem:
    """The file is not UTF-8: say so in words, where the first bad byte is, and how to fix it."""
    if _utf16(raw):
        return Problem(display, 1, "", "file-not-utf8", t("file-utf16"), hint=t("file-not-utf8-fix"))
    line_start = raw.rfind(b"\n", 0, start) + 1
    column = len(raw[line_start:start].decode("utf-8", "replace")) + 1
    return Problem(display, raw.count(b"\n", 0, start) + 1, "", "file-not-utf8",
                   t("file-not-utf8", column=column, byte=f"0x{raw[start]:02X}"),
                   hint=t("file-not-utf8-fix"))


# (pattern on the error's problem, on its context, kind): the first that matches says what went
# wrong, in the catalogue's words; the parser's English never reaches the user
_SYNTAX: tuple[tuple[str, str, str], ...] = (
    (r"unacceptable character", "", "control-char"),
    (r"found character '\\t' that cannot start", "", "tab"),
    (r"found character .* that cannot start", "", "bad-start"),
    (r"mapping values are not allowed", "", "colon-in-value"),
    (r"could not find expected ':'", "", "missing-colon"),
    (r"unknown escape|escape sequence", "", "escape"),
    (r"", r"quoted scalar", "quote"),
    (r"expected ',' or '\]'|expected ',' or '\}'|unclosed '\['", "", "flow"),
    (r"", r"flow (sequence|mapping)", "flow"),
    (r"alias|anchor|expected alphabetic or numeric", "", "alias"),
    (r"", r"alias|anchor", "alias"),
    (r"", r"directive", "directive"),
    (r"YAML document|YAML directive|duplicate tag handle", "", "directive"),
    (r"tag|constructor|URI", "", "tag"),
    (r"", r"\btag\b", "tag"),
    (r"document start|single document|another document|document separator", "", "documents"),
    (r"indentation indicator|chomping", "", "block-scalar"),
    (r"", r"block scalar", "block-scalar"),
    (r"expected the node content", "", "value-missing"),
    (r"complex mapping key|unhashable|mapping keys are not allowed", "", "complex-key"),
    (r"expected <block end>|entries are not allowed", "", "indent"),
    (r"", r"block (mapping|collection)", "indent"),
)
_SYNTAX_KEYS: dict[str, tuple[str, str]] = {
    "control-char": ("yaml-syntax-control-char", "yaml-syntax-control-char-fix"),
    "tab": ("yaml-syntax-tab", "yaml-syntax-tab-fix"),
    "bad-start": ("yaml-syntax-bad-start", "yaml-syntax-bad-start-fix"),
    "colon-in-value": ("yaml-syntax-colon-in-value", "yaml-syntax-colon-in-value-fix"),
    "missing-colon": ("yaml-syntax-missing-colon", "yaml-syntax-missing-colon-fix"),
    "escape": ("yaml-syntax-escape", "yaml-syntax-escape-fix"),
    "quote": ("yaml-syntax-quote", "yaml-syntax-quote-fix"),
    "flow": ("yaml-syntax-flow", "yaml-syntax-flow-fix"),
    "alias": ("yaml-syntax-alias", "yaml-syntax-alias-fix"),
    "tag": ("yaml-syntax-tag", "yaml-syntax-tag-fix"),
    "directive": ("yaml-syntax-directive", "yaml-syntax-directive-fix"),
    "documents": ("yaml-syntax-documents", "yaml-syntax-documents-fix"),
    "block-scalar": ("yaml-syntax-block-scalar", "yaml-syntax-block-scalar-fix"),
    "value-missing": ("yaml-syntax-value-missing", "yaml-syntax-value-missing-fix"),
    "complex-key": ("yaml-syntax-complex-key", "yaml-syntax-complex-key-fix"),
    "indent": ("yaml-syntax-indent", "yaml-syntax-indent-fix"),
}
_AT_START = {"quote", "missing-colon", "flow", "block-scalar"}
"""Kinds whose line is where the construct began (the opening quote or bracket): the line to edit."""


def syntax_kind(exc: yaml.YAMLError) -> str:
    """What kind of syntax error ``exc`` is (a key of the catalogue's ``yaml-syntax-…``), or ``other``."""
    problem = str(getattr(exc, "problem", None) or (exc if isinstance(exc, yaml.reader.ReaderError) else ""))
    context = str(getattr(exc, "context", None) or "")
    for on_problem, on_context, kind in _SYNTAX:
        if re.search(on_problem, problem) and re.search(on_context, context):  # "" matches anything
            return kind
    return "other"


def syntax_problem(display: str, exc: yaml.YAMLError, text: str) -> Problem:
    """A syntax error as a problem: what is wrong in words, where it began and ended, the fix."""
    kind = syntax_kind(exc)
    stop = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    begin = getattr(exc, "context_mark", None) or stop
    line: int | None
    column: int | None
    start_line: int | None
    start_column: int | None
    if isinstance(exc, yaml.reader.ReaderError):  # a character the reader refuses: its position
        before = text[:exc.position]
        line, column = before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1
        start_line, start_column = line, column
        found = f"U+{exc.character:04X}" if isinstance(exc.character, int) else repr(exc.character)
    else:
        line, column = (stop.line + 1, stop.column + 1) if stop else (None, None)
        start_line, start_column = (begin.line + 1, begin.column + 1) if begin else (line, column)
        found = _found(exc, kind)
    values = {"line": line, "column": column, "start_line": start_line, "start_column": start_column,
              "found": found, "bracket": _bracket(text, begin)}
    if kind == "other":
        return Problem(display, line, "", "yaml-syntax", t("yaml-syntax", column=column or "?"),
                       hint=t("yaml-syntax-fix"))
    message, hint = _SYNTAX_KEYS[kind]
    at = start_line if kind in _AT_START else line
    # str.format ignores the values a sentence does not name, so every kind gets them all
    return Problem(display, at, "", "yaml-syntax", t(message, **values), hint=t(hint))


def _found(exc: yaml.YAMLError, kind: str) -> str:
    """The character or tag the error is about, as the user wrote it (PyYAML quotes it with %r)."""
    problem = str(getattr(exc, "problem", "") or "")
    if kind == "tag":
        tag = re.search(r"(?:tag|handle) '([^']*)'", problem)
        return tag.group(1) if tag else "!"
    quoted = re.search(r"'(?:\\.|[^'\\])*'|\"(?:\\.|[^\"\\])*\"", problem)
    if quoted is None:
        return ""
    try:
        return str(ast.literal_eval(quoted.group(0)))
    except (ValueError, SyntaxError):
        return quoted.group(0)


def _bracket(text: str, mark: Any) -> str:
    """The bracket that opened a flow collection at ``mark``: ``[`` or ``{``."""
    if mark is not None and 0 <= mark.index < len(text) and text[mark.index] in "[{":
        return text[mark.index]
    return "["


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
            raw_key = _scalar(key_node, loader)
            key = printable(raw_key) if isinstance(raw_key, str) else raw_key
            child = (*loc, key if isinstance(key, str) else str(key))
            doc.lines[child] = key_node.start_mark.line + 1
            _check_visible(doc, raw_key, child)
            out[key] = _convert(doc, value_node, child, loader)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_convert(doc, item, (*loc, i), loader) for i, item in enumerate(node.value)]
    value = _scalar(node, loader)
    _check_visible(doc, value, loc)
    return printable(value) if isinstance(value, str) else value  # reported above; never written out


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
    try:
        return _nfc(loader.construct_object(node))
    except (ValueError, TypeError, OverflowError):
        # e.g. "2026-02-30" looks like a date to YAML but is none: keep the text, so that the
        # schema reports it with its line in the user's words (and forget the failed attempt,
        # or PyYAML takes a second look at the node for a recursive one)
        loader.recursive_objects.pop(node, None)
        return _nfc(node.value)


_UNUSUAL = re.compile(r"[^\t\n\r\x20-\x7e\xa0-\xac\xae-\u024f\u0300-\u034e\u0350-\u036f\u1e00-\u1eff"
                      r"\u2010-\u2027\u2030-\u205e]")
"""Characters outside the blocks Vietnamese and English text use: looked at one by one."""
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"}
"""Controls, format characters (zero-width, bidirectional overrides, soft hyphen), private use,
surrogates, unassigned code points, line and paragraph separators."""
_INVISIBLE_OTHERS = {0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180B, 0x180C, 0x180D, 0x180F, 0x2800,
                     0x3164, 0xFFA0, *range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)}
"""Letters and marks that print as nothing: fillers, variation selectors, the braille blank."""


def invisible(char: str) -> bool:
    """True for a character that prints as nothing or reorders text: never wanted in a document."""
    code = ord(char)
    return (unicodedata.category(char) in _INVISIBLE_CATEGORIES or code in _INVISIBLE_OTHERS
            or (code & 0xFFFE) == 0xFFFE or 0xFDD0 <= code <= 0xFDEF) and char not in "\t\n\r"


def _check_visible(doc: YamlDoc, value: Any, loc: Loc) -> None:
    """Report the first invisible or bidirectional control character of a text, with its field.

    A zero-width space or a right-to-left override passes every check on the text, then is
    missing from the printed page (or reorders it): it is refused where it is read.
    """
    if not isinstance(value, str):
        return
    for match in _UNUSUAL.finditer(value):
        char = match.group()
        if invisible(char):
            name = unicodedata.name(char, "")
            problem = doc.problem(loc, "text-invisible-char", t(
                "text-invisible-char", char=f"U+{ord(char):04X}" + (f" {name}" if name else ""),
                position=match.start() + 1))
            doc.problems.append(replace(problem, hint=t("text-invisible-char-fix")))
            return


_STR = "tag:yaml.org,2002:str"


def _nfc(value: Any) -> Any:
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value
