"""PDF messages: the pdf-* rules on rendered labels with their hints, and rendering and writing errors."""

from __future__ import annotations

from typing import Final

VI: Final[dict[str, str]] = {
    # --- rules on the rendered PDF (ocopdocs/rules/pdf_label.py) ---
    "pdf-name-largest": "Tên sản phẩm trên {document} cao {name_mm} mm (chiều cao chữ in hoa), thấp hơn chữ “{other_text}” ({other_mm} mm); tên hàng hóa phải là chữ lớn nhất trên nhãn.",
    "hint-pdf-name-largest": "Tăng cỡ chữ tên sản phẩm, hoặc thu nhỏ phần chữ đang lớn hơn tên.",
    "pdf-quantity-figure-height": "Chữ số của định lượng “{quantity}” trên {document} chỉ cao {measured_mm} mm; định lượng này cần chữ số cao ít nhất {min_mm} mm.",
    "hint-pdf-quantity-figure-height": "Tăng cỡ chữ phần định lượng; chữ số cao khoảng 0,73 lần cỡ chữ.",
    "pdf-min-char-height": "Có chữ trên {document} chỉ cao {measured_mm} mm (chiều cao chữ thường), dưới mức tối thiểu {min_mm} mm: “{text}”.",
    "hint-pdf-min-char-height": "Tăng cỡ chữ đoạn đó, rút gọn nội dung hoặc dùng khổ nhãn lớn hơn; bao bì thật sự nhỏ thì khai small_pack: true.",
    "pdf-foreign-larger": "Tên tiếng Anh trên {document} cao {en_mm} mm, lớn hơn tên tiếng Việt ({vi_mm} mm); chữ tiếng nước ngoài không được lớn hơn chữ tiếng Việt.",
    "hint-pdf-foreign-larger": "Giảm cỡ chữ tên tiếng Anh xuống không quá cỡ chữ tên tiếng Việt.",
    "pdf-ean-missing": "Không tìm thấy mã vạch EAN-13 (30 vạch đứng, vẽ bằng hình chữ nhật) trên {document}.",
    "hint-pdf-ean-missing": "Kiểm tra mẫu nhãn vẫn in mã vạch do ocopdocs vẽ, đặt đứng, không chèn dưới dạng ảnh.",
    "pdf-ean-module-width": "Mô-đun X của mã EAN-13 trên {document} rộng {x_mm} mm, phải từ {min_x_mm} đến {max_x_mm} mm (80–200 % của 0,33 mm và khớp độ phóng đã khai).",
    "hint-pdf-ean-module-width": "Không co giãn mã vạch bằng CSS; muốn mã nhỏ hơn hay lớn hơn thì đổi barcode_magnification (0,8–2,0).",
    "pdf-ean-bar-height": "Vạch của mã EAN-13 trên {document} chỉ cao {bar_height_mm} mm, ở độ phóng này cần ít nhất {min_mm} mm; không được cắt ngắn vạch.",
    "hint-pdf-ean-bar-height": "Bỏ giới hạn chiều cao đặt cho mã vạch trong mẫu nhãn; thiếu chỗ thì giảm barcode_magnification thay vì cắt vạch.",
    "pdf-ean-quiet-zone": "Vùng trống {modules}X cạnh mã EAN-13 trên {document} (bên trái 11X, bên phải 7X) cần {needed_mm} mm nhưng chỉ còn {free_mm} mm trước chữ, hình khác hoặc mép nhãn.",
    "hint-pdf-ean-quiet-zone": "Để trống hai bên mã vạch, dời chữ hoặc hình đang lấn vào, và không đặt mã sát mép nhãn.",
    "pdf-ean-decodes": "Máy quét đọc mã EAN-13 trên {document} ra “{got}” thay vì {expected} (để trống nghĩa là không đọc được).",
    "hint-pdf-ean-decodes": "Kiểm tra mã GTIN của quy cách đóng gói; giữ mã vạch màu đen trên nền trắng, không bị che.",
    "pdf-qr-digital-link": "Mã QR trên {document} phải chứa đúng “{expected}”, nhưng máy quét đọc ra “{got}” (để trống nghĩa là không tìm thấy hoặc không đọc được mã QR).",
    "hint-pdf-qr-digital-link": "Kiểm tra traceability.resolver, số lô và hạn dùng; giữ mã QR đủ lớn, có viền trắng 4 mô-đun, không bị che.",
    "pdf-text-missing": "Không tìm thấy “{text}” trong chữ của {document} (đã bỏ qua khoảng trắng); có thể chữ bị cắt, bị che hoặc in thành hình.",
    "hint-pdf-text-missing": "Rút gọn nội dung hoặc tăng khổ nhãn để mọi nội dung bắt buộc đều được in ra dưới dạng chữ.",
    "pdf-mandatory-covered": "Một hình vẽ trên {document} (khung, đường kẻ, logo OCOP, hình ảnh hoặc mã vạch), cách mép trái {x_mm} mm và mép trên {y_mm} mm, cỡ {width_mm} × {height_mm} mm, đè lên chữ bắt buộc “{text}”; nội dung thể hiện thêm không được che khuất nội dung bắt buộc.",
    "hint-pdf-mandatory-covered": "Dời hình đó ra khỏi vùng chữ bắt buộc hoặc dành cho nó một vùng riêng trong mẫu nhãn (templates/label/).",
    # --- rendering and writing ---
    "render-overflow": "Nội dung {document} cao hơn khổ nhãn {width} × {height} mm khoảng {overflow} mm, kể cả khi đã thu chữ về cỡ nhỏ nhất; hãy tăng kích thước nhãn hoặc rút gọn nội dung.",
    "render-overflow-width": "Một phần của {document} tràn ra ngoài mép phải khổ nhãn {width} mm khoảng {overflow} mm; hãy tăng chiều rộng nhãn hoặc giảm độ phóng mã vạch.",
    "render-weasyprint-error": "Bộ dựng PDF báo lỗi khi dựng {document}: {detail}",
    "render-warning": "Bộ dựng PDF cảnh báo khi dựng {document}: {detail}",
    "render-fetch-refused": "Khi dựng {document}, có yêu cầu tải “{url}”, nằm ngoài thư mục mẫu và thư mục sản phẩm, nên ocopdocs đã từ chối.",
    "render-missing-text": "Sau khi dựng {document}, không tìm thấy “{text}” trên trang; có thể chữ đã bị cắt mất.",
    "write-failed": "Không ghi được {document} ra {path}: {detail}.",
}

