"""Where in the Zermelo portal each signalering is fixed: one table, for the app and the export.

The portal's menus move between versions, so the paths live here only and are shown as "in het
portaal bij ...", never as a promise of an exact screen.
"""

from __future__ import annotations

# The places, in the portal's own menu words.
PLANNED_GROUPS = "Leerlingen > Geplande groepen > Geplande groepen (details)"
SCHEDULE_GROUPS = "Onderwijs > Schoolstructuur > Roostergroepen"
STUDENT_GROUPS = "Leerlingen > Roostergroepindelingen > Alle groepen"
PROGNOSES = "Leerlingen > Prognoses"
PACKAGES = "Leerlingen > Pakketkeuze"
CHOOSABLES = "Onderwijs > Afdelingen / Keuzevakken"
ACCESS = "Beheer > Partners (per endpoint en veld 'Lezen') of Beheer > Admin-paneel > API Tokens"

# Per check id, the places where its signaleringen are resolved, most likely first. An empty
# tuple: nothing to fix in a menu (a signalering that informs, or a problem in the portal's data
# that its beheerder has to look at).
REMEDIES: dict[str, tuple[str, ...]] = {
    "planned-group-unrealised": (PLANNED_GROUPS,),
    "student-multiple-departments": (PROGNOSES,),
    "student-multiple-main-groups": (STUDENT_GROUPS,),
    "student-multiple-mentor-groups": (STUDENT_GROUPS,),
    "student-without-main-group": (STUDENT_GROUPS,),
    "group-without-planned-group": (PLANNED_GROUPS, SCHEDULE_GROUPS),
    "choosable-without-planned-groups": (PLANNED_GROUPS, CHOOSABLES),
    "planned-group-cross-department": (PLANNED_GROUPS,),
    "group-empty": (STUDENT_GROUPS, SCHEDULE_GROUPS),
    "group-over-max": (STUDENT_GROUPS, CHOOSABLES),
    "parallel-groups-unbalanced": (STUDENT_GROUPS,),
    "dangling-reference": (),
    "duplicate-id": (),
    "placement-without-student": (PROGNOSES,),
    "data-repaired": (),
    "pseudo-department": (),
    "pseudo-group": (),
    # The formatie: the student's keuze or indeling; the number of geplande groepen.
    "choice-without-group": (STUDENT_GROUPS, PACKAGES),
    "group-without-choice": (STUDENT_GROUPS, PACKAGES),
    "planned-groups-too-few": (PLANNED_GROUPS, CHOOSABLES),
    "planned-groups-too-many": (PLANNED_GROUPS,),
    # The doorstroom: a student is placed for next year where the prognoses are made; a
    # zittenblijver or a change of opleiding informs (the mentor, the team) and needs no fix.
    "student-not-placed-next-year": (PROGNOSES,),
    "student-repeats-year": (),
    "student-changes-education": (),
}


def remedy_paths(check: str) -> tuple[str, ...]:
    """The portal menu paths for a check id (empty for an unknown or informative check)."""
    return REMEDIES.get(check, ())


def remedy_text(check: str) -> str:
    """One Dutch line for people: "Leerlingen > Prognoses", or two places joined by "of"."""
    return " of ".join(remedy_paths(check))


def remedy_sentence(check: str) -> str:
    """The line the app shows: "Oplossen in het portaal bij ..." (empty when there is none)."""
    text = remedy_text(check)
    return f"Oplossen in het portaal bij {text}" if text else ""
