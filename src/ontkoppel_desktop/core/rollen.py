"""The roles of the procedure (Utrecht section 4) as one enum, shared by persons, procedure and tasks."""

from __future__ import annotations

from enum import StrEnum


class Rol(StrEnum):
    """A function in the ontkoppelingstraject. The value is the stable identifier used in files and the store."""

    DOCENTEN = "docenten"
    MANAGER_OPLEIDING = "manager_opleiding"
    JAARASSISTENT = "jaarassistent"
    MANAGER_OPLEIDERS = "manager_opleiders"
    ASSISTENT_MANAGER_OPLEIDERS = "assistent_manager_opleiders"
    PLV_HOOFD = "plv_hoofd"
    BELEIDSMEDEWERKER = "beleidsmedewerker"
    AIOS = "aios"
    OPLEIDER = "opleider"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def per_opleidingsjaar(self) -> bool:
        """Manager opleiding and jaarassistent work for one opleidingsjaar (Utrecht section 4)."""
        return self in (Rol.MANAGER_OPLEIDING, Rol.JAARASSISTENT)


_LABELS: dict[Rol, str] = {
    Rol.DOCENTEN: "Docenten",
    Rol.MANAGER_OPLEIDING: "Manager opleiding",
    Rol.JAARASSISTENT: "Jaarassistent",
    Rol.MANAGER_OPLEIDERS: "Manager opleiders",
    Rol.ASSISTENT_MANAGER_OPLEIDERS: "Assistent manager opleiders",
    Rol.PLV_HOOFD: "Plaatsvervangend hoofd",
    Rol.BELEIDSMEDEWERKER: "Beleidsmedewerker",
    Rol.AIOS: "Aios",
    Rol.OPLEIDER: "Opleider",
}

# The roles a medewerker of the institute can hold (docenten are kept as their own kind of person).
MEDEWERKER_ROLLEN: tuple[Rol, ...] = (
    Rol.MANAGER_OPLEIDING,
    Rol.JAARASSISTENT,
    Rol.MANAGER_OPLEIDERS,
    Rol.ASSISTENT_MANAGER_OPLEIDERS,
    Rol.PLV_HOOFD,
    Rol.BELEIDSMEDEWERKER,
)
