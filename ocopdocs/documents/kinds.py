"""The registry of document kinds, in build order: add a kind here, and nowhere else."""

from __future__ import annotations

from . import Kind, food_safety, label, ocop, trademark

KINDS: tuple[Kind, ...] = (
    label.LABEL,
    food_safety.DECLARATION,
    food_safety.CERTIFICATE,
    trademark.APPLICATION,
    trademark.RULES_OF_USE,
    ocop.DOSSIER,
)


def kind(kind_id: str) -> Kind:
    """The registered kind ``kind_id`` (KeyError when there is none)."""
    return {k.id: k for k in KINDS}[kind_id]
