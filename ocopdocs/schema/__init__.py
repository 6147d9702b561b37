"""The product files' schema: one typed, documented field per YAML key.

``products/<producer>/producer.yaml`` validates as :class:`Producer` and every other
``products/<producer>/<product>.yaml`` as :class:`Product`. Unknown keys are rejected, so a typo
such as ``alergens:`` is reported rather than silently ignored. Later document kinds (food-safety
dossiers, trademarks, OCOP files) add their own optional sections here.

Validators raise :func:`fail` with a code from :mod:`ocopdocs.messages`; the loader turns
every error into a :class:`~ocopdocs.errors.Problem` with file, line and field.

The models live in one module per area; imports run one way, :mod:`.common` first, then
:mod:`.label`, :mod:`.food_safety`, :mod:`.trademark` and :mod:`.ocop`, then :mod:`.producer`
and :mod:`.product`. Every public name is re-exported here, so ``from ocopdocs.schema import
Product`` keeps working.
"""

from __future__ import annotations

from ..design.stocks import CellSize, Gutter, SheetSize, Stock
from .common import (
    Address,
    CompanyPrefix,
    Contact,
    Gtin13,
    LongText,
    Model,
    Money,
    Person,
    Quantity,
    QuantityText,
    ShortText,
    Slug,
    Text,
    VnDate,
    fail,
    gtin13_problem,
)
from .food_safety import (
    Accreditation,
    ContractManufacturer,
    Criterion,
    Declaration,
    Equipment,
    FoodSafety,
    FoodSafetyCertificate,
    LabReport,
    ManagementCertificate,
    Premises,
    Publication,
    StaffMember,
)
from .label import (
    Additive,
    BrandColours,
    Group,
    HealthSupplement,
    Ingredient,
    LabelDesign,
    LabelSheet,
    LabelSize,
    Lot,
    Multipack,
    Nutrition,
    NutritionExemption,
    Origin,
    Package,
    ProductName,
    ShelfLife,
    Traceability,
)
from .ocop import (
    BusinessPlan,
    Capacity,
    Community,
    Evidence,
    EvidenceMap,
    Market,
    Ocop,
    OcopCategory,
    OcopCertificate,
    OcopGroup,
    Organisation,
    OrgUnit,
    PlanCosts,
    PlanYear,
    RawMaterial,
    SelfAssessment,
)
from .producer import Gs1Membership, Producer, ProductionSite, Registration
from .product import Product
from .trademark import (
    Filing,
    GoodsClass,
    MarkKind,
    MarkType,
    MarkUser,
    PlaceNamePermission,
    PowerOfAttorney,
    PriorityClaim,
    Representative,
    RulesOfUse,
    Trademark,
)

__all__ = [
    "Accreditation", "Additive", "Address", "BrandColours", "BusinessPlan", "Capacity", "CellSize",
    "Community", "CompanyPrefix", "Contact", "ContractManufacturer", "Criterion", "Declaration",
    "Equipment", "Evidence", "EvidenceMap", "Filing", "FoodSafety", "FoodSafetyCertificate",
    "GoodsClass", "Group", "Gs1Membership", "Gtin13", "Gutter", "HealthSupplement", "Ingredient",
    "LabReport", "LabelDesign", "LabelSheet", "LabelSize", "LongText", "Lot", "ManagementCertificate",
    "MarkKind", "MarkType", "MarkUser", "Market", "Model", "Money", "Multipack", "Nutrition",
    "NutritionExemption", "Ocop", "OcopCategory", "OcopCertificate", "OcopGroup", "OrgUnit",
    "Organisation", "Origin", "Package", "Person", "PlaceNamePermission", "PlanCosts", "PlanYear",
    "PowerOfAttorney", "Premises", "PriorityClaim", "Producer", "Product", "ProductName",
    "ProductionSite", "Publication", "Quantity", "QuantityText", "RawMaterial", "Registration",
    "Representative", "RulesOfUse", "SelfAssessment", "SheetSize", "ShelfLife", "ShortText", "Slug",
    "StaffMember", "Stock", "Text", "Traceability", "Trademark", "VnDate", "fail", "gtin13_problem",
]
