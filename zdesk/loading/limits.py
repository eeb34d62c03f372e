"""What bounds and shapes a load, in one place: how many requests at once, when to split a project
per block of afdelingen, its deadlines and its row budget; and the endpoints a load reads.

Read as `limits.NAME` where used, so a test can change one for a load."""

from __future__ import annotations

from zdesk.portal.client import PARALLEL

WORKERS = PARALLEL  # "a handful of parallel requests at most"
# The previous project's read for the doorstroom runs beside the load in this many threads; its
# requests share the client's slots with the load's (`client.PARALLEL` at once in all), and
# some of its threads only wait for the rows the load's shared reads bring along.
PREVIOUS_WORKERS = 4
SPLIT_ABOVE_DEPARTMENTS = 60
# Retries of a load's requests start only within this many seconds of its start: a portal that
# keeps failing ends the load in about the portal's own limit, not in one limit per request.
RETRY_BUDGET = 75.0
# A whole load ends within this many seconds, whatever each request does within its own deadline
# (55 s): `zdesk check` and `export` too, as they are a load and then local work.
LOAD_DEADLINE = 120.0
DEPARTMENTS_PER_REQUEST = 40
# Rows a whole load may hold (each answer has its own cap, `client.MAX_ROWS`): what bounds the
# memory of a load whose afdelingsdeelnames come in blocks. About 25 times the largest real project.
MAX_LOAD_ROWS = 1_500_000
# Hints naming more afdelingen than this are not a project's (the largest scholengroep has a few
# hundred): they are ignored and the project is read as on a first load.
MAX_HINTED_DEPARTMENTS = 2000

STRUCTURE = (
    "schoolsinschoolyears",
    "branchesofschools",
    "departmentsofbranches",
    "choosableindepartments",
    "plannedgroups",
    "groupindepartments",
)
PLACEMENTS = "studentsindepartments"
USERS = "users"
SELECTED = "selectedsubjects"
