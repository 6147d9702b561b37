"""Editable dossiers: the HTML a dossier's PDF is rendered from, written as a Word document.

The DOCX is made from the very HTML WeasyPrint lays out (the plan's template and context,
rendered once in :func:`ocopdocs.workers.render_one`), so it carries the same wording as the
PDF and never a second copy of it. What a Vietnamese administrative document needs survives:

- the national heading (organisation and number | motto) and the signature block as
  two-column tables without borders, like the other two-column blocks of the templates;
- headings, paragraphs, lists (numbered as printed), tables with their spanned cells, captions;
- marked blanks (``<mark class="blank">``) highlighted yellow, flagged items pink, so they are
  found and filled in Word;
- Decree 30/2020 page: A4, margins 20/15/20/30 mm, Times New Roman 13 pt named for every
  script (``w:rFonts`` ascii, hAnsi, eastAsia, cs), so Word and LibreOffice pick it for
  Vietnamese; page numbers from page 2; the draft band of a document with gaps as its header.

Only :mod:`html.parser` of the standard library reads the HTML; the images it places are those
the template names as ``file:`` URIs inside the folders the plan allows (the mark sample).
The bytes are deterministic: fixed document dates and zip timestamps.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import docx
from docx.enum.section import WD_SECTION_START
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import BaseStyle
from docx.table import _Cell
from docx.text.paragraph import Paragraph

FONT = "Times New Roman"
"""The font of Vietnamese administrative documents (Decree 30/2020 App. I)."""
SIZE_PT = 13
MARGINS_MM = (20, 15, 20, 30)
"""Top, right, bottom, left, as ``templates/base/admin.css``."""
FIXED_DATE = datetime(2000, 1, 1)
"""Every date the file stores, so that the same HTML gives the same bytes."""
ZIP_TIME = (1980, 1, 1, 0, 0, 0)

TWO_COLUMNS = {"heading", "signature", "top", "mark-grid"}
SPLIT = {"heading": 0.42, "signature": 0.45}
"""The left column's share of the text width, as ``admin.css`` sets it (others: equal)."""
TEXT_WIDTH_MM = 210 - MARGINS_MM[1] - MARGINS_MM[3]
"""Blocks laid out side by side in the PDF: one borderless table column per child."""
CENTERED = {"heading", "sign", "to", "center", "motto", "cover", "sample-banner", "officer",
            "label-sample", "cover-title", "cover-org", "cover-product", "cover-line"}
BOLD = {"org", "motto-1", "motto-2", "role", "name", "sample-banner", "officer-title", "block-title"}
ITALIC = {"place-date", "how", "note", "basis", "officer-note"}
CAPS = {"org", "role"}
RIGHT = {"place-date", "right", "money"}
SKIPPED = {"head", "style", "script", "svg", "title", "template"}
BLOCKS = {"p", "div", "section", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "table",
          "figure", "figcaption", "caption", "header", "footer", "article", "blockquote", "dl", "dt",
          "dd", "body", "html", "main", "tr", "td", "th", "thead", "tbody", "tfoot"}
VOID = {"br", "img", "hr", "meta", "link", "input", "col", "wbr"}


@dataclass
class Node:
    """An element of the parsed HTML; text children are plain strings."""

    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        """Its ``class`` attribute as a set."""
        return set(self.attrs.get("class", "").split())

    def text(self) -> str:
        """Its text content (not that of skipped elements)."""
        return "".join(c if isinstance(c, str) else ("" if c.tag in SKIPPED else c.text())
                       for c in self.children)


