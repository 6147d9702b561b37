"""Predict, before any layout, the body size at which a label's text fills it, and its layout.

Laying out a label costs tens of milliseconds; arithmetic on its text costs microseconds. The
model counts lines: each paragraph takes ``ceil(characters × mean advance × size ÷ width)``
lines of ``line-height × size``; the head (name, brand, English name) and the codes (quantity,
dates, barcode, QR) take what their sizes give, block by block as label.css lays them out
(rules, paddings and margins included: a miss of 1 mm is about 0.1 pt). The largest size whose
height fits the room is found by bisection. The renderer lays the label out at that size and
corrects it from the measured layout (workers.fill); where the model lands within the step that
is not worth a second layout, the first layout is the last.

With the codes beside the text (``side``, a float) the text is narrower until it passes them;
below it (``stacked``) the text is wider but shorter. Both are predicted and the larger type wins:
landscape labels get the two columns where that gives larger type.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from .. import gs1
from ..domain.design import Look

LINE = 1.22
"""Line height of the body text, as a share of its size (label.css)."""
PARAGRAPH_GAP = 0.55
"""Space after a paragraph, in ems (label.css ``.info p``)."""
RAGGED = 0.95
"""Share of a line's width that wrapped text fills, on average."""
HEAD_EXTRA_MM = {"band": 4.6, "classic": 3.0, "minimal": 2.9}
"""Below the head, by theme: its padding, rule and margin (label.css ``.theme-* .head``)."""
HEAD_EXTRA_DEFAULT_MM = 4.6
"""Below the head of a theme not listed: the largest, so that the prediction errs small."""
BADGE_MM = 17.5
"""The OCOP badge's zone across: 15 mm and its margin."""
BADGE_HEIGHT_MM = 16.0
"""The OCOP badge's zone down: 15 mm and its margin; the head is never shorter."""
FIXED_EXTRA_MM = 3.0
"""Around the fixed sentences: the first one's frame (rule, padding, margin) and the block's margin."""
SIDE_GAP_MM = 7.4
"""Between the text and the side column: margin, rule and padding (label.css)."""
SIDE_MARGIN_MM = 1.0
"""Below the side column (label.css)."""
QTY_LINE = 1.05
"""Line height of the quantity, as a share of its size (label.css ``.qty``)."""
FIGURE_GAP_MM = 2.5
"""Below each symbol stacked in the side column (label.css)."""
ROW_GAP_MM = 4.0
"""Between the EAN-13 and the QR side by side (label.css), with the space between them, about."""
QR_CAPTION = "Truy xuất nguồn gốc"
"""The QR's caption (body.html): its width sets the QR figure's when wider than the QR."""
SAMPLE = "Dữ liệu mẫu – không dùng để in bao bì thật"
"""The sample-data note at the foot of the codes (body.html)."""
SAMPLE_ADVANCE = 0.955
"""The note's mean advance as a share of the font's: italic, and many narrow letters (measured)."""
PT_MM = 25.4 / 72


def choose(context: dict[str, Any], look: Look, smallest: Decimal,
           largest: Decimal) -> tuple[tuple[str, Decimal], ...]:
    """The layouts allowed, each with its predicted size in pt, the largest type first.

    Among equals (both at the smallest size) the one predicted shorter comes first, then the
    theme's order.
    """
    layouts = look.theme.layouts if look.layout == "auto" else [look.layout]
    ranked = sorted((-predict(context, look, layout, float(smallest), float(largest)),
                     _height(context, look, layout, float(smallest)), index, layout)
                    for index, layout in enumerate(layouts))  # at the smallest size: the shorter first
    return tuple((layout, Decimal(str(-size))) for size, _, _, layout in ranked)


def predict(context: dict[str, Any], look: Look, layout: str, smallest: float, largest: float) -> float:
    """The largest body size (pt, to 0.1) in [smallest, largest] whose predicted height fits."""
    room = float(context["page"]["height_mm"]) - 2 * float(context["design"]["padding_mm"])
    if _height(context, look, layout, largest) <= room:
        return largest
    low, high = smallest, largest
    for _ in range(12):
        middle = (low + high) / 2
        if _height(context, look, layout, middle) <= room:
            low = middle
        else:
            high = middle
    return math.floor(low * 10) / 10


def _lines(text: str, advance: float, size_mm: float, width_mm: float) -> int:
    return max(1, math.ceil(len(text) * advance * size_mm / (width_mm * RAGGED))) if width_mm > 0 else 99


