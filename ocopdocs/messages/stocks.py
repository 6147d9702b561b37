"""Label stock messages: the A4 sheets labels and stamps are printed on, and their geometry."""

from __future__ import annotations

from typing import Final

VI: Final[dict[str, str]] = {
    "stock-uncut-grid": "Giấy chưa cắt sẵn (không có “label”) không ghi columns, rows, top_mm hay left_mm: ocopdocs tự xếp nhãn theo cỡ nhãn của sản phẩm. Giấy đã cắt sẵn thì ghi thêm label với width_mm và height_mm của một nhãn.",
    "stock-uncut-margin": "Giấy chưa cắt sẵn cần margin_mm: lề để trống quanh tờ (máy in không in được sát mép 4–5 mm), ví dụ margin_mm: 5.",
    "stock-cut-grid": "Giấy đã cắt sẵn cần đủ label, columns, rows, top_mm và left_mm (đo trên tờ giấy: mép trên đến hàng nhãn đầu, mép trái đến cột nhãn đầu).",
    "stock-cut-margin": "margin_mm chỉ dùng cho giấy chưa cắt sẵn; giấy đã cắt sẵn ghi top_mm và left_mm.",
    "stock-too-wide": "Các nhãn kéo dài tới {right} mm tính từ mép trái, quá khổ tờ giấy rộng {width} mm: kiểm tra lại left_mm, label.width_mm, columns và gutter_mm.x.",
    "stock-too-tall": "Các nhãn kéo dài tới {bottom} mm tính từ mép trên, quá khổ tờ giấy cao {height} mm: kiểm tra lại top_mm, label.height_mm, rows và gutter_mm.y.",
    "stock-duplicate": "Loại giấy “{id}” được khai báo hai lần; mỗi loại giấy cần một mã riêng.",
    "stock-shipped-id": "Mã “{id}” đã là một loại giấy có sẵn của ocopdocs; hãy đặt mã khác cho giấy của tổ chức.",
    "stock-label-too-big": "Nhãn {width} × {height} mm không vừa ô {cell_width} × {cell_height} mm của giấy {stock}.",
    "stock-label-too-big-sheet": "Nhãn {width} × {height} mm không vừa phần in được {usable_width} × {usable_height} mm của giấy {stock}.",
    "stock-fitting": "Các loại giấy vừa nhãn này: {stocks}.",
    "stock-fitting-none": "Không loại giấy nào có sẵn vừa nhãn này; hãy khai báo giấy của tổ chức trong producer.yaml (label_stocks).",
    "stock-unknown": "Không có loại giấy “{stock}”; các loại có: {stocks}.",
    "sheet-size-unknown": "Sản phẩm không có quy cách “{size}” để in thành tờ; các quy cách có: {sizes}.",
}

EN: Final[dict[str, str]] = {
    "stock-uncut-grid": "An uncut sheet (no “label”) takes no columns, rows, top_mm or left_mm: ocopdocs places the labels by the product's label size. For a die-cut sheet also give label, with the width_mm and height_mm of one label.",
    "stock-uncut-margin": "An uncut sheet needs margin_mm, the edge left blank all round (printers cannot print their last 4–5 mm), e.g. margin_mm: 5.",
    "stock-cut-grid": "A die-cut sheet needs label, columns, rows, top_mm and left_mm (measured on the sheet: top edge to the first row, left edge to the first column).",
    "stock-cut-margin": "margin_mm is for uncut sheets only; a die-cut sheet gives top_mm and left_mm.",
    "stock-too-wide": "The labels reach {right} mm from the left edge, past the sheet's width of {width} mm: check left_mm, label.width_mm, columns and gutter_mm.x.",
    "stock-too-tall": "The labels reach {bottom} mm from the top edge, past the sheet's height of {height} mm: check top_mm, label.height_mm, rows and gutter_mm.y.",
    "stock-duplicate": "The stock “{id}” is declared twice; each stock needs an id of its own.",
    "stock-shipped-id": "“{id}” is already a stock that ocopdocs ships; give your own sheet another id.",
    "stock-label-too-big": "A label of {width} × {height} mm does not fit the {cell_width} × {cell_height} mm cell of the stock {stock}.",
    "stock-label-too-big-sheet": "A label of {width} × {height} mm does not fit the printable {usable_width} × {usable_height} mm of the stock {stock}.",
    "stock-fitting": "The stocks this label fits: {stocks}.",
    "stock-fitting-none": "No shipped stock takes this label; describe your own sheet in producer.yaml (label_stocks).",
    "stock-unknown": "There is no stock “{stock}”; the stocks are: {stocks}.",
    "sheet-size-unknown": "The product has no packaging variant “{size}” to put on sheets; its variants are: {sizes}.",
}
