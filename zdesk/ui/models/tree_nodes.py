"""The tree's nodes, Qt-free in what they do: built for a load, grown under an afdeling when
first needed, looked up by key, and freed in pieces. `tree.ProjectTreeModel` shows them."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex

from zdesk.present.words import group_roles, structure_type

if TYPE_CHECKING:
    from zdesk.domain.checks import Finding
    from zdesk.domain.model import Project

Index = QModelIndex | QPersistentModelIndex
HEADERS = ("Naam", "Leerlingen", "Groepen", "Signaleringen")
NOT_REALISED = "nog geen roostergroep"
UNLINKED = "Roostergroepen zonder geplande groep"


NO_CHILDREN: list = []
NOTHING: frozenset = frozenset()


class Node:
    __slots__ = (
        "all_children",
        "beneath",
        "children",
        "findings",
        "groups",
        "grow",
        "index",
        "kind",
        "label",
        "obj",
        "parent",
        "row",
        "search",
        "students",
    )

    def __init__(
        self,
        kind: str,
        obj: Any,
        parent: Node | None,
        label: str,
        findings: Sequence[Finding] = (),
    ) -> None:
        # Tens of thousands of these are made per load: share the empty values.
        self.kind = kind
        self.obj = obj
        self.parent = parent
        self.label = label
        self.findings = tuple(findings) if findings else ()
        self.all_children: list[Node] = []
        self.children: list[Node] = NO_CHILDREN
        self.row = 0
        self.students: int | None = None
        self.groups: int | None = None
        self.beneath: frozenset[Finding] = frozenset(self.findings) if findings else NOTHING
        self.search = ""  # the label in lower case, made when a filter first needs it
        self.index: dict[tuple[str, Any], Node] | None = None  # on the root only
        self.grow: Callable[[], None] | None = None  # builds all_children when first needed
        if parent is not None:
            parent.all_children.append(self)

    @property
    def key(self) -> tuple[str, Any]:
        return (self.kind, getattr(self.obj, "id", None))


def build_tree(project: Project, by_object: Mapping[tuple[str, Any], Sequence[Finding]]) -> Node:
    """The vestigingen and afdelingen with their counts and signaleringen; see `grow`.

    `by_object` holds the signaleringen per object key (`CheckRun.by_object`).
    """
    root = Node("root", None, None, "")
    get = by_object.get

    def findings_of(kind: str, oid: Any) -> Sequence[Finding]:
        return get((kind, oid), ())

    counted = project.has_placements
    students_of_dept = project.students_of_department
    under = _findings_under(project, by_object)
    for branch in sorted(project.branches, key=lambda b: b.label):
        code = f" ({branch.branch})" if branch.branch and branch.branch != branch.label else ""
        b_node = Node(
            "branch", branch, root, f"{branch.label}{code}", findings_of("branch", branch.id)
        )
        b_students: set[str] = set()
        b_groups = 0
        for dept in sorted(project.departments_of_branch.get(branch.id, ()), key=lambda d: d.label):
            what = project.educations_of(dept)
            year = dept.year_of_education
            # "h4 — havo": the leerlaag only where the code does not already end in it.
            told = year is None or (dept.code or "").endswith(str(year))
            level = "" if told else f"leerlaag {year}"
            extra = " — " + ", ".join(x for x in (level, what) if x) if (level or what) else ""
            d_node = Node(
                "department",
                dept,
                b_node,
                f"{dept.label}{extra}",
                findings_of("department", dept.id),
            )
            codes = students_of_dept.get(dept.id, NOTHING)
            b_students |= codes
            d_node.students = len(codes) if counted else None
            d_node.groups = len(project.groups_of_department.get(dept.id, ()))
            b_groups += d_node.groups
            below = under.get(dept.id)
            if below:
                d_node.beneath = frozenset(below) | d_node.beneath
            if project.choosables_of_department.get(dept.id) or _unlinked_groups(project, dept):
                d_node.grow = partial(_grow_department, project, findings_of, dept, d_node)
        b_node.students = len(b_students) if counted else None
        b_node.groups = b_groups
    _gather(root)
    _show_all(root)
    return root


def _unlinked_groups(project: Project, dept: Any) -> list[Any]:
    """The roostergroepen of an afdeling that no planned group links to."""
    return [
        g
        for g in project.groups_of_department.get(dept.id, ())
        if not project.planned_of_group.get(g.id)
    ]


def _findings_under(
    project: Project, by_object: Mapping[tuple[str, Any], Sequence[Finding]]
) -> dict[int, set[Finding]]:
    """Per afdeling: the signaleringen of what `_grow_department` will put under it.

    Found from the flagged objects' references, without making their nodes: a keuzevak and its
    planned groups sit under the keuzevak's afdeling, a roostergroep under the afdeling of every
    keuzevak whose planned group it realises, or, when no planned group links it, under its own
    afdeling (when that exists).
    """
    under: dict[int, set[Finding]] = {}

    def add(choosable_id: int | None, findings: Sequence[Finding]) -> None:
        c = project.choosable_by_id.get(choosable_id)  # type: ignore[arg-type]
        if c is not None and c.department_of_branch in project.choosables_of_department:
            under.setdefault(c.department_of_branch, set()).update(findings)

    for (kind, oid), findings in by_object.items():
        if not findings:
            continue
        if kind == "choosable":
            add(oid, findings)
        elif kind == "planned_group":
            pg = project.planned_by_id.get(oid)
            if pg is not None:
                add(pg.choosable_in_department, findings)
        elif kind == "group":
            linked = project.planned_of_group.get(oid)
            g = project.group_by_id.get(oid)
            if linked:
                for pg in linked:
                    add(pg.choosable_in_department, findings)
            elif g is not None and g.department_of_branch in project.groups_of_department:
                under.setdefault(g.department_of_branch, set()).update(findings)
    return under


def _grow_department(
    project: Project,
    findings_of: Callable[[str, Any], Sequence[Finding]],
    dept: Any,
    d_node: Node,
) -> None:
    """Keuzevakken → geplande groepen → roostergroepen of one afdeling, and its unlinked groups."""
    counted = project.has_placements
    for c in sorted(project.choosables_of_department.get(dept.id, ()), key=lambda c: c.label):
        kind = structure_type(c.subject_type)
        name = f" — {c.subject_name}" if c.subject_name else ""
        c_node = Node(
            "choosable",
            c,
            d_node,
            f"{c.label}{name}" + (f" ({kind})" if kind else ""),
            findings_of("choosable", c.id),
        )
        realised: dict[int, int] = {}
        for pg in sorted(
            project.planned_of_choosable.get(c.id, ()), key=lambda p: (p.rank or 0, p.id)
        ):
            group = project.group_of(pg)
            name = pg.name or pg.subject_code or f"geplande groep {pg.id}"
            text = f"{name} → {group.label}" if group else f"{name} — {NOT_REALISED}"
            pg_node = Node("planned_group", pg, c_node, text, findings_of("planned_group", pg.id))
            pg_node.groups = 1 if group else 0
            if group is not None:
                size = project.student_count(group) if counted else None
                pg_node.students = size
                flags = group_roles(group)
                g_node = Node(
                    "group",
                    group,
                    pg_node,
                    f"roostergroep {group.label}" + (f" ({', '.join(flags)})" if flags else ""),
                    findings_of("group", group.id),
                )
                g_node.students, g_node.groups = size, 1
                realised[group.id] = size or 0
        c_node.groups = len(realised)
        c_node.students = sum(realised.values()) if counted else None
    unlinked = _unlinked_groups(project, dept)
    if unlinked:
        folder = Node("folder", None, d_node, f"{UNLINKED} ({len(unlinked)})")
        folder.groups = len(unlinked)
        sizes = [project.student_count(g) for g in unlinked]
        folder.students = sum(sizes) if counted else None
        for g, size in zip(sorted(unlinked, key=lambda g: g.label), sizes, strict=True):
            g_node = Node("group", g, folder, _group_text(g), findings_of("group", g.id))
            g_node.students, g_node.groups = (size if counted else None), 1
    for child in d_node.all_children:
        _gather(child)


def grow(node: Node) -> None:
    """Build the children of a node that was made without them (an afdeling), once."""
    make = node.grow
    if make is not None:
        node.grow = None
        make()
        _show_all(node)


def grow_all(root: Node) -> Iterator[None]:
    """Build every subtree still missing, one afdeling per step (for idle moments)."""
    for branch in root.all_children:
        for dept in branch.all_children:
            if dept.grow is not None:
                grow(dept)
                yield


def _show_all(node: Node) -> None:
    """Unfiltered children and their rows for a subtree."""
    stack = [node]
    while stack:
        n = stack.pop()
        n.children = n.all_children
        for row, child in enumerate(n.children):
            child.row = row
        stack.extend(n.all_children)


def lookup(root: Node) -> dict[tuple[str, Any], Node]:
    """Object → its first node in tree order (the whole tree is grown for it, once)."""
    if root.index is None:
        for _ in grow_all(root):
            pass
        index: dict[tuple[str, Any], Node] = {}
        stack = [root]
        while stack:
            node = stack.pop()
            index.setdefault(node.key, node)
            stack.extend(reversed(node.all_children))
        root.index = index
    return root.index


def lookup_in_slices(root: Node, per_slice: int = 2000) -> Iterator[None]:
    """What `lookup` builds, in slices of nodes (for idle moments): on a large project the whole
    tree is tens of thousands of nodes, too many to index between two paints."""
    yield from grow_all(root)
    if root.index is not None:
        return
    index: dict[tuple[str, Any], Node] = {}
    stack = [root]
    walked = 0
    while stack:
        node = stack.pop()
        index.setdefault(node.key, node)
        stack.extend(reversed(node.all_children))
        walked += 1
        if walked % per_slice == 0:
            yield
            if root.index is not None:  # built on demand meanwhile: that one stands
                return
    root.index = index


class GrownNodes:
    """Object → its first node among the nodes grown so far, kept up to date as nodes open.

    Restoring the open nodes after F5 looks up each node below an afdeling opened just before:
    each node is walked once, never the whole tree grown on the GUI thread. Nodes opened in tree
    order (as a snapshot lists them) are added in tree order, so the first one found is the
    first in the tree.
    """

    def __init__(self, root: Node) -> None:
        self.nodes: dict[tuple[str, Any], Node] = {}
        self._add(root)

    def opened(self, node: Node) -> None:
        """Take in what grew below `node` when it was opened."""
        for child in node.all_children:
            self._add(child)

    def _add(self, top: Node) -> None:
        stack = [top]
        while stack:
            node = stack.pop()
            self.nodes.setdefault(node.key, node)
            stack.extend(reversed(node.all_children))


def _group_text(group: Any) -> str:
    flags = group_roles(group)
    if group.is_pseudo:
        flags.append("pseudogroep")
    return f"roostergroep {group.label}" + (f" ({', '.join(flags)})" if flags else "")


def _gather(node: Node) -> frozenset[Finding]:
    if node.all_children:
        below = set(node.findings)
        for child in node.all_children:
            beneath = _gather(child)
            if beneath:
                below |= beneath
        node.beneath = frozenset(below) if below else NOTHING
    return node.beneath


def release(root: Node) -> None:
    """Take apart a tree that is no longer shown: parent links broken, children let go.

    Without cycles the old tree is freed by reference counting, a node at a time, and the cyclic
    garbage collector (which the app keeps away from loaded data) never has to find it.
    """
    stack = [root]
    while stack:
        node = stack.pop()
        stack.extend(node.all_children)
        # Held by the walk alone from here on: each node is freed as the walk passes it, not
        # the whole tree in one go when its root is dropped (which holds the interpreter).
        node.all_children = []
        node.children = NO_CHILDREN
        node.parent = None
        node.index = None
        node.grow = None
