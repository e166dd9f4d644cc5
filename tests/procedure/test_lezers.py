"""Who reads a sealed verslag is data in the procedure file (`lezers`, issue 16), checked when it is read."""

from __future__ import annotations

import pytest

from ontkoppel_desktop.core.procedure import DefinitionError, default_registry, parse_definition
from ontkoppel_desktop.core.procedure.definition import Lezer
from ontkoppel_desktop.core.procedure.loader import procedures_directory
from ontkoppel_desktop.core.rollen import Rol

BRON = (procedures_directory() / "utrecht-2023-03.toml").read_text(encoding="utf-8")
REGEL = 'lezers = ["jaarassistent", { rol = "manager_opleiding", bij = "advies_ontkoppeling" }]'


def test_the_bundled_procedure_names_the_readers_of_every_verslag() -> None:
    definition = default_registry().current()
    lezers = {s.id: s.lezers for s in definition.steps if s.ontvanger is not None}
    assert lezers["driehoeksgesprek"] == (Lezer(Rol.JAARASSISTENT), Lezer(Rol.MANAGER_OPLEIDING, "advies_ontkoppeling"))
    assert lezers["contact_manager_opleiders"] == (Lezer(Rol.ASSISTENT_MANAGER_OPLEIDERS),)
    # Without `lezers` in the file: the ontvanger reads.
    assert lezers["evaluatie_aios"] == (Lezer(Rol.JAARASSISTENT),)
    assert all(not s.lezers for s in definition.steps if s.ontvanger is None)


@pytest.mark.parametrize(("regel", "melding"), [
    ('lezers = ["jaarassistent", "aios"]', "aios heeft geen account"),
    ('lezers = ["jaarassistent", "kapper"]', "onbekende rol 'kapper'"),
    ('lezers = ["manager_opleiding"]', "moet de ontvanger (jaarassistent) bevatten"),
    ('lezers = ["jaarassistent", { rol = "manager_opleiding", bij = "ooit" }]', "onbekend moment 'ooit'"),
    ('lezers = ["jaarassistent", { rol = "manager_opleiding", als = "x" }]', "onbekende sleutel"),
    ('lezers = []', "een lijst van rollen"),
])
def test_a_wrong_readers_line_is_refused_in_dutch(regel: str, melding: str) -> None:
    assert REGEL in BRON
    with pytest.raises(DefinitionError, match=melding.replace("(", r"\(").replace(")", r"\)")):
        parse_definition(BRON.replace(REGEL, regel), "test.toml")
