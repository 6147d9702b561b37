"""Spreadsheet messages: ``ocopdocs import`` and ``export``."""

from __future__ import annotations

from typing import Final

VI: Final[dict[str, str]] = {
    "sheet-note-producer": "Thư mục tổ chức trong products/, đã tạo bằng “ocopdocs new producer”. Ví dụ: htx-nam-mau",
    "sheet-note-file": "Tên tệp sản phẩm, chữ thường không dấu; để trống thì lấy từ tên sản phẩm. Mỗi quy cách đóng gói một dòng, cùng tên tệp. Ví dụ: mang-kho",
    "sheet-problem": "Bảng {sheet}, dòng {row}, cột {column}: {message}",
    "sheet-headers": "Dòng đầu của {file} phải là các tiêu đề: {headers}. Hãy bắt đầu từ bảng mẫu: ocopdocs import --template mau.xlsx",
    "sheet-exists": "Đã có tệp {path}; thêm --update để cập nhật các trường có trong bảng (giữ nguyên chú thích).",
    "sheet-header": "Tạo từ bảng tính {file} bằng “ocopdocs import”.",
    "sheet-exported": "Đã ghi {rows} dòng vào {path}.",
    "serve-not-yet": "Trang xem trước (ocopdocs serve) chưa có trong bản này; hãy chạy ocopdocs build rồi mở output/index.html.",
    "sheet-no-file": "Hãy cho biết tệp bảng tính: ocopdocs import TỆP.xlsx (hoặc --template mau.xlsx để lấy bảng mẫu).",
}

EN: Final[dict[str, str]] = {
    "sheet-note-producer": "The producer's folder in products/, made with “ocopdocs new producer”. Example: htx-nam-mau",
    "sheet-note-file": "The product file's name, lower case without accents; empty: from the product name. One row per packaging variant, same file name. Example: mang-kho",
    "sheet-problem": "Sheet {sheet}, row {row}, column {column}: {message}",
    "sheet-headers": "The first row of {file} must hold the headers: {headers}. Start from the template: ocopdocs import --template template.xlsx",
    "sheet-exists": "The file {path} exists; add --update to change the fields the sheet holds (comments are kept).",
    "sheet-header": "Made from the spreadsheet {file} by “ocopdocs import”.",
    "sheet-exported": "Wrote {rows:# row|# rows} to {path}.",
    "serve-not-yet": "The live preview (ocopdocs serve) is not in this version yet; run ocopdocs build and open output/index.html.",
    "sheet-no-file": "Name the spreadsheet: ocopdocs import FILE.xlsx (or --template template.xlsx for the template).",
}
