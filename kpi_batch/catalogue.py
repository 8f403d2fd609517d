"""One issue catalogue: every problem the tool reports is declared once, the same way.

Each package that checks something declares its problems in its own `codes.py` with a
`Catalogue`: a stable code (it appears in reports, manifest.json, history and golden files:
never rename one), a severity, and a Thai and an English message. Messages are `str.format`
templates; `{value}`, `{unit_id}` and `{kpi_id}` are always filled, a check adds its own
fields, and a field it leaves out shows as nothing (a message never raises).

Declaring a new code is one line in the package's codes.py, raising it one call:

    NO_CRITERIA = SCORING.declare("no_criteria", WARNING, "ตัวชี้วัด {kpi_id} ...", "... {kpi_id}")
    issues.append(NO_CRITERIA.issue(unit_id=u, kpi_id=k))        # or SCORING["no_criteria"]

`issue(...)` also takes where the problem is (`file`, `sheet`, `cell`) and `value`, the
value as found. Optional doc-only fields (`problem`, `effect`, `at`) fill the columns of the
code tables in docs/*.md, which `python -m kpi_batch.code_docs` writes from the catalogues.
tests/test_catalogue.py fails when a doc and a catalogue disagree, when a code is declared
twice, or when a module makes an `Issue` without a declared kind.
"""

from __future__ import annotations

import string
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TypeVar

from kpi_batch.issues import Issue, Severity

ERROR, WARNING = Severity.ERROR, Severity.WARNING

_REGISTRY: dict[str, IssueKind] = {}
_CATALOGUES: dict[str, Catalogue] = {}


class _Fields(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return ""


@dataclass(frozen=True)
class IssueKind:
    """One kind of problem: its code, severity and message templates (Thai, English).

    `variants` are other wordings of the same problem under the same code (e.g. "not a
    number" and "a denominator of 0" are both `adjustment_bad_number`): name -> (th, en).
    """

    code: str
    severity: Severity
    message_th: str
    message_en: str
    catalogue: str = ""
    problem: str = ""  # docs: when it is raised, in a planner's words
    effect: str = ""  # docs: what is not used
    at: str = ""  # docs: where the issue points
    variants: Mapping[str, tuple[str, str]] = field(default_factory=dict)

    def issue(
        self,
        *,
        file: str = "",
        sheet: str = "",
        cell: str = "",
        value: object = "",
        unit_id: str = "",
        kpi_id: str = "",
        variant: str = "",
        **fields: object,
    ) -> Issue:
        """The `Issue` at that place; `value`, `unit_id`, `kpi_id` and `fields` fill the message."""
        shown = "" if value is None else str(value)
        params = _Fields(self.message_fields(shown, unit_id, kpi_id))
        params.update(fields)
        th, en = self.variants[variant] if variant else (self.message_th, self.message_en)
        return Issue(
            code=self.code,
            severity=self.severity,
            message_th=th.format_map(params),
            message_en=en.format_map(params),
            sheet=sheet,
            cell=cell,
            file=file,
            value=shown,
            unit_id=unit_id,
            kpi_id=kpi_id,
        )

    def message_fields(self, value: str, unit_id: str, kpi_id: str) -> dict[str, object]:
        """The fields every message may use (a package may show them differently)."""
        return {"value": value, "unit_id": unit_id, "kpi_id": kpi_id}

    def templates(self) -> list[str]:
        """Every message template of the kind, variants included."""
        pairs = [(self.message_th, self.message_en), *self.variants.values()]
        return [text for pair in pairs for text in pair]

    def field_names(self) -> set[str]:
        """The fields the templates use."""
        formatter = string.Formatter()
        return {name for t in self.templates() for _, name, _, _ in formatter.parse(t) if name}


K = TypeVar("K", bound=IssueKind)


class Catalogue(Mapping[str, IssueKind]):
    """The kinds of one package, in declaration order; a code belongs to one catalogue."""

    def __init__(self, name: str, doc: str) -> None:
        self.name = name  # "intake", "framework", ...: the marker in docs/*.md
        self.doc = doc  # the docs page that lists the codes, e.g. "docs/intake.md"
        self._kinds: dict[str, IssueKind] = {}
        if name in _CATALOGUES:
            raise ValueError(f"catalogue {name!r} is made twice")
        _CATALOGUES[name] = self

    def declare(
        self,
        code: str,
        severity: Severity,
        message_th: str,
        message_en: str,
        *,
        problem: str = "",
        effect: str = "",
        at: str = "",
    ) -> IssueKind:
        """Declare a code; `problem`, `effect` and `at` only fill the docs' columns."""
        return self.add(
            IssueKind(code, severity, message_th, message_en, self.name, problem, effect, at)
        )

    def declare_variants(
        self,
        code: str,
        severity: Severity,
        variants: Mapping[str, tuple[str, str]],
        *,
        problem: str = "",
        effect: str = "",
        at: str = "",
    ) -> IssueKind:
        """Declare a code with several wordings (`issue(variant=name)`); the first is the one
        `issue()` without a variant gives."""
        (th, en), *_ = variants.values()
        wordings = MappingProxyType(dict(variants))
        kind = IssueKind(code, severity, th, en, self.name, problem, effect, at, wordings)
        return self.add(kind)

    def add(self, kind: K) -> K:
        """Register a kind built by the package (a subclass with its own fields)."""
        if kind.code in _REGISTRY:
            raise ValueError(f"issue code {kind.code!r} is declared twice")
        if kind.catalogue != self.name:
            raise ValueError(f"{kind.code!r} belongs to catalogue {kind.catalogue!r}")
        _REGISTRY[kind.code] = kind
        self._kinds[kind.code] = kind
        return kind

    def __getitem__(self, code: str) -> IssueKind:
        return self._kinds[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self._kinds)

    def __len__(self) -> int:
        return len(self._kinds)


def declared() -> Mapping[str, IssueKind]:
    """Every code declared so far (import the packages' codes modules first)."""
    return MappingProxyType(_REGISTRY)


def catalogues() -> list[Catalogue]:
    """Every catalogue made so far, by name."""
    return [_CATALOGUES[name] for name in sorted(_CATALOGUES)]
