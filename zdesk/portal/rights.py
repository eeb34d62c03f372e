"""Which endpoints and fields zdesk reads of a project, what a token lacks, and what the school must
grant.

A load learns what is missing from what the portal refuses (zdesk.loading); `probe_filter` is the
filter that matches nothing, for a cheap probe of one right refused before.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from zdesk.portal.errors import RightMissing

REFUSED = "refused"  # the portal refuses this token the read (403)
UNKNOWN = "unknown"  # the portal does not have the field (400, or 404 naming it)


@dataclass(frozen=True)
class MissingRight:
    endpoint: str
    field: str | None = None  # None: the whole endpoint
    # Why it cannot be read; not part of what the right is (the same field, refused or unknown,
    # is the same missing read).
    reason: str = dataclasses.field(default=REFUSED, compare=False)

    @property
    def unknown(self) -> bool:
        return self.reason == UNKNOWN

    def describe(self) -> str:
        """Dutch: what cannot be read and why, for messages and the workbook."""
        what = f"veld '{self.field}' van '{self.endpoint}'" if self.field else f"'{self.endpoint}'"
        if self.unknown:
            return f"{what} bestaat niet in dit portaal"
        return f"geen leesrecht op {what}"


@dataclass(frozen=True)
class Need:
    endpoint: str
    fields: tuple[str, ...]  # without these the endpoint is of no use
    extra: tuple[str, ...]  # used where granted
    required: bool  # without the endpoint no project can be shown
    purpose: str  # Dutch: what zdesk uses it for
    label: str  # Dutch: the portal's name for it


NEEDS: tuple[Need, ...] = (
    Need(
        "schoolsinschoolyears",
        ("id", "name", "year", "archived"),
        ("school", "projectName", "schoolName"),
        True,
        "de lijst met projecten",
        "projecten",
    ),
    Need(
        "branchesofschools",
        ("id", "schoolInSchoolYear"),
        ("branch", "name"),
        True,
        "de vestigingen in de boom",
        "vestigingen",
    ),
    Need(
        "departmentsofbranches",
        ("id", "branchOfSchool", "code"),
        (
            "yearOfEducation",
            "educations",
            "profiles",
            "educationType",
            "schoolInSchoolYear",
            "maxGroupSize",
            "prognosticStudentCount",
        ),
        True,
        "de afdelingen; maxGroupSize voor de controle op te volle groepen; "
        "prognosticStudentCount voor de prognose in het Overzicht",
        "afdelingen",
    ),
    Need(
        "choosableindepartments",
        ("id", "departmentOfBranch", "subjectCode"),
        ("subjectName", "subjectType", "lessonHoursInClassPeriods"),
        True,
        "de keuzevakken per afdeling",
        "keuzevakken",
    ),
    Need(
        "plannedgroups",
        ("id", "choosableInDepartment", "groupInDepartment"),
        ("subjectCode", "name", "rank"),
        True,
        "de geplande groepen en of ze gerealiseerd zijn",
        "geplande groepen",
    ),
    Need(
        "groupindepartments",
        ("id", "departmentOfBranch", "name"),
        ("extendedName", "isMainGroup", "isMentorGroup"),
        True,
        "de roostergroepen, stamklassen en mentorgroepen",
        "roostergroepen",
    ),
    Need(
        "studentsindepartments",
        ("id", "student", "departmentOfBranch"),
        ("groupInDepartments", "firstName", "prefix", "lastName"),
        False,
        "leerlingen per afdeling en groep, groepsgroottes en de controles op leerlingen; "
        "groupInDepartments voor de controles op groepen, de namen om leerlingen te herkennen",
        "afdelingsdeelnames",
    ),
    Need(
        "users",
        ("code",),
        ("firstName", "prefix", "lastName"),
        False,
        "namen van leerlingen, waar ze niet bij de afdelingsdeelnames gelezen mogen worden "
        "(niet nodig: alles werkt ook met leerlingnummers)",
        "gebruikers",
    ),
    Need(
        "selectedsubjects",
        ("id", "studentInDepartment", "choosableInDepartment", "exemption"),
        ("subjectCode", "alternativeChoosableInDepartment"),
        False,
        "de pakketkeuzes: gekozen vakken tegen de groepen waarin leerlingen zitten, en hoeveel "
        "groepen elk vak nodig heeft (zonder pakketkeuzes telt elke leerling van de afdeling mee)",
        "pakketkeuzes",
    ),
)
NEED_BY_ENDPOINT = {n.endpoint: n for n in NEEDS}

# What zdesk reads of the previous project, for the doorstroom only: no names, no groups, no
# pakketkeuzes. Without any of it the doorstroom checks are skipped; the project loads as ever.
PREVIOUS_NEEDS: tuple[Need, ...] = (
    Need(
        "schoolsinschoolyears",
        ("id",),
        ("name", "year", "archived", "school"),
        True,
        "het vorige project, voor de doorstroom",
        "projecten",
    ),
    Need(
        "branchesofschools",
        ("id", "schoolInSchoolYear"),
        ("branch", "name"),
        True,
        "de vestigingen van het vorige project, voor de doorstroom",
        "vestigingen",
    ),
    Need(
        "departmentsofbranches",
        ("id", "branchOfSchool", "code"),
        ("yearOfEducation", "educationType", "schoolInSchoolYear"),
        True,
        "de afdelingen van het vorige project en hun opleiding, voor de doorstroom",
        "afdelingen",
    ),
    Need(
        "choosableindepartments",
        ("id", "departmentOfBranch", "subjectCode"),
        ("subjectType",),
        True,
        "de opleidingen van het vorige project, voor de doorstroom",
        "keuzevakken",
    ),
    Need(
        "studentsindepartments",
        ("id", "student", "departmentOfBranch"),
        (),
        False,
        "wie vorig jaar in welke afdeling zat, voor de doorstroom",
        "afdelingsdeelnames",
    ),
)
PREVIOUS_NEED_BY_ENDPOINT = {n.endpoint: n for n in PREVIOUS_NEEDS}
NAME_FIELDS = ("firstName", "prefix", "lastName")


def probe_filter(endpoint: str, project: int) -> dict[str, str]:
    """A filter that matches no rows, so a probe reads no data.

    Never a value starting with `~`: that is the API's alias syntax (`~me`), refused with 400.
    """
    if endpoint == "users":
        return {"schoolInSchoolYear": str(project), "isStudent": "true", "code": "0"}
    if endpoint == "schoolsinschoolyears":
        return {"id": "0"}
    return {"schoolInSchoolYear": str(project), "id": "0"}


@dataclass
class RightsReport:
    portal: str
    project: int
    missing: list[MissingRight] = field(default_factory=list)
    # What is read of each endpoint (the previous project's load reads less); an endpoint not in
    # it is not read at all.
    needs: dict[str, Need] = field(default_factory=lambda: NEED_BY_ENDPOINT, repr=False)

    def lacks(self, endpoint: str, field_name: str | None = None) -> bool:
        return any(
            m.endpoint == endpoint and (m.field is None or m.field == field_name)
            for m in self.missing
        )

    def add(self, missing: MissingRight) -> None:
        if missing not in self.missing:
            self.missing.append(missing)

    def remove(self, missing: MissingRight) -> None:
        if missing in self.missing:
            self.missing.remove(missing)

    def missing_of(
        self, endpoint: str, fields: tuple[str, ...] | None = None
    ) -> list[MissingRight]:
        """The refusals on `endpoint` (only those of `fields`, or of the whole endpoint)."""
        return [
            m
            for m in self.missing
            if m.endpoint == endpoint and (fields is None or m.field is None or m.field in fields)
        ]

    def fields_for(self, endpoint: str) -> list[str] | None:
        """The fields to ask for; None when the endpoint cannot be used at all."""
        need = self.needs.get(endpoint)
        if need is None or self.lacks(endpoint):
            return None
        if any(self.lacks(endpoint, f) for f in need.fields):
            return None
        return [f for f in (*need.fields, *need.extra) if not self.lacks(endpoint, f)]

    def blocking(self) -> list[MissingRight]:
        """Missing rights without which no project can be shown."""
        return [
            m
            for m in self.missing
            if m.endpoint in self.needs
            and self.needs[m.endpoint].required
            and (m.field is None or m.field in self.needs[m.endpoint].fields)
        ]

    def raise_if_blocking(self) -> None:
        blocking = self.blocking()
        if blocking:
            raise RightMissing(blocking[0].endpoint, blocking[0].field, portal=self.portal)

    def status(self, endpoint: str, field_name: str | None) -> str:
        """ "ja", or why not: "geen leesrecht" or "bestaat niet in dit portaal"."""
        for m in self.missing:
            if m.endpoint == endpoint and (m.field is None or m.field == field_name):
                return "bestaat niet in dit portaal" if m.unknown else "geen leesrecht"
        return "ja"

    def matrix(self) -> list[tuple[str, str, bool, str]]:
        """Rows (endpoint, field, granted, what it is for) for every field zdesk may use."""
        rows = []
        for need in NEEDS:
            for name in (*need.fields, *need.extra):
                purpose = need.purpose if name in need.fields else f"{need.purpose} (optioneel)"
                granted = not self.lacks(need.endpoint, name)
                rows.append((need.endpoint, name, granted, purpose))
        return rows

    def guide(self) -> str:
        """Dutch text for the school's portal administrator: what to grant, and why."""
        refused = [m for m in self.missing if not m.unknown]
        unknown = [m for m in self.missing if m.unknown]
        absent = [
            "",
            f"Deze velden bestaan niet in het portaal '{self.portal}' (er is geen recht voor "
            "nodig; zdesk werkt zonder en slaat alleen de controles over die ze nodig hebben):",
            *(f"- endpoint '{m.endpoint}', veld '{m.field}'" for m in unknown),
        ]
        if not refused:
            return (
                f"Het token voor '{self.portal}' mag alles lezen wat zdesk gebruikt. "
                "Er hoeft niets te worden aangepast."
            ) + ("\n" + "\n".join(absent) if unknown else "")
        lines = [
            f"zdesk mist leesrechten in het portaal '{self.portal}'.",
            "Vraag de beheerder van het portaal om in Beheer > Partners > Toegang (of bij een "
            "API-token: Beheer > Admin-paneel > API Tokens) het recht 'Lezen' toe te kennen op:",
            "",
        ]
        for m in refused:
            need = NEED_BY_ENDPOINT[m.endpoint]
            where = f"endpoint '{m.endpoint}'" + (f", veld '{m.field}'" if m.field else "")
            status = "nodig" if m in self.blocking() else "optioneel"
            lines.append(f"- {where} ({need.label}; {status}): voor {need.purpose}")
        lines += [
            "",
            "Zonder de optionele rechten werkt zdesk gewoon; alleen de bijbehorende weergaven en "
            "controles worden overgeslagen. Namen van leerlingen zijn nooit nodig.",
        ]
        if unknown:
            lines += absent
        return "\n".join(lines)
