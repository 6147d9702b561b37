"""Food-safety messages: the fs-* rules on self-declarations and establishment dossiers, with hints."""

from __future__ import annotations

from typing import Final

VI: Final[dict[str, str]] = {
    "fs-registration-route": "“{product}” là thực phẩm bảo vệ sức khỏe nên không tự công bố theo Mẫu 01; phải đăng ký bản công bố sản phẩm với {body}.",
    "hint-fs-registration-route": "Hồ sơ đăng ký được soạn trong food-safety-registration.pdf; điền những chỗ còn thiếu (phiếu kiểm nghiệm, bằng chứng khoa học về công dụng, GMP) rồi nộp cho cơ quan đó.",
    "spirit-licence-missing": "“{product}” là rượu bán ra thị trường nhưng cơ sở chưa khai Giấy phép sản xuất rượu thủ công nhằm mục đích kinh doanh còn hiệu lực.",
    "hint-spirit-licence-missing": "Khai spirit_licence (số, ngày cấp, cơ quan cấp) trong producer.yaml; nếu chưa có, xin cấp phép tại Ủy ban nhân dân xã trước khi bán, hoặc khai spirit.sale: reprocessing nếu chỉ bán cho cơ sở có giấy phép để chế biến lại.",
    "spirit-stamp-missing": "“{product}” là rượu bán trong nước nhưng dữ liệu chưa khai dán tem rượu trên chai.",
    "hint-spirit-stamp-missing": "Mua tem rượu sản xuất trong nước tại cơ quan thuế, dán lên từng chai rồi khai spirit.stamp: true.",
    "fs-field-missing": "Hồ sơ an toàn thực phẩm cần trường {field}, nhưng tệp chưa khai; tài liệu để trống và đánh dấu chỗ này.",
    "hint-fs-field-missing": "Khai trường còn thiếu rồi dựng lại hồ sơ.",
    "fs-attachment-missing": "Hồ sơ thiếu tài liệu kèm theo: {attachment}.",
    "hint-fs-attachment-missing": "Bổ sung tài liệu đó (phiếu kiểm nghiệm, mẫu nhãn) rồi dựng lại hồ sơ.",
    "fs-test-report-old": "Phiếu kiểm nghiệm {report} ngày {date} đã quá {months} tháng vào ngày công bố {on}.",
    "hint-fs-test-report-old": "Gửi mẫu kiểm nghiệm lại và khai phiếu mới.",
    "fs-declaration-before-label": "Bản tự công bố ký ngày {date}, trước ngày sản xuất {production} in trên nhãn lô {lot} mà bản công bố kèm theo; nhãn trong hồ sơ phải là nhãn đã có khi ký.",
    "hint-fs-declaration-before-label": "Khai ngày công bố (food_safety.declaration.date) từ ngày sản xuất của lô trở đi, hoặc khai lô đã có nhãn khi ký (lot) rồi dựng lại hồ sơ.",
    "fs-lab-not-accredited": "Phiếu kiểm nghiệm {report} của {lab} không ghi phòng kiểm nghiệm được công nhận ISO/IEC 17025 hay được chỉ định.",
    "hint-fs-lab-not-accredited": "Khai accreditation (số VILAS hoặc quyết định chỉ định), hoặc kiểm nghiệm lại ở phòng đủ điều kiện.",
    "fs-certificate-expired": "Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm {number} đã hết hạn ngày {until}.",
    "hint-fs-certificate-expired": "Nộp hồ sơ cấp lại Giấy chứng nhận (ocopdocs dựng sẵn đơn đề nghị).",
    "fs-certificate-expiring": "Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm {number} hết hạn ngày {until}, chỉ còn {days} ngày.",
    "hint-fs-certificate-expiring": "Nộp hồ sơ gia hạn trước ngày hết hạn.",
    "fs-health-certificate-old": "Giấy xác nhận đủ sức khỏe của {name} ({date}) đã quá {months} tháng hoặc chưa khai.",
    "hint-fs-health-certificate-old": "Cho người đó khám sức khỏe lại và khai ngày mới.",
    "fs-premises-missing": "Bản thuyết minh cơ sở vật chất cần {field}, nhưng producer.yaml chưa khai; tài liệu để trống chỗ này.",
    "hint-fs-premises-missing": "Khai premises, equipment và staff trong producer.yaml.",
}

EN: Final[dict[str, str]] = {
    "fs-registration-route": "“{product}” is a health supplement, so it is not self-declared on Form 01; its declaration must be registered with {body}.",
    "hint-fs-registration-route": "The dossier is drafted in food-safety-registration.pdf; fill in what it marks as missing (test report, scientific evidence of the claimed uses, GMP) and file it with that body.",
    "spirit-licence-missing": "“{product}” is a spirit sold on the market, but the producer declares no valid licence to make spirits by hand for sale.",
    "hint-spirit-licence-missing": "Enter spirit_licence (number, date, issuer) in producer.yaml; without one, apply to the commune People's Committee before selling, or set spirit.sale: reprocessing if it is sold only to a licensed producer for re-processing.",
    "spirit-stamp-missing": "“{product}” is a spirit sold in Viet Nam, but the data does not say that its bottles carry the alcohol stamp.",
    "hint-spirit-stamp-missing": "Buy the domestic alcohol stamps from the tax office, stick one on every bottle, then set spirit.stamp: true.",
    "fs-field-missing": "The food-safety dossier needs {field}, but the file does not give it; the document leaves a marked blank there.",
    "hint-fs-field-missing": "Add the missing field and build again.",
    "fs-attachment-missing": "The dossier lacks an attachment: {attachment}.",
    "hint-fs-attachment-missing": "Add that document (test report, label) and build again.",
    "fs-test-report-old": "The test report {report} of {date} is more than {months} months old on the declaration date {on}.",
    "hint-fs-test-report-old": "Have the product tested again and enter the new report.",
    "fs-declaration-before-label": "The self-declaration is signed on {date}, before the production date {production} printed on the label of lot {lot} that it attaches; the label in the dossier must be one that existed when it was signed.",
    "hint-fs-declaration-before-label": "Date the declaration (food_safety.declaration.date) on or after the lot's production date, or give the lot whose label existed when it was signed (lot), then rebuild.",
    "fs-lab-not-accredited": "The test report {report} from {lab} does not say the lab is ISO/IEC 17025 accredited or designated.",
    "hint-fs-lab-not-accredited": "Give accreditation (VILAS number or designation decision), or test again at a qualified lab.",
    "fs-certificate-expired": "The food-safety establishment certificate {number} expired on {until}.",
    "hint-fs-certificate-expired": "File for a new certificate (ocopdocs builds the application).",
    "fs-certificate-expiring": "The food-safety establishment certificate {number} expires on {until}, in {days:# day|# days}.",
    "hint-fs-certificate-expiring": "File for renewal before it expires.",
    "fs-health-certificate-old": "The health certificate of {name} ({date}) is more than {months} months old or missing.",
    "hint-fs-health-certificate-old": "Have that person examined again and enter the new date.",
    "fs-premises-missing": "The premises description needs {field}, but producer.yaml does not give it; the document leaves a blank there.",
    "hint-fs-premises-missing": "Give premises, equipment and staff in producer.yaml.",
}