class _Tree(HTMLParser):
    """Builds a :class:`Node` tree; forgiving about unclosed ``<p>`` and ``<li>``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        if tag in ("p", "li", "tr", "td", "th") and self.stack[-1].tag == tag:
            self.stack.pop()  # an implied end tag
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html: str) -> Node:
    """The HTML as a tree of :class:`Node`."""
    tree = _Tree()
    tree.feed(html)
    tree.close()
    return tree.root


@dataclass(frozen=True)
class Style:
    """Inherited formatting of paragraphs and runs."""

    bold: bool = False
    italic: bool = False
    caps: bool = False
    highlight: WD_COLOR_INDEX | None = None
    align: WD_ALIGN_PARAGRAPH | None = None
    size: float | None = None

    def with_classes(self, classes: set[str]) -> Style:
        """This style with what the element's classes add."""
        style = self
        if classes & BOLD:
            style = replace(style, bold=True)
        if classes & ITALIC:
            style = replace(style, italic=True)
        if classes & CAPS:
            style = replace(style, caps=True)
        if classes & CENTERED:
            style = replace(style, align=WD_ALIGN_PARAGRAPH.CENTER)
        if classes & RIGHT:
            style = replace(style, align=WD_ALIGN_PARAGRAPH.RIGHT)
        return style


Container = Any
"""A python-docx Document or table cell: anything with ``add_paragraph`` and ``add_table``."""
Resolver = Callable[[str], Path | None]
"""An image's ``src`` to a file the document may read, or None to leave it out."""


