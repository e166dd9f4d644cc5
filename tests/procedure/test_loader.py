"""The definition file: the bundled one is complete; a bad one is refused with file, step and fault named."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ontkoppel_desktop.core.procedure import (
    DefinitionError,
    ProcedureRegistry,
    StepState,
    UnknownProcedureError,
    VerslagBestemming,
    default_registry,
    derive,
    load_registry,
    parse_definition,
)
from ontkoppel_desktop.core.procedure.loader import procedures_directory
from ontkoppel_desktop.core.rollen import Rol

from .builders import FACTS, build, day

FILE = "utrecht-2023-03.toml"
TEXT = procedures_directory().joinpath(FILE).read_text(encoding="utf-8")

# Every step of Utrecht section 5 (and the jaarassistent's registration from section 4).
STEPS_SECTION_5 = {
    "signaal",
    "contact_na_ziekmelding",
    "driehoeksgesprek",
    "verslag_driehoeksgesprek",
    "archiveren_verslag_driehoeksgesprek",
    "check_up",
    "uitkomst",
    "manager_opleiders_informeren",
    "besluit_ontkoppeling",
    "besluit_communiceren",
    "administratieve_afhandeling",
    "einde_oude_koppeling",
    "contact_opleider_plannen",
    "match_nieuwe_opleider",
    "kennismakingsgesprek",
    "nieuwe_koppeling_bevestigen",
    "informatie_resterend_jaar",
    "start_nieuwe_koppeling",
    "wachttijd_besluit",
    "voortgang_besluit",
    "opleider_nieuwe_aios",
    "evaluatie_aios",
    "archiveren_verslag_evaluatie_aios",
    "evaluatie_opleider",
    "archiveren_verslag_evaluatie_opleider_aios",
    "archiveren_verslag_evaluatie_opleider_opleider",
    "uitnodiging_opleidersterugkomdag",
    "contact_manager_opleiders",
    "verslag_contact_naar_assistent",
    "verslag_contact_in_dossier",
    "evaluatie_nieuwe_opleider",
    "archiveren_verslag_evaluatie_nieuwe_opleider",
    "nazorg_groep",
}


def test_bundled_definition_is_complete() -> None:
    d = default_registry().get("utrecht-ontkoppeling", "2023-03")
    assert {s.id for s in d.steps} == STEPS_SECTION_5
    assert d.source.startswith("Procedure ontkoppeling, maart 2021, herzien maart 2023")
    assert [p.number for p in d.phases] == [1, 2, 3]
    assert all(s.section and s.title and s.roles for s in d.steps)
    assert d.step("besluit_ontkoppeling").roles == (Rol.MANAGER_OPLEIDING, Rol.PLV_HOOFD)
    assert d.step("kennismakingsgesprek").roles == (Rol.AIOS, Rol.OPLEIDER)
    assert (
        d.step("archiveren_verslag_evaluatie_opleider_opleider").verslag is VerslagBestemming.DOSSIER_OPLEIDER
    )
    assert d.step("evaluatie_aios").term is not None and len(d.step("evaluatie_aios").term.parts) == 3
    assert d.wachttijd is not None and d.wachttijd.max_days == 14
    assert d.voortgang is not None and (d.voortgang.after_month, d.voortgang.before_month) == (3, 9)
    assert d.blokkade is not None and d.blokkade.until_step == "contact_manager_opleiders"
    assert [s.id for s in d.steps_for_role(Rol.PLV_HOOFD)] == [
        "besluit_ontkoppeling",
        "wachttijd_besluit",
        "voortgang_besluit",
    ]


def _mutate(step_id: str, old: str, new: str, text: str = TEXT) -> str:
    """Replace `old` by `new` inside the [[step]] block of `step_id` only."""
    match = re.search(rf'\[\[step\]\]\nid = "{step_id}"\n.*?(?=\n\[\[step\]\]|\Z)', text, re.S)
    assert match is not None, step_id
    block = match.group(0)
    assert old in block, (step_id, old)
    return text[: match.start()] + block.replace(old, new, 1) + text[match.end() :]


FAULTS: list[tuple[str, str, str | None, str]] = [
    (
        "onbekende rol",
        _mutate("check_up", 'roles = ["docenten"]', 'roles = ["docent"]'),
        "check_up",
        "onbekende rol 'docent'",
    ),
    (
        "termijn naar onbekende stap",
        _mutate(
            "archiveren_verslag_evaluatie_aios", 'after_step = "evaluatie_aios"', 'after_step = "evaluatie"'
        ),
        "archiveren_verslag_evaluatie_aios",
        "'term' verwijst naar onbekende stap 'evaluatie'",
    ),
    (
        "termijn naar onbekende gebeurtenis",
        _mutate(
            "start_nieuwe_koppeling",
            'after_event = "nieuwe_koppeling_bevestigd"',
            'after_event = "bevestigd"',
        ),
        "start_nieuwe_koppeling",
        "'term' verwijst naar onbekende gebeurtenis 'bevestigd'",
    ),
    (
        "trigger naar onbekende stap",
        _mutate("kennismakingsgesprek", 'step = "match_nieuwe_opleider"', 'step = "match"'),
        "kennismakingsgesprek",
        "'trigger' verwijst naar onbekende stap 'match'",
    ),
    (
        "trigger naar onbekend moment",
        _mutate("evaluatie_opleider", 'moment = "ontkoppeling"', 'moment = "ontkoppeld"'),
        "evaluatie_opleider",
        "onbekend moment 'ontkoppeld'",
    ),
    (
        "kringverwijzing",
        _mutate(
            "match_nieuwe_opleider",
            'trigger = { moment = "ontkoppeling" }',
            'trigger = { step = "nieuwe_koppeling_bevestigen" }',
        ),
        "match_nieuwe_opleider",
        "kringverwijzing in triggers/termijnen: match_nieuwe_opleider wacht op nieuwe_koppeling_bevestigen "
        "wacht op kennismakingsgesprek wacht op match_nieuwe_opleider",
    ),
    (
        "stap die op zichzelf wacht",
        _mutate("check_up", 'trigger = { event = "driehoeksgesprek" }', 'trigger = { step = "check_up" }'),
        "check_up",
        "kringverwijzing",
    ),
    ("dubbele id", _mutate("check_up", 'id = "check_up"', 'id = "uitkomst"'), "uitkomst", "dubbele stap-id"),
    (
        "ontbrekend veld",
        _mutate("check_up", 'verslag = "geen"\n', ""),
        "check_up",
        "verplicht veld 'verslag' ontbreekt",
    ),
    (
        "ontbrekende titel",
        _mutate("uitkomst", "title = ", "titel = "),
        "uitkomst",
        "verplicht veld 'title' ontbreekt",
    ),
    (
        "onbekend veld",
        _mutate("check_up", 'verslag = "geen"', 'verslag = "geen"\ntermijn = 7'),
        "check_up",
        "onbekend veld 'termijn'",
    ),
    (
        "onbekende bestemming",
        _mutate("check_up", 'verslag = "geen"', 'verslag = "dossier"'),
        "check_up",
        "onbekende bestemming voor het verslag 'dossier'",
    ),
    (
        "done_by onbekende gebeurtenis",
        _mutate("check_up", 'done_by = { event = "check_up" }', 'done_by = { event = "checkup" }'),
        "check_up",
        "'done_by' verwijst naar onbekende gebeurtenis 'checkup'",
    ),
    (
        "ongeldige waarde in data",
        TEXT.replace('data = { uitkomst = "advies_ontkoppeling" }', 'data = { uitkomst = "misschien" }'),
        None,
        "ongeldige waarde 'misschien' voor 'uitkomst'",
    ),
    (
        "verslag van onbekend gesprek",
        _mutate("verslag_driehoeksgesprek", 'gesprek = "driehoeksgesprek"', 'gesprek = "driehoek"'),
        "verslag_driehoeksgesprek",
        "verwijst naar onbekende stap 'driehoek'",
    ),
    ("onbekende fase", _mutate("check_up", "phase = 1", "phase = 4"), "check_up", "onbekende fase 4"),
    (
        "regel zonder [rules]",
        re.sub(r"\[rules\.wachttijd\]\nmax_days = 14\n", "", TEXT),
        "wachttijd_besluit",
        "[rules.wachttijd] ontbreekt",
    ),
    (
        "twee ankerpunten",
        _mutate(
            "verslag_driehoeksgesprek", "after_trigger = true,", 'after_trigger = true, after_step = "uitkomst",'
        ),
        "verslag_driehoeksgesprek",
        "precies één ankerpunt",
    ),
    ("geen geldige TOML", TEXT.replace("[procedure]", "[procedure"), None, "geen geldige TOML"),
]


@pytest.mark.parametrize(("name", "text", "step", "fault"), FAULTS, ids=[f[0] for f in FAULTS])
def test_bad_definition_is_refused(name: str, text: str, step: str | None, fault: str) -> None:
    with pytest.raises(DefinitionError) as info:
        parse_definition(text, FILE)
    error = info.value
    message = str(error)
    assert f"Procedurebestand '{FILE}'" in message
    assert fault in message
    assert error.step == step
    if step is not None:
        assert f"stap '{step}'" in message


def _newer_version() -> str:
    text = TEXT.replace('version = "2023-03"', 'version = "2024-03"').replace(
        "valid_from = 2023-03-01", "valid_from = 2024-03-01"
    )
    text = _mutate("check_up", "weeks = 1\n", "weeks = 2\n", text)
    return _mutate("check_up", "from_days = 5, until_days = 10", "from_days = 12, until_days = 17", text)


def test_old_trajecten_keep_their_version() -> None:
    old = parse_definition(TEXT, FILE)
    new = parse_definition(_newer_version(), "utrecht-2024-03.toml")
    registry = ProcedureRegistry([old])
    traject = build(("driehoeksgesprek", day("2025-03-12"), {}))
    before = derive(
        registry.get(traject.procedure_id, traject.procedure_version), traject, FACTS, day("2025-03-13")
    )
    registry.add(new)
    assert registry.latest("utrecht-ontkoppeling") is new
    after = derive(
        registry.get(traject.procedure_id, traject.procedure_version), traject, FACTS, day("2025-03-13")
    )
    assert before.status("check_up").due == after.status("check_up").due == day("2025-03-22")
    fresh = build(("driehoeksgesprek", day("2025-03-12"), {}), definition=new)
    assert fresh.procedure_version == "2024-03"
    assert derive(new, fresh, FACTS, day("2025-03-13")).status("check_up").due == day("2025-03-29")
    assert derive(new, fresh, FACTS, day("2025-03-13")).status("check_up").state is StepState.DUE


def test_registry_refuses_same_version_twice_and_unknown_versions() -> None:
    registry = ProcedureRegistry([parse_definition(TEXT, FILE)])
    with pytest.raises(DefinitionError, match="staat al in"):
        registry.add(parse_definition(TEXT, "kopie.toml"))
    with pytest.raises(UnknownProcedureError, match="versie '1999-01'"):
        registry.get("utrecht-ontkoppeling", "1999-01")


def test_load_registry_reads_every_file(tmp_path: Path) -> None:
    (tmp_path / FILE).write_text(TEXT, encoding="utf-8")
    (tmp_path / "utrecht-2024-03.toml").write_text(_newer_version(), encoding="utf-8")
    (tmp_path / "LEESMIJ.txt").write_text("geen definitie", encoding="utf-8")
    registry = load_registry(tmp_path)
    assert [d.version for d in registry.definitions()] == ["2023-03", "2024-03"]
    assert default_registry() is default_registry()


def test_the_current_procedure_is_the_newest_file_whatever_its_institute(tmp_path: Path) -> None:
    """No institute is named in the code: a new traject starts with the newest procedure in the folder."""
    from ontkoppel_desktop.core.procedure import load_registry
    from ontkoppel_desktop.core.procedure.loader import procedures_directory

    bundled = next(p for p in procedures_directory().iterdir() if p.name.endswith(".toml"))
    text = bundled.read_text(encoding="utf-8")
    (tmp_path / "utrecht.toml").write_text(text, encoding="utf-8")
    other = (text.replace('id = "utrecht-ontkoppeling"', 'id = "amc-ontkoppeling"')
             .replace('institute = "Huisartsopleiding Utrecht', 'institute = "Huisartsopleiding Amsterdam')
             .replace("valid_from = 2023-03-01", "valid_from = 2025-09-01"))
    (tmp_path / "amc.toml").write_text(other, encoding="utf-8")
    registry = load_registry(tmp_path)
    assert registry.current().id == "amc-ontkoppeling"
    assert registry.current().institute.startswith("Huisartsopleiding Amsterdam")
