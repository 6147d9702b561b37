"""Schema validation messages: the generic ones (types, formats, limits) and our own field checks.

GTIN, quantity and OCOP checks live with their areas (:mod:`.label`, :mod:`.ocop`).
"""

from __future__ import annotations

from typing import Final

VI: Final[dict[str, str]] = {
    # --- generic: types, formats, limits ---
    "slug-format": "Chỉ dùng chữ thường không dấu, chữ số và dấu gạch ngang (tối đa 40 ký tự); đang là “{value}”.",
    "abbreviation-format": "Tên viết tắt chỉ gồm chữ in hoa không dấu, chữ số và dấu gạch ngang (tối đa 12 ký tự); đang là “{value}”.",
    "registration-format": "Mã số đăng ký “{value}” không theo dạng nào ocopdocs biết; các dạng đã biết: {known}.",
    "registration-format-known": "{name}, ví dụ {example}",
    "hint-registration-format": "Chép đúng mã số trên giấy chứng nhận đăng ký; nếu đúng là dạng khác, cứ giữ nguyên (đây chỉ là cảnh báo).",
    "id-number-format": "Số định danh cá nhân gồm 9 đến 12 chữ số; đang là “{value}”.",
    "ins-format": "Mã INS viết dạng “202” hoặc “470(iii)”; đang là “{value}”.",
    "missing-field": "Thiếu trường bắt buộc này.",
    "unknown-field-suggest": "Không có trường nào tên “{key}”; có phải bạn định viết “{suggestion}”?",
    "unknown-field": "Không có trường nào tên “{key}” ở đây; các trường hợp lệ là: {allowed}.",
    "wrong-type-text": "Giá trị này phải là một đoạn chữ.",
    "wrong-type-number": "Giá trị này phải là một số, nhưng đang là “{value}”.",
    "wrong-type-integer": "Giá trị này phải là một số nguyên, nhưng đang là “{value}”.",
    "wrong-type-bool": "Giá trị này phải là true (có) hoặc false (không), nhưng đang là “{value}”.",
    "wrong-type-date": "Ngày phải viết dạng năm-tháng-ngày (2026-04-15) hoặc ngày/tháng/năm (15/04/2026), nhưng đang là “{value}”.",
    "wrong-type-mapping": "Mục này phải là một nhóm các dòng “tên: giá trị”.",
    "wrong-type-list": "Mục này phải là một danh sách, mỗi phần tử một dòng bắt đầu bằng “- ”.",
    "not-one-of": "Giá trị “{value}” không hợp lệ; hãy chọn một trong: {choices}.",
    "too-small": "Giá trị phải từ {limit} trở lên, nhưng đang là {value}.",
    "too-large": "Giá trị phải không quá {limit}, nhưng đang là {value}.",
    "must-be-positive": "Giá trị phải lớn hơn {limit}, nhưng đang là {value}.",
    "empty": "Mục này không được để trống.",
    "too-long": "Mục này dài quá mức cho phép ({limit} ký tự hoặc phần tử).",
    "invalid-value": "Giá trị không hợp lệ: {detail}.",
    # --- our own checks ---
    "shelf-life-one": "Hạn sử dụng ghi theo tháng (months) hoặc theo ngày (days), đúng một trong hai.",
    "lot-code-chars": "Số lô chỉ gồm chữ cái không dấu, chữ số và dấu gạch ngang, tối đa 20 ký tự, vì nó nằm trong mã QR; đang là “{value}”.",
    "resolver-url": "Địa chỉ tra cứu phải bắt đầu bằng https:// và không chứa dấu ?, # hay dấu cách; đang là “{value}”.",
    "production-site-unknown": "Không có cơ sở sản xuất mã “{value}” trong producer.yaml; các mã có: {known}.",
    "production-site-required": "Tổ chức có nhiều cơ sở sản xuất; hãy ghi production_site để nhãn in đúng địa chỉ nơi sản xuất.",
    "highlighted-unknown": "Thành phần nhấn mạnh “{value}” không có trong danh sách ingredients.",
    "ingredient-amount-or-percent": "Thành phần “{name}” ghi cả percent và amount; chỉ ghi một trong hai.",
    "nutrition-and-exemption": "Chỉ ghi nutrition hoặc nutrition_exemption, không ghi cả hai.",
    "hint-production-site-unknown": "Ghi một mã cơ sở có trong production_sites của producer.yaml.",
    "hint-production-site-required": "Thêm dòng production_site với mã cơ sở làm ra sản phẩm này.",
    "hint-highlighted-unknown": "Viết tên thành phần đúng như trong danh sách ingredients.",
    "hint-nutrition-and-exemption": "Xóa một trong hai mục.",
}

