"""The producer as every form's applicant block names it: one place for its facts.

The self-declaration, the certificate application, the trademark forms and the OCOP dossier
all print the same organisation; each template picks the lines its form asks for.
"""

from __future__ import annotations

from typing import Any

from ..formatting import province_short, vn_date
from ..law import food_safety_law, ocop_law, trademark_law
from ..schema import Producer


def organisation(producer: Producer) -> dict[str, Any]:
    """The producer's name, addresses, registration, contacts, representative and certificate."""
    certificate = producer.food_safety_certificate
    registration = producer.registration
    wording = food_safety_law().legal_forms[producer.legal_form]
    return {
        "legal_name": producer.legal_name,
        "address": producer.head_office.one_line(),
        "address_with_country": producer.head_office.one_line(with_country=True),
        "province": province_short(producer.head_office.province),
        "legal_form": trademark_law().legal_forms[producer.legal_form],
        "participant": ocop_law().participants[producer.legal_form],
        "phone": producer.contact.phone, "fax": producer.contact.fax, "email": producer.contact.email,
        "website": producer.contact.website,
        "registration_code": registration.code,
        "registration_label": wording.registration,
        "representative_label": wording.representative,
        "household": producer.legal_form == "ho_kinh_doanh",
        "sign_note": "(Ký, ghi rõ họ tên và đóng dấu)" if wording.seal else "(Ký, ghi rõ họ tên)",
        "registration_issued": vn_date(registration.issued_on, 4) if registration.issued_on else None,
        "registration_issuer": registration.issued_by,
        "representative": producer.legal_representative.name,
        "representative_title": producer.legal_representative.title,
        "representative_id": producer.legal_representative.id_number,
        "certificate_number": certificate.number if certificate else None,
        "certificate_date": (vn_date(certificate.issued_on, 4)
                             if certificate and certificate.issued_on else None),
        "certificate_issuer": certificate.issued_by if certificate else None,
        "exemption_basis": certificate.exemption_basis if certificate else None,
        "sites": [{"name": s.name, "address": s.address.one_line()} for s in producer.production_sites],
    }