def _height(context: dict[str, Any], look: Look, layout: str, body_pt: float) -> float:
    """The label's content height in mm at ``body_pt``, predicted."""
    blocks = parts(context, look, layout, body_pt)
    # the content ends at the last line or symbol: below the column, its margins do not count
    beside = blocks["beside"] - blocks["beside_trail"]
    return blocks["head"] + blocks["fixed"] + blocks["codes"] + max(blocks["info"], beside)


def parts(context: dict[str, Any], look: Look, layout: str, body_pt: float) -> dict[str, float]:
    """The predicted heights in mm of the label's blocks at ``body_pt``.

    ``head``, ``fixed`` (the fixed sentences), ``codes`` (below the text: stacked), ``beside``
    (the codes' column: side, with its margins; ``beside_trail`` of them below its last line)
    and ``info`` (the text).
    """
    d, sizes = context["design"], context["sizes"]
    s = body_pt * PT_MM
    regular, bold = float(look.font.advance), float(look.font.bold_advance)
    width = (float(context["page"]["width_mm"]) - 2 * float(d["padding_mm"]) - float(d["side_bar_mm"]))
    magnification = context["magnification"]
    ean_height = 26.15 * float(magnification) if context["gtin"] else 0.0
    link = context["digital_link"]
    qr = float(gs1.qr_module_count(link) * context["qr_module_mm"]) if link else 0.0
    quantity_mm = max(float(sizes["quantity_font_mm"]), s * float(d["quantity_scale"]))
    quantity_line = max(quantity_mm * 1.05, LINE * s)

    # the head: brand, name and English name beside the badge and the logo
    name_mm = max(float(sizes["name_font_mm"]), s * float(d["name_scale"]))
    beside = width - (BADGE_MM if context["ocop_stars"] else 0.0)
    logo_height = 0.0
    if d["logo"]:
        logo = d["logo"]
        logo_height = min(max(float(logo["height_mm"]), name_mm * float(context["logo_scale"])),
                          float(logo["max_width_mm"] / logo["ratio"]))
        beside -= logo_height * float(logo["ratio"]) + 2.5
        logo_height += 1
    head = _lines(context["name_vi"], bold, name_mm, beside) * 1.08 * name_mm
    if context["brand"]:
        head += LINE * s
    if context["name_en"]:
        english = name_mm * float(context["name_en_share"])
        head += _lines(context["name_en"], regular, english, beside) * 1.15 * english
    head = (max(head, BADGE_HEIGHT_MM if context["ocop_stars"] else 0.0, logo_height)
            + HEAD_EXTRA_MM.get(d["theme"], HEAD_EXTRA_DEFAULT_MM))
    sentences = context["fixed_sentences"]
    fixed = sum(_lines(sentence, bold, 1.1 * s, width) * LINE * 1.1 * s for sentence in sentences)
    fixed += FIXED_EXTRA_MM if sentences else 0.0

    # the codes, and the text beside or above them
    sample = (LINE + 0.6) * s if context["sample"] else 0.0
    dates = [*context["dates"], f"Số lô: {context['lot']}"]
    codes = beside_trail = 0.0
    if layout == "side":  # a float at the right; the text runs on under it at the full width
        beside, beside_trail = _side_column(context, look, s, quantity_mm, symbols=(ean_height, qr))
        narrow = width - float(context["side_column_mm"]) - SIDE_GAP_MM
    else:
        symbols = max(ean_height, qr + 1.5 * LINE * s)
        beside, narrow = 0.0, width
        codes = (0.8 * s + 1.6 + quantity_line + _lines(" ".join(dates), bold, s, width) * LINE * s
                 + 1.2 * s + symbols + sample)
    info, line = 0.0, LINE * s
    for text, advance in _paragraphs(context, regular, bold):
        lines = _lines(text, advance, s, width)
        if info < beside:  # beside the codes, then, past them, at the full width
            narrow_lines = _lines(text, advance, s, narrow)
            room = math.ceil((beside - info) / line)
            if narrow_lines <= room:
                lines = narrow_lines
            else:
                left = len(text) - room * narrow * RAGGED / (advance * s)
                lines = room + _lines("x" * max(1, round(left)), advance, s, width)
        info += lines * line + PARAGRAPH_GAP * s
    info -= PARAGRAPH_GAP * s  # the last paragraph has no space after it
    if context["nutrition"]:
        info += (len(context["nutrition"]) + 1) * LINE * s * 1.1 + 0.9 * s
    return {"head": head, "fixed": fixed, "codes": codes, "beside": beside, "beside_trail": beside_trail,
            "info": info}


