"""The fake portal's side of the API contract: endpoints, fields, envelope, rights, faults."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import msgspec

from zdesk.demo.data import Row

API_PREFIX = "/api/v3/"
LOOPBACK = "127.0.0.1"
FORBIDDEN_MESSAGE = "Er zijn geen beveiligingsregels gevonden die uw verzoek toestaan."
TOKEN_LIFETIME = 57600  # what the portal answers for a koppelcode, in seconds

# endpoint -> (fields returned when `fields=` is not given, fields returned only when asked for).
# The defaults hold at least every field a public client (zermelo-api-vogk) declares as returned
# by default; tests/demo/test_public_client.py runs that client against the demo.
ENDPOINT_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "schoolsinschoolyears": (
        ("id", "school", "year", "name", "projectName", "schoolName", "archived"),
        (),
    ),
    "branchesofschools": (("id", "schoolInSchoolYear", "branch", "name", "schoolYear"), ()),
    "departmentsofbranches": (
        (
            "id",
            "code",
            "yearOfEducation",
            "branchOfSchool",
            "branchOfSchoolCode",
            "schoolInSchoolYear",
            "schoolInSchoolYearId",
            "schoolInSchoolYearName",
            "educationType",
            "teachingLevel",
            "mainGroupAuthority",
            "weekTimeTable",
            "educations",
            "profiles",
            "teacherTeams",
        ),
        # The portal's prognose (a decimal: 26.5) is optional: null where it has none.
        ("studentCount", "maxGroupSize", "prognosticStudentCount"),
    ),
    "choosableindepartments": (
        (
            "id",
            "departmentOfBranch",
            "subject",
            "sectionOfBranch",
            "subjectCode",
            "subjectName",
            "subjectType",
            "courseType",
            "isExam",
            "studentCanEdit",
            "scheduleCode",
            "qualifiedCode",
            "iltCode",
            "referenceWeek",
            "scroungeSegments",
            "excludedSegments",
            "lessonHoursInClassPeriods",
            "departmentOfBranchCode",
            "subjectScheduleCode",
            "sectionOfBranchAbbreviation",
        ),
        ("schoolInSchoolYear",),
    ),
    "plannedgroups": (
        (
            "id",
            "choosableInDepartment",
            "groupInDepartment",
            "groupInDepartmentName",
            "groupInDepartmentExtendedName",
            "groupInDepartmentIsMainGroup",
            "groupInDepartmentIsMentorGroup",
            "subjectCode",
            "teachingLevel",
        ),
        ("name", "rank", "schoolInSchoolYear"),
    ),
    "groupindepartments": (
        ("id", "departmentOfBranch", "name", "extendedName", "isMainGroup", "isMentorGroup"),
        ("schoolInSchoolYear",),
    ),
    "studentsindepartments": (
        (
            "id",
            "student",
            "departmentOfBranch",
            "groupInDepartments",
            "mainGroup",
            "mainGroupName",
            "mentorGroup",
            "departmentOfBranchCode",
            "educations",
            "profiles",
            "participationWeight",
            "lastModified",
        ),
        ("firstName", "prefix", "lastName", "fullName", "schoolInSchoolYear"),
    ),
    "selectedsubjects": (
        (
            "id",
            "studentInDepartment",
            "choosableInDepartment",
            "alternativeChoosableInDepartment",
            "subjectCode",
            "exemption",
            "lessonInvolvement",
            "subjectSelection",
        ),
        ("departmentOfBranch", "schoolInSchoolYear"),
    ),
    "users": (
        (
            "code",
            "roles",
            "firstName",
            "prefix",
            "lastName",
            "schoolInSchoolYears",
            "isApplicationManager",
            "archived",
            "isStudent",
            "isEmployee",
            "isFamilyMember",
            "hasPassword",
            "isSchoolScheduler",
            "isSchoolLeader",
            "isStudentAdministrator",
            "isTeamLeader",
            "isSectionLeader",
            "isMentor",
            "isParentTeacherNightScheduler",
            "isDean",
        ),
        (),
    ),
}
# Filters named differently from the field they filter on: `users?schoolInSchoolYear=` looks in
# the user's list of projects.
FILTER_ALIASES = {("users", "schoolInSchoolYear"): "schoolInSchoolYears"}
PROJECT_SCOPED = set(ENDPOINT_FIELDS) - {"users"}

PROXY_PAGE = (
    "<!DOCTYPE html><html><head><title>Aanmelden - Schoolnetwerk</title></head><body>"
    "<h1>Meld u aan om verder te gaan</h1><form method=post><input name=user></form>"
    "</body></html>"
)


@dataclass(frozen=True)
class Rights:
    """What a token may read. `endpoints=None`: everything; a field set of None: every field."""

    endpoints: dict[str, frozenset[str] | None] | None = None
    projects: frozenset[int] | None = None

    def endpoint_granted(self, endpoint: str) -> bool:
        return self.endpoints is None or endpoint in self.endpoints

    def field_granted(self, endpoint: str, name: str) -> bool:
        if self.endpoints is None:
            return True
        granted = self.endpoints.get(endpoint, frozenset())
        return granted is None or name in granted

    @classmethod
    def without(cls, *endpoints: str, fields: dict[str, set[str]] | None = None) -> Rights:
        """A partner-style token: everything except the named endpoints and fields."""
        grant: dict[str, frozenset[str] | None] = {}
        for endpoint, (default, extra) in ENDPOINT_FIELDS.items():
            if endpoint in endpoints:
                continue
            denied = (fields or {}).get(endpoint, set())
            grant[endpoint] = frozenset(set(default + extra) - denied) if denied else None
        return cls(endpoints=grant)


FULL_RIGHTS = Rights()


@dataclass
class Token:
    user: Row
    rights: Rights
    created: int
    expires: int
    revoked: bool = False


@dataclass(frozen=True)
class Quirks:
    """Ways a real portal may behave where public evidence is silent, for trying zdesk against
    them: fields it does not have (a request naming one is answered 400, "Unknown field(s): x"),
    endpoints whose filters it ignores (every project's rows come back), endpoints whose answer
    is larger than any client reads (announced as 64 MB), filters it does not take (400,
    "Unknown parameter: x")."""

    absent_fields: frozenset[tuple[str, str]] = frozenset()  # (endpoint, field)
    ignored_filters: frozenset[str] = frozenset()  # endpoints
    too_large: frozenset[str] = frozenset()  # endpoints
    refused_filters: frozenset[tuple[str, str]] = frozenset()  # (endpoint, parameter): 400

    @classmethod
    def parse(cls, absent: list[str], ignored: list[str], large: list[str]) -> Quirks:
        """From the command line: absent fields as ENDPOINT.FIELD, endpoints as they are."""
        pairs = set()
        for item in absent:
            endpoint, _, name = item.partition(".")
            if not name:
                raise ValueError(item)
            pairs.add((endpoint, name))
        return cls(frozenset(pairs), frozenset(ignored), frozenset(large))


@dataclass
class Fault:
    """A misbehaviour for requests to `endpoint` ("*" for all), `times` often (None: always).

    kinds: "status" (answer `status` with an error envelope), "latency" (wait `delay_ms`, then
    answer normally), "truncate" (cut the JSON body in half), "html" (a proxy login page),
    "drop" (close the connection without an answer), "mismatch" (HTTP 200 with an envelope
    whose status is `status`), "body" (answer `body` as JSON with HTTP 200), "bytes" (answer
    `body`, bytes, as they are, with HTTP 200 and a JSON content type), "retype" (answer
    normally, but with `field` of the rows turned into the type `to`: see `retype_rows`). With
    `after`, the first matching requests pass untouched.
    """

    kind: str
    endpoint: str = "*"
    status: int = 500
    delay_ms: int = 0
    times: int | None = None
    after: int = 0  # let this many matching requests pass untouched first
    # only requests whose query holds one of these texts (joined by "|"); "": every request
    query: str = ""
    body: Any = None  # with kind "body": this JSON answer instead of the real one
    # with kind "retype": which field ("*": one at random per row), into what ("str", "int",
    # "float", "bool", "list", "object", "null", "deep"; "*": at random), in which share of rows
    field: str = "*"
    to: str = "*"
    share: float = 1.0
    seed: int = 0


@dataclass(frozen=True)
class LoggedRequest:
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: str
    status: int = 0
    client_port: int = 0  # the same port for requests that shared one kept-alive connection


def envelope(status: int, data: list[Row], message: str = "", details: str = "") -> dict:
    return {
        "response": {
            "status": status,
            "message": message,
            "details": details,
            "eventId": 0,
            "startRow": 0,
            "endRow": len(data),
            "totalRows": len(data),
            "data": data,
        }
    }


RETYPES = ("str", "int", "float", "bool", "list", "object", "null", "deep")


def retyped(value: Any, to: str) -> Any:
    """`value` in another JSON type, keeping what can be kept ("7", 7.0, [7], {"value": 7})."""
    if to == "str":
        return str(value).lower() if isinstance(value, bool) else str(value)
    if to == "int":
        return int(value) if isinstance(value, (int, float)) else len(str(value))
    if to == "float":
        return float(value) if isinstance(value, (int, float)) else 0.5
    if to == "bool":
        return bool(value)
    if to == "list":
        return [value]
    if to == "object":
        return {"value": value}
    if to == "deep":  # nested far beyond any real field: written out when the body is encoded
        return DEEP_PLACEHOLDER
    return None


DEEP_PLACEHOLDER = "zdesk-demo: a value nested 5000 deep"
DEEP_JSON = b"[" * 5000 + b"1" + b"]" * 5000


def encode_answer(answer: dict) -> bytes:
    """The answer as JSON, with every deep placeholder written out as its nested value."""
    body = msgspec.json.encode(answer)
    placeholder = msgspec.json.encode(DEEP_PLACEHOLDER)
    return body.replace(placeholder, DEEP_JSON) if placeholder in body else body


def retype_rows(rows: list[Row], fault: Fault) -> list[Row]:
    """Rows with one field's type changed (the fault's `field`, or one at random per row)."""
    import random

    rng = random.Random(fault.seed)
    out = []
    for row in rows:
        row = dict(row)
        if rng.random() < fault.share:
            names = [k for k in row if k != "id"] if fault.field == "*" else [fault.field]
            name = rng.choice(names) if names else None
            if name is not None and name in row:
                to = rng.choice(RETYPES) if fault.to == "*" else fault.to
                row[name] = retyped(row[name], to)
        out.append(row)
    return out
