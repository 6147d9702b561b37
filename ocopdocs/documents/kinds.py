"""The registry of document kinds, in build order: add a kind here, and nowhere else."""

from __future__ import annotations

from . import Kind, food_safety, label, ocop, registration, sheet, trademark

KINDS: tuple[Kind, ...] = (
    label.LABEL,
    sheet.SHEET,
    food_safety.DECLARATION,
    registration.REGISTRATION,
    food_safety.CERTIFICATE,
    trademark.APPLICATION,
    trademark.RULES_OF_USE,
    ocop.DOSSIER,
)


def registered() -> tuple[Kind, ...]:
    """Every kind, in build order (read at each call, so that a test may register one more)."""
    return KINDS