EN: Final[dict[str, str]] = {
    # --- generic: types, formats, limits ---
    "slug-format": "Use unaccented lower-case letters, digits and hyphens only (at most 40); got “{value}”.",
    "abbreviation-format": "The abbreviation uses unaccented capitals, digits and hyphens only (at most 12); got “{value}”.",
    "registration-format": "The registration number “{value}” is in no form ocopdocs knows; the known forms are: {known}.",
    "registration-format-known": "{name}, e.g. {example}",
    "hint-registration-format": "Copy the number exactly from the registration certificate; if it really is another form, keep it (this is only a warning).",
    "id-number-format": "A personal ID number has 9 to 12 digits; got “{value}”.",
    "ins-format": "Write an INS number as “202” or “470(iii)”; got “{value}”.",
    "missing-field": "This required field is missing.",
    "unknown-field-suggest": "There is no field called “{key}”; did you mean “{suggestion}”?",
    "unknown-field": "There is no field called “{key}” here; the valid fields are: {allowed}.",
    "wrong-type-text": "This value must be text.",
    "wrong-type-number": "This value must be a number, got “{value}”.",
    "wrong-type-integer": "This value must be a whole number, got “{value}”.",
    "wrong-type-bool": "This value must be true or false, got “{value}”.",
    "wrong-type-date": "Dates are written year-month-day (2026-04-15) or day/month/year (15/04/2026), got “{value}”.",
    "wrong-type-mapping": "This entry must be a group of “name: value” lines.",
    "wrong-type-list": "This entry must be a list, one item per line starting with “- ”.",
    "not-one-of": "“{value}” is not allowed; choose one of: {choices}.",
    "too-small": "The value must be at least {limit}, got {value}.",
    "too-large": "The value must be at most {limit}, got {value}.",
    "must-be-positive": "The value must be more than {limit}, got {value}.",
    "empty": "This entry must not be empty.",
    "too-long": "This entry is longer than allowed ({limit} characters or items).",
    "invalid-value": "The value is not valid: {detail}.",
    # --- our own checks ---
    "shelf-life-one": "Give the shelf life in months or in days, exactly one of the two.",
    "lot-code-chars": "A lot code has unaccented letters, digits and hyphens only, at most 20, because it goes into the QR code; got “{value}”.",
    "resolver-url": "The resolver address must start with https:// and contain no ?, # or spaces; got “{value}”.",
    "production-site-unknown": "There is no production site “{value}” in producer.yaml; known sites: {known}.",
    "production-site-required": "The organisation has several production sites; set production_site so the label shows where it was made.",
    "highlighted-unknown": "The highlighted ingredient “{value}” is not in the ingredients list.",
    "ingredient-amount-or-percent": "The ingredient “{name}” has both percent and amount; give one.",
    "nutrition-and-exemption": "Give nutrition or nutrition_exemption, not both.",
    "hint-production-site-unknown": "Give one of the site ids listed under production_sites in producer.yaml.",
    "hint-production-site-required": "Add a production_site line with the id of the site that makes this product.",
    "hint-highlighted-unknown": "Write the ingredient's name exactly as in the ingredients list.",
    "hint-nutrition-and-exemption": "Remove one of the two.",
}
