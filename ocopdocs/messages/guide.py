"""Field-guide and scaffold messages: the reference page, JSON Schema texts, ``ocopdocs new``."""

from __future__ import annotations

from typing import Final

VI: Final[dict[str, str]] = {
    "guide-example": "Ví dụ: {example}",
    "guide-title": "Hướng dẫn các trường dữ liệu",
    "guide-intro": "Trang này được tạo từ lược đồ của ocopdocs (`ocopdocs schema --markdown`), cùng nguồn với gợi ý trong VS Code và thông báo lỗi. Mỗi bảng là một mục; cột “Ví dụ” viết đúng như trong tệp YAML. Ngày viết 15/09/2026 hoặc 2026-09-15.",
    "guide-see-above": "Xem mục cùng tên ở trên.",
    "guide-col-field": "Trường",
    "guide-col-required": "Bắt buộc",
    "guide-col-meaning": "Ý nghĩa",
    "guide-col-example": "Ví dụ",
    "guide-choices": "Giá trị: {choices}.",
    "guide-see": "Các trường con: xem mục {model}.",
    "guide-yes": "có",
    "guide-written": "Đã ghi {path}",
}

EN: Final[dict[str, str]] = {
    "guide-example": "Example: {example}",
    "guide-title": "The data fields",
    "guide-intro": "This page is generated from ocopdocs's schema (`ocopdocs schema --markdown`), the same source as the completion in VS Code and the error messages. Each table is one section; the “Example” column is written as in the YAML file. Dates are written 15/09/2026 or 2026-09-15.",
    "guide-see-above": "See the section of the same name above.",
    "guide-col-field": "Field",
    "guide-col-required": "Required",
    "guide-col-meaning": "Meaning",
    "guide-col-example": "Example",
    "guide-choices": "Values: {choices}.",
    "guide-see": "Its fields: see {model}.",
    "guide-yes": "yes",
    "guide-written": "Wrote {path}",
}
