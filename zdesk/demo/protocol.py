"""The fake portal's side of the API contract: endpoints, fields, envelope, rights, faults."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from zdesk.demo.data import Row

API_PREFIX = "/api/v3/"
LOOPBACK = "127.0.0.1"
FORBIDDEN_MESSAGE = "Er zijn geen beveiligingsregels gevonden die uw verzoek toestaan."
TOKEN_LIFETIME = 57600  # what the portal answers for a koppelcode, in seconds

# endpoint -> (fields returned when `fields=` is not given, fields returned only when asked for)
ENDPOINT_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "schoolsinschoolyears": (
        ("id", "school", "year", "name", "projectName", "schoolName", "archived"),
        (),
    ),
    "branchesofschools": (("id", "schoolInSchoolYear", "branch", "name"), ()),
    "departmentsofbranches": (
        ("id", "branchOfSchool", "code", "yearOfEducation", "educations", "schoolInSchoolYear"),
        ("studentCount", "maxGroupSize"),
    ),
    "choosableindepartments": (
        (
            "id",
            "departmentOfBranch",
            "subjectCode",
            "subjectName",
            "subjectType",
            "lessonHoursInClassPeriods",
        ),
        ("schoolInSchoolYear",),
    ),
    "plannedgroups": (
        (
            "id",
            "choosableInDepartment",
            "groupInDepartment",
            "groupInDepartmentName",
            "groupInDepartmentIsMainGroup",
            "groupInDepartmentIsMentorGroup",
            "subjectCode",
        ),
        ("name", "rank", "schoolInSchoolYear"),
    ),
    "groupindepartments": (
        ("id", "departmentOfBranch", "name", "isMainGroup", "isMentorGroup", "extendedName"),
        ("schoolInSchoolYear",),
    ),
    "studentsindepartments": (
        ("id", "student", "departmentOfBranch", "groupInDepartments"),
        ("schoolInSchoolYear",),
    ),
    "users": (
        ("code", "firstName", "prefix", "lastName", "isStudent", "isEmployee"),
        ("isSchoolScheduler", "isSchoolLeader", "schoolInSchoolYears"),
    ),
}
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


@dataclass
class Fault:
    """A misbehaviour for requests to `endpoint` ("*" for all), `times` often (None: always).

    kinds: "status" (answer `status` with an error envelope), "latency" (wait `delay_ms`, then
    answer normally), "truncate" (cut the JSON body in half), "html" (a proxy login page),
    "drop" (close the connection without an answer), "mismatch" (HTTP 200 with an envelope
    whose status is `status`), "body" (answer `body` as JSON with HTTP 200). With `after`, the
    first matching requests pass untouched.
    """

    kind: str
    endpoint: str = "*"
    status: int = 500
    delay_ms: int = 0
    times: int | None = None
    after: int = 0  # let this many matching requests pass untouched first
    body: Any = None  # with kind "body": this JSON answer instead of the real one


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
