"""Messages about reading files: YAML syntax and size, unreadable files, producer files, file names."""

from __future__ import annotations

from typing import Final

VI: Final[dict[str, str]] = {
    "yaml-syntax": "Tệp viết sai cú pháp YAML ở cột {column} của dòng này: {detail}.",
    "yaml-duplicate-key": "Trường “{key}” được khai hai lần (lần đầu ở dòng {first_line}); hãy giữ một.",
    "yaml-not-mapping": "Tệp phải là một nhóm các dòng “tên: giá trị”.",
    "yaml-too-large": "Tệp lớn hơn {limit_kb} KB, quá lớn cho một tệp khai báo; ocopdocs không đọc nó.",
    "yaml-unsupported": "Tệp dùng cấu trúc YAML không được hỗ trợ ({detail}); hãy viết giá trị trực tiếp.",
    "file-unreadable": "Không đọc được tệp: {detail}.",
    "producer-missing": "Thư mục {folder} không có tệp producer.yaml khai thông tin tổ chức, nên sản phẩm này không được dựng.",
    "producer-invalid": "Tệp {file} của tổ chức có lỗi (xem các dòng khác), nên sản phẩm này chưa được dựng.",
    "law-data-invalid": "{file}:{line}: {field}: dữ liệu pháp lý không hợp lệ ({detail}); hãy sửa tệp này.",
    "file-name": "Tên “{name}” chỉ được gồm chữ thường không dấu, chữ số và dấu gạch ngang, vì nó thành tên tệp kết quả.",
}

EN: Final[dict[str, str]] = {
    "yaml-syntax": "The file is not valid YAML at column {column} of this line: {detail}.",
    "yaml-duplicate-key": "The field “{key}” is given twice (first at line {first_line}); keep one.",
    "yaml-not-mapping": "The file must be a set of “name: value” lines.",
    "yaml-too-large": "The file is larger than {limit_kb} KB, too large for a description; ocopdocs does not read it.",
    "yaml-unsupported": "The file uses a YAML feature that is not supported ({detail}); write the value out.",
    "file-unreadable": "The file could not be read: {detail}.",
    "producer-missing": "The folder {folder} has no producer.yaml describing the organisation, so this product was not built.",
    "producer-invalid": "The organisation's file {file} has errors (see the other lines), so this product was not built.",
    "law-data-invalid": "{file}:{line}: {field}: the legal data is not valid ({detail}); correct this file.",
    "file-name": "The name “{name}” may only use unaccented lower-case letters, digits and hyphens, because it becomes an output file name.",
}
