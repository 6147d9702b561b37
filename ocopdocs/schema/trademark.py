"""Trademark applications: the mark, its goods, the representative, filing, rules of use."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from .common import Model, ShortText, Text, VnDate

MarkKind = Literal["word", "figurative", "combined", "3d"]
"""Word mark (words in standard characters), figurative, combined (words and figure), 3D."""
MarkType = Literal["ordinary", "collective", "certification", "associated"]
"""IP Law Art. 4.16–4.19: an ordinary mark, or a collective, certification or associated one."""


class PowerOfAttorney(Model):
    """The power of attorney (giấy ủy quyền) given to a representative."""

    number: ShortText | None = None
    """Its number, if it has one."""
    date: VnDate | None = None
    """The date it was signed."""


class Representative(Model):
    """Who acts for the applicant before the IP office (block 8 of the form)."""

    role: Literal["legal_representative", "ip_agent", "authorised"] = "legal_representative"
    """The applicant's legal representative (default), an IP agency, or another authorised person."""
    name: ShortText | None = None
    """Full name; for the legal representative, producer.yaml's ``legal_representative`` by default."""
    title: ShortText | None = None
    """Position, printed under the signature: "Giám đốc"."""
    agent_code: ShortText | None = None
    """An IP agency's registration number with the IP office."""
    address: Text | None = None
    """Address; for the legal representative, the head office by default."""
    phone: ShortText | None = None
    """Phone number."""
    email: ShortText | None = None
    """E-mail address."""
    power_of_attorney: PowerOfAttorney | None = None
    """Required for an IP agency or another authorised person (IP Law Art. 100.1.c)."""


class PriorityClaim(Model):
    """A claim to the priority of an earlier application (IP Law Art. 91)."""

    basis: Literal["vietnam", "paris", "other"]
    """A first application in Vietnam, under the Paris Convention, or under another agreement."""
    number: ShortText
    """Number of the earlier application."""
    date: VnDate
    """Its filing date; a mark claims it within 6 months."""
    country: ShortText
    """Where it was filed: "Việt Nam", "Lào"."""
    agreement: ShortText | None = None
    """For ``other``: the agreement."""


class GoodsClass(Model):
    """The goods or services of one Nice class."""

    nice_class: Annotated[int, Field(ge=1, le=45)]
    """The Nice class, 1–34 for goods, 35–45 for services."""
    items: Annotated[list[ShortText], Field(min_length=1, max_length=200)]
    """Each good or service in the Nice list's wording: "Miến", "tinh bột dong riềng dùng làm thực phẩm"."""


class Filing(Model):
    """How and when the application is filed."""

    channel: Literal["online", "paper"] = "online"
    """Online (dvctt.ipvietnam.gov.vn) or on paper; it decides the fee reductions and the copies."""
    date: VnDate | None = None
    """The day the applicant signs and files; it picks the form and the fee schedule."""
    place: ShortText | None = None
    """Where the form is signed: "Thái Nguyên"; default: the head office's province."""
    divisional_of: ShortText | None = None
    """For a divisional application (2026 form, block 2): the parent application's number."""
    divisional_date: VnDate | None = None
    """The parent application's filing date."""


class PlaceNamePermission(Model):
    """The provincial People's Committee's written permission to use a place name in the mark."""

    number: ShortText
    """Number of the document: "1234/UBND-NNTN"."""
    date: VnDate | None = None
    """Its date."""
    issued_by: ShortText | None = None
    """Who issued it: "UBND tỉnh Thái Nguyên"."""


class MarkUser(Model):
    """A member or other party allowed to use a collective or certification mark."""

    name: ShortText
    """Full name of the household, cooperative group or company."""
    address: Text | None = None
    """Its address."""


class RulesOfUse(Model):
    """The rules of use of a collective or certification mark (IP Law Art. 105.4–105.5)."""

    decision: ShortText | None = None
    """The number of the owner's decision adopting the rules: "01/QĐ-HTX"."""
    date: VnDate | None = None
    """The decision's date."""
    membership_criteria: Annotated[list[Text], Field(max_length=30)] = []
    """Collective marks: who may become a member (Art. 105.4.b)."""
    users: Annotated[list[MarkUser], Field(max_length=500)] = []
    """Who may use the mark (Art. 105.4.c)."""
    conditions: Annotated[list[Text], Field(max_length=30)] = []
    """Conditions of use (Art. 105.4.d, 105.5.b)."""
    sanctions: Annotated[list[Text], Field(max_length=30)] = []
    """Measures against breaches of the rules (Art. 105.4.đ)."""
    characteristics: Annotated[list[Text], Field(max_length=30)] = []
    """Certification marks: the characteristics the mark certifies (Art. 105.5.c)."""
    evaluation: Text | None = None
    """Certification marks: how the characteristics are assessed (Art. 105.5.d)."""
    control: Text | None = None
    """How the owner controls the use of the mark (Art. 105.5.d)."""
    user_fees: Text | None = None
    """Certification marks: what users pay for certification and protection, if anything (Art. 105.5.đ)."""


class Trademark(Model):
    """A trademark application: in a product file for that product, or in producer.yaml.

    A mark in producer.yaml covers the producer's products and is filed once, for them all.
    """

    mark_text: ShortText | None = None
    """The words of the mark as they read, for word and combined marks: "KHUỔI DONG"."""
    image: ShortText | None = None
    """The mark sample: a PNG, JPEG or SVG file in this folder. A word mark without one is
    printed in standard characters."""
    mark_kind: MarkKind
    """Word, figurative, combined or 3D."""
    mark_type: MarkType = "ordinary"
    """Ordinary, collective, certification or associated (tick boxes of the form)."""
    colours: Annotated[list[ShortText], Field(max_length=12)] = []
    """Colours claimed; empty: black and white. A colour claim needs a sample in those colours."""
    description: Text | None = None
    """The elements of the mark and their arrangement (IP Law Art. 105.2)."""
    meaning: Text | None = None
    """Transliteration or meaning of foreign or invented words: "Khuổi Dong: từ tự đặt, không có nghĩa"."""
    disclaimed: Annotated[list[ShortText], Field(max_length=20)] = []
    """Elements not protected on their own (descriptive words, place names, "OCOP"); each in mark_text."""
    representative: Representative = Representative()
    """Who acts for the applicant; default: its legal representative."""
    priority: Annotated[list[PriorityClaim], Field(max_length=10)] = []
    """Priority claims; empty: none."""
    goods: Annotated[list[GoodsClass], Field(max_length=45)] = []
    """Goods and services by Nice class; the form sorts them by class."""
    filing: Filing = Filing()
    """Channel, date and place of filing."""
    place_name_permission: PlaceNamePermission | None = None
    """The provincial permission for a place name in the mark."""
    area_map: ShortText | None = None
    """A map of the area (PDF or image file in this folder) for a mark with a place name."""
    characteristics: Text | None = None
    """Block 13: the short description of the goods' characteristics (origin, quality), for
    collective and certification marks."""
    rules_of_use: RulesOfUse | None = None
    """Collective and certification marks: the rules of use."""