EN: Final[dict[str, str]] = {
    # --- rules on the rendered PDF (ocopdocs/rules/pdf_label.py) ---
    "pdf-name-largest": "The product name on {document} is {name_mm} mm high (cap height), smaller than “{other_text}” ({other_mm} mm); the name must be the largest text on the label.",
    "hint-pdf-name-largest": "Enlarge the product name, or make the text that outgrows it smaller.",
    "pdf-quantity-figure-height": "The figures of the net quantity “{quantity}” on {document} are only {measured_mm} mm high; this quantity needs figures at least {min_mm} mm high.",
    "hint-pdf-quantity-figure-height": "Enlarge the quantity's type; figures are about 0.73 of the font size.",
    "pdf-min-char-height": "Some text on {document} is only {measured_mm} mm high (x-height), below the {min_mm} mm minimum: “{text}”.",
    "hint-pdf-min-char-height": "Enlarge that text, shorten the content or use a bigger label; for a truly small pack, declare small_pack: true.",
    "pdf-foreign-larger": "The English name on {document} is {en_mm} mm high, larger than the Vietnamese name ({vi_mm} mm); foreign-language text must not be larger than the Vietnamese.",
    "hint-pdf-foreign-larger": "Make the English name no larger than the Vietnamese name.",
    "pdf-ean-missing": "No EAN-13 barcode (30 upright bars drawn as rectangles) was found on {document}.",
    "hint-pdf-ean-missing": "Check that the template still prints the barcode ocopdocs draws, upright and not as an image.",
    "pdf-ean-module-width": "The EAN-13 module width X on {document} is {x_mm} mm; it must be between {min_x_mm} and {max_x_mm} mm (80–200 % of 0.33 mm, matching the declared magnification).",
    "hint-pdf-ean-module-width": "Do not resize the barcode with CSS; to make it smaller or larger, change barcode_magnification (0.8–2.0).",
    "pdf-ean-bar-height": "The EAN-13 bars on {document} are only {bar_height_mm} mm high; at this magnification they need at least {min_mm} mm. Bars must not be truncated.",
    "hint-pdf-ean-bar-height": "Remove the height limit on the barcode in the template; if space is short, lower barcode_magnification instead of cutting the bars.",
    "pdf-ean-quiet-zone": "The {modules}X quiet zone beside the EAN-13 on {document} (11X on the left, 7X on the right) needs {needed_mm} mm, but only {free_mm} mm is free before other text, artwork or the label edge.",
    "hint-pdf-ean-quiet-zone": "Keep both sides of the barcode clear: move the text or artwork that intrudes, and keep the symbol away from the label edge.",
    "pdf-ean-decodes": "A scanner reads the EAN-13 on {document} as “{got}” instead of {expected} (empty: it could not be read).",
    "hint-pdf-ean-decodes": "Check the package's GTIN; keep the barcode black on white and uncovered.",
    "pdf-qr-digital-link": "The QR code on {document} must carry exactly “{expected}”, but a scanner reads “{got}” (empty: no readable QR code was found).",
    "hint-pdf-qr-digital-link": "Check traceability.resolver, the lot and the dates; keep the QR code large enough, with its 4-module white border, and uncovered.",
    "pdf-text-missing": "“{text}” is not in the text of {document} (whitespace ignored); it may be cut off, covered or drawn as an image.",
    "hint-pdf-text-missing": "Shorten the content or enlarge the label so every mandatory item is printed as text.",
    "pdf-mandatory-covered": "A drawn box on {document} (a frame, rule, OCOP badge, image or barcode), {x_mm} mm from the left edge and {y_mm} mm from the top, {width_mm} × {height_mm} mm, crosses the mandatory text “{text}”; added content must not cover mandatory content.",
    "hint-pdf-mandatory-covered": "Move that box off the mandatory text, or give it a zone of its own in the label template (templates/label/).",
    # --- rendering and writing ---
    "render-overflow": "The content of {document} is about {overflow} mm taller than the {width} × {height} mm label, even at the smallest type size; enlarge the label or shorten the text.",
    "render-overflow-width": "Part of {document} runs about {overflow} mm past the right edge of the {width} mm label; widen the label or lower the barcode magnification.",
    "render-weasyprint-error": "The PDF renderer reported an error while rendering {document}: {detail}",
    "render-warning": "The PDF renderer warned while rendering {document}: {detail}",
    "render-fetch-refused": "While rendering {document}, “{url}” was requested; it is outside the templates and the product's folder, so ocopdocs refused it.",
    "render-missing-text": "After rendering {document}, “{text}” is not on the page; it may have been cut off.",
    "write-failed": "Could not write {document} to {path}: {detail}.",
}
