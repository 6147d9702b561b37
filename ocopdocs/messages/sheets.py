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
    "serve-lang": "vi",
    "serve-title": "Xem trước nhãn và hồ sơ",
    "serve-listening": "Trang xem trước: {url} (chỉ mở được trên máy này; tài liệu xem trước ở {folder}). Nhấn Ctrl-C để dừng.",
    "serve-no-products": "Chưa có sản phẩm nào trong {folder}; hãy chạy “ocopdocs new producer” rồi “ocopdocs new product”.",
    "serve-not-loaded": "(tệp có lỗi)",
    "serve-back": "← Mọi sản phẩm",
    "serve-built": "Dựng lúc {time} trong {seconds} giây; trang tự cập nhật khi bạn lưu tệp.",
    "serve-has-errors": "Tệp sản phẩm hoặc tệp tổ chức có lỗi nên nhãn chưa được dựng lại. Sửa các lỗi bên cạnh rồi lưu: trang tự cập nhật.",
    "serve-labels": "Nhãn",
    "serve-no-labels": "Chưa có nhãn nào được dựng.",
    "serve-problems": "Vấn đề",
    "serve-no-problems": "Không có vấn đề nào.",
    "serve-documents": "Tài liệu khác",
    "serve-pending": "Đang dựng lại các tài liệu này…",
    "serve-not-found": "Không có trang này.",
    "serve-port-busy": "Không mở được cổng {port} trên 127.0.0.1 ({detail}); có thể một “ocopdocs serve” khác đang chạy. Thử --port với số khác.",
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
    "serve-lang": "en",
    "serve-title": "Preview of labels and dossiers",
    "serve-listening": "Preview page: {url} (opens on this machine only; preview documents in {folder}). Press Ctrl-C to stop.",
    "serve-no-products": "There are no products in {folder} yet; run “ocopdocs new producer”, then “ocopdocs new product”.",
    "serve-not-loaded": "(file has errors)",
    "serve-back": "← All products",
    "serve-built": "Built at {time} in {seconds} s; the page updates itself when you save a file.",
    "serve-has-errors": "The product file or the producer file has errors, so the label was not built again. Fix the problems listed beside and save: the page updates itself.",
    "serve-labels": "Labels",
    "serve-no-labels": "No label has been built.",
    "serve-problems": "Problems",
    "serve-no-problems": "No problems.",
    "serve-documents": "Other documents",
    "serve-pending": "These documents are being built again…",
    "serve-not-found": "There is no such page.",
    "serve-port-busy": "Could not open port {port} on 127.0.0.1 ({detail}); another “ocopdocs serve” may be running. Try --port with another number.",
    "sheet-no-file": "Name the spreadsheet: ocopdocs import FILE.xlsx (or --template template.xlsx for the template).",
}