class _Writer:
    """Walks the tree and writes blocks into a container, inline content into paragraphs."""

    def __init__(self, container: Container, resolve: Resolver, *, first: Paragraph | None = None) -> None:
        self.container = container
        self.resolve = resolve
        self.paragraph: Paragraph | None = None
        self.unused = first
        """A paragraph the container already has (a new table cell's), used before adding one."""
        self.space = False
        """A collapsible space is pending in the current paragraph."""
        self.page_break = False

    # paragraphs -----------------------------------------------------------------------
    def new_paragraph(self, style: Style, word_style: str | None = None) -> Paragraph:
        if self.unused is not None:
            paragraph, self.unused = self.unused, None
            if word_style:
                paragraph.style = word_style
        else:
            paragraph = self.container.add_paragraph(style=word_style)
        if style.align is not None:
            paragraph.alignment = style.align
        if self.page_break:
            paragraph.paragraph_format.page_break_before = True
            self.page_break = False
        self.paragraph, self.space = paragraph, False
        return paragraph

    def end_paragraph(self) -> None:
        if self.paragraph is not None and self.paragraph.runs:
            last = self.paragraph.runs[-1]
            if last.text.endswith(" "):
                last.text = last.text.rstrip(" ")
        self.paragraph, self.space = None, False

    def text(self, data: str, style: Style) -> None:
        data = re.sub(r"[ \t\r\n\f]+", " ", data)
        if not data or (data == " " and self.paragraph is None):
            return
        if self.paragraph is None:
            self.new_paragraph(style)
            data = data.lstrip(" ")
        assert self.paragraph is not None
        if not self.paragraph.runs or self.paragraph.runs[-1].text.endswith((" ", "\n")):
            data = data.lstrip(" ")
        if not data:
            return
        run = self.paragraph.add_run(data)
        run.bold = style.bold or None
        run.italic = style.italic or None
        if style.caps:
            run.font.all_caps = True
        if style.highlight is not None:
            run.font.highlight_color = style.highlight
        if style.size is not None:
            run.font.size = Pt(style.size)

    # the walk ---------------------------------------------------------------------------
    def children(self, node: Node, style: Style) -> None:
        for child in node.children:
            if isinstance(child, str):
                self.text(child, style)
            else:
                self.element(child, style)

    def element(self, node: Node, style: Style) -> None:
        tag, classes = node.tag, node.classes
        if tag in SKIPPED:
            return
        style = style.with_classes(classes)
        if "new-page" in classes:
            self.end_paragraph()
            self.page_break = True
        if tag in ("b", "strong", "th"):
            style = replace(style, bold=True)
        if tag in ("i", "em", "cite", "caption", "figcaption"):
            style = replace(style, italic=True)
        if tag == "mark":
            colour = WD_COLOR_INDEX.PINK if "flag" in classes else WD_COLOR_INDEX.YELLOW
            style = replace(style, highlight=colour)
        if tag == "br":
            if self.paragraph is None:
                self.new_paragraph(style)
            assert self.paragraph is not None
            self.paragraph.add_run().add_break(WD_BREAK.LINE)
            return
        if tag == "img":
            self.image(node, style)
            return
        if tag not in BLOCKS:
            self.children(node, style)
            return
        self.end_paragraph()
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            level = int(tag[1])
            paragraph = self.new_paragraph(style, f"Heading {min(level, 3)}")
            if level == 1:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                style = replace(style, caps=True)
            self.children(node, style)
        elif tag == "table":
            self.table(node, style)
        elif classes & TWO_COLUMNS:
            self.columns(node, style)
        elif tag in ("ul", "ol"):
            index = 0
            for child in node.children:
                if isinstance(child, Node) and child.tag == "li":
                    index += 1
                    self.new_paragraph(style.with_classes(child.classes))
                    self.text(f"{index}. " if tag == "ol" else "• ", style)
                    self.children(child, style.with_classes(child.classes))
                    self.end_paragraph()
        else:
            self.children(node, style)
        self.end_paragraph()

    def image(self, node: Node, style: Style) -> None:
        path = self.resolve(node.attrs.get("src", ""))
        if path is None or path.suffix.lower() not in (".png", ".jpg", ".jpeg", ".gif", ".bmp"):
            return  # an SVG or anything out of bounds: the PDF has it, the DOCX leaves the box
        width = re.search(r"width:\s*([\d.]+)mm", node.attrs.get("style", ""))
        paragraph = self.paragraph or self.new_paragraph(replace(style, align=WD_ALIGN_PARAGRAPH.CENTER))
        paragraph.add_run().add_picture(str(path), width=Mm(float(width.group(1))) if width else Mm(60))

    def columns(self, node: Node, style: Style) -> None:
        """A block laid out side by side: a borderless table, one column per child element."""
        parts = [c for c in node.children if isinstance(c, Node) and c.tag not in SKIPPED]
        if not parts:
            return
        table = self.container.add_table(rows=1, cols=len(parts))
        _no_borders(table)
        share = next((SPLIT[c] for c in node.classes if c in SPLIT), None)
        equal = [1 / len(parts)] * len(parts)
        shares = [share, 1 - share] if share is not None and len(parts) == 2 else equal
        table.autofit = False
        for cell, part, fraction in zip(table.rows[0].cells, parts, shares, strict=True):
            cell.width = Mm(TEXT_WIDTH_MM * fraction)
            _Writer(cell, self.resolve, first=cell.paragraphs[0]).element(part, style)
        self.unused = None

    def table(self, node: Node, style: Style) -> None:
        caption = next((c for c in node.children if isinstance(c, Node) and c.tag == "caption"), None)
        if caption is not None:
            self.new_paragraph(replace(style, italic=True))
            self.children(caption, replace(style, italic=True))
            self.end_paragraph()
        rows = [r for r in _rows(node)]
        if not rows:
            return
        width = max(sum(_span(c, "colspan") for c in _cells(r)) for r in rows)
        if width == 0:
            return
        table = self.container.add_table(rows=len(rows), cols=width)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        taken: set[tuple[int, int]] = set()
        for y, row in enumerate(rows):
            x = 0
            for source in _cells(row):
                while (y, x) in taken:
                    x += 1
                if x >= width:
                    break
                across, down = _span(source, "colspan"), _span(source, "rowspan")
                right, bottom = min(x + across, width) - 1, min(y + down, len(rows)) - 1
                cell: _Cell = table.cell(y, x)
                if (right, bottom) != (x, y):
                    cell = cell.merge(table.cell(bottom, right))
                taken.update((yy, xx) for yy in range(y, bottom + 1) for xx in range(x, right + 1))
                cell_style = style.with_classes(source.classes)
                if source.tag == "th":
                    cell_style = replace(cell_style, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
                _Writer(cell, self.resolve, first=cell.paragraphs[0]).children(source, cell_style)
                x = right + 1
        self.unused = None


def _rows(table: Node) -> list[Node]:
    found: list[Node] = []
    for child in table.children:
        if isinstance(child, Node):
            if child.tag == "tr":
                found.append(child)
            elif child.tag in ("thead", "tbody", "tfoot"):
                found += [r for r in child.children if isinstance(r, Node) and r.tag == "tr"]
    return found


def _cells(row: Node) -> list[Node]:
    return [c for c in row.children if isinstance(c, Node) and c.tag in ("td", "th")]


def _span(cell: Node, attribute: str) -> int:
    value = cell.attrs.get(attribute, "1")
    return max(1, min(int(value), 50)) if value.isdigit() else 1


def _no_borders(table: Any) -> None:
    """Remove a table's borders (python-docx's default table has none, but say so for Word)."""
    properties = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    properties.append(borders)


def _font(style: BaseStyle, size: float, *, bold: bool | None = None) -> None:
    """Name Times New Roman for every script of a style, in black, at ``size`` pt."""
    font = style.font  # type: ignore[attr-defined]
    font.name, font.size, font.color.rgb = FONT, Pt(size), RGBColor(0, 0, 0)
    if bold is not None:
        font.bold = bold
    properties = style.element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        properties.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)