def _side_column(context: dict[str, Any], look: Look, s: float, quantity_mm: float, *,
                 symbols: tuple[float, float]) -> tuple[float, float]:
    """The codes' column beside the text (label.css ``.layout-side``), in mm.

    Returns its height with its margins, and how much of them is below its last line or symbol.
    ``symbols`` are the EAN-13's and the QR's heights (0 for one not printed).
    """
    ean_height, qr = symbols
    column = float(context["side_column_mm"])
    regular, bold = float(look.font.advance), float(look.font.bold_advance)
    # the quantity's word on a line of its own, then the figures and a multipack's detail
    figures = len(context["quantity"]) * bold * quantity_mm
    height = QTY_LINE * s + max(QTY_LINE * quantity_mm, QTY_LINE * s)
    multipack = context["multipack"]
    if multipack and figures + len(multipack) * regular * s > column * RAGGED:  # the detail wraps
        height += _lines(multipack, regular, s, column) * LINE * s
    height += (len(context["dates"]) + 1) * LINE * s + 1.2 * s  # each date and the lot on a line
    caption = LINE * s
    if context["side_row"] and ean_height and qr:  # side by side, unless the caption makes the QR too wide
        qr_width = max(qr, len(QR_CAPTION) * regular * s)
        ean_width = float(gs1.ean13_width_mm(context["magnification"]))
        in_a_row = ean_width + ROW_GAP_MM + 0.3 * s + qr_width <= column
        height += max(ean_height, qr + caption) if in_a_row else ean_height + qr + caption
        note_gap, trail = 0.6 * s, 0.0  # the note's margin: the symbols in a row have none
    elif ean_height or qr:  # one below the other, each with its margin, into which the note's collapses
        height += ean_height + FIGURE_GAP_MM if ean_height else 0.0
        height += qr + caption + FIGURE_GAP_MM if qr else 0.0
        note_gap, trail = 0.0, FIGURE_GAP_MM
    else:  # the dates' margin, into which the note's collapses
        note_gap, trail = 0.0, 0.7 * s
    if context["sample"]:
        advance = regular * SAMPLE_ADVANCE
        note_lines = 1 if len(SAMPLE) * advance * s <= column else _lines(SAMPLE, advance, s, column)
        height += note_lines * LINE * s + note_gap
        trail = 0.0
    return height + SIDE_MARGIN_MM, trail + SIDE_MARGIN_MM


def _paragraphs(context: dict[str, Any], regular: float, bold: float) -> list[tuple[str, float]]:
    """The info block's paragraphs as printed (about), each with its mean advance."""
    texts: list[str] = []
    if context["ingredients"]:
        texts.append(f"Thành phần: {context['ingredients']} {context['excipients'] or ''}")
    texts += [f"Độ cồn: {context['ethanol']}"] if context["ethanol"] else []
    claims = [str(claim) for claim in context["claims"]]
    if context["allergens"]:
        texts.append("Chất gây dị ứng: " + ", ".join(context["allergens"]))
    supplement = context["health_supplement"]
    if supplement:
        texts += [f"Công dụng: {supplement['uses']}", f"Đối tượng sử dụng: {supplement['target_users']}",
                  f"Cách dùng: {supplement['dosage']}"]
        texts += [f"Khuyến cáo: {supplement['risk_advisory']}"] if supplement["risk_advisory"] else []
    for key, heading in (("usage", "Hướng dẫn sử dụng"), ("storage", "Bảo quản")):
        if context[key]:
            texts.append(f"{heading}: {context[key]}")
    if context["warnings"]:
        texts.append("Cảnh báo: " + " ".join(context["warnings"]))
    if context["applied_standard"]:
        texts.append(f"Tiêu chuẩn áp dụng: {context['applied_standard']}")
    member = f" (thành viên {context['member_of']})" if context["member_of"] else ""
    texts += [f"Chịu trách nhiệm về hàng hóa: {context['responsible']}{member}",
              f"Địa chỉ sản xuất: {context['site_address']}"]
    if context["phone"] or context["website"]:
        texts.append(f"ĐT: {context['phone'] or ''} – {context['website'] or ''}")
    # headings are bold: about a fifth of a paragraph's characters
    mixed = regular * 0.8 + bold * 0.2
    return ([(text, mixed) for text in texts] + [(claim, bold) for claim in claims]
            + [(context["origin"], bold)])
