"""The two ways the procedure engine says no: a bad definition file, and a change to a traject the rules
refuse."""

from __future__ import annotations

from ontkoppel_desktop.core.errors import OntkoppelError


class DefinitionError(OntkoppelError, ValueError):
    """A procedure definition file is refused at load. The message (Dutch) names the file, the step and the
    fault."""

    def __init__(self, file: str, step: str | None, fault: str) -> None:
        self.file = file
        self.step = step
        self.fault = fault
        where = f"Procedurebestand '{file}'"
        if step is not None:
            where += f", stap '{step}'"
        super().__init__(f"{where}: {fault}")


class RuleError(OntkoppelError, ValueError):
    """A change to a traject that the procedure does not allow. The message is Dutch, for the user."""


class UnknownProcedureError(OntkoppelError, LookupError):
    """A traject refers to a procedure id/version that no loaded definition has."""

    def __init__(self, procedure_id: str, version: str) -> None:
        self.procedure_id = procedure_id
        self.version = version
        super().__init__(f"Procedure '{procedure_id}' versie '{version}' is niet gevonden.")