def _page_number(paragraph: Paragraph) -> None:
    """A PAGE field in ``paragraph``."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind is not None:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _draft_text(root: Node) -> str | None:
    """The draft band's words, from the ``@top-left`` rule the template prints for a draft."""
    for style in _find(root, "style"):
        found = re.search(r'@top-left\s*\{[^}]*content:\s*"([^"]+)"', style.text())
        if found:
            return found.group(1)
    return None


def _find(node: Node, tag: str) -> list[Node]:
    found = [node] if node.tag == tag else []
    for child in node.children:
        if isinstance(child, Node):
            found += _find(child, tag)
    return found


def html_to_docx(html: str, resolve: Resolver = lambda src: None, *, title: str = "") -> bytes:
    """The DOCX of a dossier's HTML (as rendered for its PDF).

    Args:
        html: The rendered template.
        resolve: Gives the file of an image's ``src`` when the document may read it.
        title: The document's title, stored in its properties.

    Returns:
        The DOCX bytes, the same for the same arguments.
    """
    root = parse(html)
    document = docx.Document()
    section = document.sections[0]
    section.start_type = WD_SECTION_START.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    top, right, bottom, left = MARGINS_MM
    section.top_margin, section.right_margin = Mm(top), Mm(right)
    section.bottom_margin, section.left_margin = Mm(bottom), Mm(left)
    section.header_distance = Mm(10)
    for name, size, bold in (("Normal", SIZE_PT, None), ("Heading 1", 14, True),
                             ("Heading 2", SIZE_PT, True), ("Heading 3", SIZE_PT, True),
                             ("Table Grid", 12, None), ("Header", SIZE_PT, None)):
        _font(document.styles[name], size, bold=bold)
    document.styles["Heading 3"].font.italic = True
    normal = document.styles["Normal"].paragraph_format
    normal.space_after, normal.line_spacing = Pt(2), 1.15
    # page numbers from page 2, as the PDF; the draft band on every page
    section.different_first_page_header_footer = True
    draft = _draft_text(root)
    for header in (section.header, section.first_page_header):
        if draft:
            band = header.paragraphs[0].add_run(draft)
            band.bold, band.font.color.rgb, band.font.size = True, RGBColor(0xB0, 0, 0), Pt(10)
    numbered = section.header.add_paragraph() if draft else section.header.paragraphs[0]
    numbered.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_number(numbered)
    properties = document.core_properties
    properties.title, properties.author, properties.last_modified_by = title, "ocopdocs", "ocopdocs"
    properties.created = properties.modified = FIXED_DATE
    properties.revision = 1
    body = next(iter(_find(root, "body")), root)
    first = document.paragraphs[0] if document.paragraphs else None
    _Writer(document, resolve, first=first).children(body, Style(align=None))
    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_zip(buffer.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with fixed timestamps, so that its bytes depend only on its contents."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info))
    return out.getvalue()


def file_resolver(roots: list[Path]) -> Resolver:
    """A resolver that allows ``file:`` URIs and relative paths inside ``roots`` only."""
    allowed = [r.resolve() for r in roots]

    def resolve(src: str) -> Path | None:
        parsed = urlparse(src)
        if parsed.scheme not in ("file", ""):
            return None
        path = Path(unquote(parsed.path)).resolve()
        inside = any(path.is_relative_to(root) for root in allowed)
        return path if inside and path.is_file() else None

    return resolve
