"""Predict, before any layout, the body size at which a label's text fills it, and its layout.

Laying out a label costs tens of milliseconds; arithmetic on its text costs microseconds. The
model counts lines: each paragraph takes ``ceil(characters × mean advance × size ÷ width)``
lines of ``line-height × size``; the head (name, brand, English name) and the codes (quantity,
dates, barcode, QR) take what their sizes give. The largest size whose height fits the room is
found by bisection. The renderer then lays the label out at that size and corrects it from the
measured layout (workers.fill), so the model only needs to land close.

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
HEAD_EXTRA_MM = 4.5
"""The head's rules, padding and margin (the band's, the frame's), about."""
BADGE_MM = 17.5
"""The OCOP badge's zone: 15 mm and its margin."""
SIDE_GAP_MM = 7.4
"""Between the text and the side column: margin, rule and padding (label.css)."""
QR_CAPTION = 1.5
"""The QR's caption and the space above it, in lines."""
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
    head = max(head, 16.0 if context["ocop_stars"] else 0.0, logo_height) + HEAD_EXTRA_MM
    for sentence in context["fixed_sentences"]:
        head += _lines(sentence, bold, 1.1 * s, width) * LINE * 1.1 * s + 1.0

    # the codes, and the text beside or above them
    sample = (LINE + 0.6) * s if context["sample"] else 0.0
    dates = [*context["dates"], f"Số lô: {context['lot']}"]
    if layout == "side":  # a float at the right; the text runs on under it at the full width
        if context["side_row"]:
            symbols = max(ean_height, qr + QR_CAPTION * LINE * s)
        else:
            symbols = ean_height + (2.5 + qr + QR_CAPTION * LINE * s if qr else 0.0)
        beside = LINE * s + quantity_line + (len(dates) * LINE + 1.2) * s + symbols + sample + 1
        narrow = width - float(context["side_column_mm"]) - SIDE_GAP_MM
    else:
        symbols = max(ean_height, qr + QR_CAPTION * LINE * s)
        beside, narrow = 0.0, width
        head += (0.8 * s + 1.6 + quantity_line + _lines(" ".join(dates), bold, s, width) * LINE * s
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
    if context["nutrition"]:
        info += (len(context["nutrition"]) + 1) * LINE * s * 1.1 + 0.9 * s
    return head + max(info, beside)


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
