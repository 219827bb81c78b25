"""The roles live in core (touzi.core.roles: scoping decides by them); accounts, which stores them, re-exports."""

from touzi.core.roles import ADMINISTRATORS, NO_BUSINESS, SEE_EVERYTHING, UNIT_BOUND, Role

__all__ = ["ADMINISTRATORS", "NO_BUSINESS", "SEE_EVERYTHING", "UNIT_BOUND", "Role"]
