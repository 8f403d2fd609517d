"""Write the issue-code tables of docs/*.md from the issue catalogue (kpi_batch/catalogue.py).

    python -m kpi_batch.code_docs           rewrite every table between its markers
    python -m kpi_batch.code_docs --check   exit 1, naming the page, when a table is stale

Each catalogue's page holds one block

    <!-- codes:intake -->
    | code | severity | ... |
    <!-- /codes:intake -->

and only the lines between the markers are rewritten. Every package's `codes.py` is imported
(found by name), so a new package's catalogue is picked up without a list to keep.
"""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

import kpi_batch
from kpi_batch.catalogue import Catalogue, IssueKind, catalogues

PACKAGE = Path(kpi_batch.__file__).resolve().parent
ROOT = PACKAGE.parent
# optional doc-only columns: (IssueKind attribute, header), shown when a catalogue uses them
_DETAILS = (("problem", "problem"), ("effect", "what is not used"), ("at", "reported at"))
_FIELD = re.compile(r"\{[^{}]*\}")


def load_catalogues() -> list[Catalogue]:
    """Every package's catalogue (by name), after importing every `codes.py` of the package."""
    for path in sorted(PACKAGE.rglob("codes.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        importlib.import_module(".".join(parts))
    return catalogues()


def _shown(template: str) -> str:
    """A message template as the docs show it: each field is `…`."""
    text = _FIELD.sub("…", template.replace("{{", "\0").replace("}}", "\1"))
    return text.replace("\0", "{").replace("\1", "}").replace("|", "\\|")


def _messages(kind: IssueKind, th: bool) -> str:
    pairs = list(kind.variants.values()) or [(kind.message_th, kind.message_en)]
    return " / ".join(_shown(pair[0] if th else pair[1]) for pair in pairs)


def table(catalogue: Catalogue) -> list[str]:
    """The markdown table of a catalogue, one row per code in declaration order."""
    kinds = list(catalogue.values())
    details = [(a, h) for a, h in _DETAILS if any(getattr(k, a) for k in kinds)]
    header = ["code", "severity", *(h for _, h in details), "Thai message", "English message"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for kind in kinds:
        cells = [
            f"`{kind.code}`",
            str(kind.severity),
            *(getattr(kind, a).replace("|", "\\|") or "—" for a, _ in details),
            _messages(kind, th=True),
            _messages(kind, th=False),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _markers(name: str) -> tuple[str, str]:
    return f"<!-- codes:{name} -->", f"<!-- /codes:{name} -->"


def rewrite(text: str, catalogue: Catalogue) -> str:
    """`text` with the catalogue's block replaced; ValueError when the markers are missing."""
    start, end = _markers(catalogue.name)
    lines = text.split("\n")
    try:
        first, last = lines.index(start), lines.index(end)
    except ValueError:
        raise ValueError(f"{catalogue.doc} has no {start} ... {end} block") from None
    return "\n".join([*lines[: first + 1], *table(catalogue), *lines[last:]])


def stale(catalogues: Iterable[Catalogue], root: Path = ROOT) -> list[str]:
    """The pages whose tables differ from the catalogues (or lack their markers)."""
    out = []
    for catalogue in catalogues:
        path = root / catalogue.doc
        text = path.read_text(encoding="utf-8")
        try:
            if rewrite(text, catalogue) != text:
                out.append(f"{catalogue.doc} ({catalogue.name})")
        except ValueError as exc:
            out.append(str(exc))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    catalogues = load_catalogues()
    if args == ["--check"]:
        bad = stale(catalogues)
        for line in bad:
            print(f"stale code table: {line}; run python -m kpi_batch.code_docs", file=sys.stderr)
        return 1 if bad else 0
    for catalogue in catalogues:
        path = ROOT / catalogue.doc
        text = path.read_text(encoding="utf-8")
        new = rewrite(text, catalogue)
        if new != text:
            path.write_text(new, encoding="utf-8")
            print(f"wrote {catalogue.doc} ({catalogue.name})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
