"""The returned copy written by editing the unit's package, part by part.

A returned copy changes little in the unit's file: a first sheet is added, some cells get a
fill and a comment, the styles gain a few entries. openpyxl would read and rewrite every
part (~33 ms a file; 4,000 returned files at 10,000 units were two minutes of the batch);
here only those parts are edited, as text, and every other part is copied unchanged (~3 ms),
so data validations, protection, names and the table survive by construction.

    marked_copy(data, make_plan) -> bytes | None

`make_plan(sheet names, {table name: sheet})` gives the `returned_plan.Markup` to write. None
means "not a package this module edits" and the caller uses openpyxl: no workbook part where
expected, a prefixed or unusual XML layout, comments already present (a copy of a copy, or the
unit's own notes), a marked cell that has no element in its sheet, an `แก้ไข` sheet already
there. Recognising less is safe; editing what it does not understand is not.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, unescape

from kpi_batch.reports.palette import SEVERITY_COLOURS
from kpi_batch.reports.returned_plan import (
    AUTHOR,
    COLUMNS,
    COMMENT_WIDTH,
    HEADER_ROW,
    NO_ISSUES,
    NOTE_SHEET,
    TITLE_SIZE,
    Mark,
    Markup,
    position,
)
from kpi_batch.workbook_style import FONT, FONT_SIZE

MakePlan = Callable[[Sequence[str], Mapping[str, str]], Markup]

_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_TYPE = _REL + "/"
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_CT_SHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_CT_COMMENTS = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
_CT_VML = "application/vnd.openxmlformats-officedocument.vmlDrawing"
_PINNED = (2024, 1, 1, 0, 0, 0)  # new parts' zip time: the same input gives the same bytes

_ATTR = re.compile(r'([\w:.-]+)="([^"]*)"')
_ENTITIES = {"&quot;": '"', "&apos;": "'"}
# Where <legacyDrawing> goes in a worksheet: before the first of these (schema order).
_AFTER_LEGACY = ("<legacyDrawingHF", "<drawingHF", "<picture", "<oleObjects", "<controls",
                 "<webPublishItems", "<tableParts", "<extLst", "</worksheet>")  # fmt: skip
_AFTER_NAMES = ("<calcPr", "<oleSize", "<customWorkbookViews", "<pivotCaches",
                "<smartTagPr", "<smartTagTypes", "<webPublishing", "<fileRecoveryPr",
                "<webPublishObjects", "<extLst", "</workbook>")  # fmt: skip


class NotHandled(Exception):
    """The package has something this module does not edit; openpyxl takes over."""


def marked_copy(data: bytes, make_plan: MakePlan) -> bytes | None:
    try:
        return _Package(data).marked(make_plan)
    except (NotHandled, zipfile.BadZipFile, KeyError, ValueError, IndexError):
        return None


@dataclass
class _Sheet:
    name: str
    part: str  # xl/worksheets/sheet1.xml
    xml: str
    rels: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (type, target)


class _Package:
    def __init__(self, data: bytes) -> None:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            self.infos = z.infolist()
            self.parts = {i.filename: z.read(i) for i in self.infos}
        self.new: dict[str, bytes] = {}

    def text(self, name: str) -> str:
        return self.parts[name].decode("utf-8")

    def marked(self, make_plan: MakePlan) -> bytes:
        if any(name.lower().endswith("vbaproject.bin") for name in self.parts):
            raise NotHandled("macros: openpyxl writes the copy without them")
        if any(_is_comment_part(name) for name in self.parts):
            raise NotHandled("comments present")
        if "xl/workbook.xml" not in _targets(self.text("_rels/.rels")):
            raise NotHandled("workbook part not at xl/workbook.xml")
        workbook = self.text("xl/workbook.xml")
        if re.search(r"<workbook\b", workbook) is None:
            raise NotHandled("prefixed workbook")
        book_rels = _relationships(self.text("xl/_rels/workbook.xml.rels"))
        sheets = self._sheets(workbook, book_rels)
        names = [s.name for s in sheets] + self._other_sheet_names(workbook, sheets)
        if NOTE_SHEET in names:
            raise NotHandled("note sheet present")
        tables = self._tables(sheets)
        the_plan = make_plan(_sheet_order(workbook), tables)

        styles = _Styles(self.text("xl/styles.xml"))
        by_sheet: dict[str, list[Mark]] = {}
        for mark in the_plan.marks:
            by_sheet.setdefault(mark.sheet, []).append(mark)
        content_types = self.text("[Content_Types].xml")
        for index, sheet in enumerate(sheets, start=1):
            xml = re.sub(r"<sheetView\b[^>]*?(?=/?>)", _unselected, sheet.xml)
            marks = by_sheet.pop(sheet.name, [])
            if marks:
                xml, comments = self._mark(sheet, xml, marks, styles, index)
                content_types = _add_override(content_types, "/" + comments, _CT_COMMENTS)
                if 'Extension="vml"' not in content_types:
                    default = f'<Default Extension="vml" ContentType="{_CT_VML}"/>'
                    content_types = content_types.replace("</Types>", default + "</Types>", 1)
            if xml != sheet.xml:
                self.new[sheet.part] = xml.encode("utf-8")
        if by_sheet:  # a mark on a chartsheet or a sheet we could not read
            raise NotHandled("marked sheet not found")

        part = _free(self.parts, "xl/worksheets/sheet{}.xml")
        rid = _free_id(book_rels)
        self.new[part] = _note_sheet(the_plan, styles.note_styles()).encode("utf-8")
        self.new["xl/styles.xml"] = styles.xml().encode("utf-8")
        rels = self.text("xl/_rels/workbook.xml.rels")
        target = posixpath.relpath(part, "xl")
        self.new["xl/_rels/workbook.xml.rels"] = _add_relationship(
            rels, rid, _TYPE + "worksheet", target
        ).encode("utf-8")
        self.new["xl/workbook.xml"] = _add_sheet(workbook, rid).encode("utf-8")
        content_types = _add_override(content_types, "/" + part, _CT_SHEET)
        self.new["[Content_Types].xml"] = content_types.encode("utf-8")
        return self._zip()

    def _sheets(self, workbook: str, book_rels: Mapping[str, tuple[str, str]]) -> list[_Sheet]:
        sheets = []
        for attrs in _elements(_inner(workbook, "sheets"), "sheet"):
            rel_type, target = book_rels[attrs["r:id"]]
            if not rel_type.endswith("/worksheet"):
                continue  # a chartsheet or dialog sheet: never marked
            part = _resolve("xl", target)
            rels_part = posixpath.join(
                posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels"
            )
            rels = _relationships(self.text(rels_part)) if rels_part in self.parts else {}
            sheets.append(_Sheet(attrs["name"], part, self.text(part), rels))
        return sheets

    def _other_sheet_names(self, workbook: str, sheets: Sequence[_Sheet]) -> list[str]:
        known = {s.name for s in sheets}
        return [n for n in _sheet_order(workbook) if n not in known]

    def _tables(self, sheets: Sequence[_Sheet]) -> dict[str, str]:
        tables: dict[str, str] = {}
        for sheet in sheets:
            for rel_type, target in sheet.rels.values():
                if rel_type.endswith("/table"):
                    table = self.text(_resolve(posixpath.dirname(sheet.part), target))
                    head = re.search(r"<table\b[^>]*>", table)
                    name = head and _attrs(head[0]).get("displayName")
                    if name:
                        tables.setdefault(name, sheet.name)
        return tables

    def _mark(
        self, sheet: _Sheet, xml: str, marks: Sequence[Mark], styles: _Styles, n: int
    ) -> tuple[str, str]:
        """Fills, comments and their drawing for sheet number `n`: (sheet XML, comments part)."""
        if "<legacyDrawing " in xml or "<legacyDrawing>" in xml:
            raise NotHandled("sheet has a legacy drawing")
        for mark in marks:
            xml = _restyle(xml, mark.cell, styles, mark.fill)
        comments = _free(self.parts, "xl/comments{}.xml")
        vml = _free(self.parts, "xl/drawings/vmlDrawing{}.vml")
        self.new[comments] = _comments_xml(marks).encode("utf-8")
        self.new[vml] = _vml(marks, n).encode("utf-8")
        rels_part = posixpath.join(
            posixpath.dirname(sheet.part), "_rels", posixpath.basename(sheet.part) + ".rels"
        )
        rels_xml = (
            self.text(rels_part)
            if rels_part in self.parts
            else '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            "</Relationships>"
        )
        here = posixpath.dirname(sheet.part)
        vml_id = _free_id(sheet.rels)
        rels_xml = _add_relationship(
            rels_xml, vml_id, _TYPE + "vmlDrawing", posixpath.relpath(vml, here)
        )
        comments_id = _free_id(sheet.rels | {vml_id: ("", "")})
        rels_xml = _add_relationship(
            rels_xml, comments_id, _TYPE + "comments", posixpath.relpath(comments, here)
        )
        self.new[rels_part] = rels_xml.encode("utf-8")
        root = re.search(r"<worksheet\b[^>]*>", xml)
        if root is None:
            raise NotHandled("prefixed worksheet")
        if f'xmlns:r="{_REL}"' not in root[0]:
            if "xmlns:r=" in root[0]:
                raise NotHandled("r prefix bound elsewhere")
            xml = xml.replace(root[0], root[0][:-1] + f' xmlns:r="{_REL}">', 1)
        at = min((i for tag in _AFTER_LEGACY if (i := xml.find(tag)) >= 0), default=-1)
        if at < 0:
            raise NotHandled("no end of worksheet")
        return xml[:at] + f'<legacyDrawing r:id="{vml_id}"/>' + xml[at:], comments

    def _zip(self) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for info in self.infos:
                body = self.new.pop(info.filename, None)
                if body is None:
                    body = self.parts[info.filename]
                copy = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                copy.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(copy, body)
            for name, body in self.new.items():
                info = zipfile.ZipInfo(name, date_time=_PINNED)
                info.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(info, body)
        return out.getvalue()


# --- XML helpers ----------------------------------------------------------------------


def _attrs(tag: str) -> dict[str, str]:
    return {k: unescape(v, _ENTITIES) for k, v in _ATTR.findall(tag)}


def _elements(xml: str, name: str) -> list[dict[str, str]]:
    return [_attrs(m[0]) for m in re.finditer(rf"<{name}\b[^>]*>", xml)]


def _inner(xml: str, name: str) -> str:
    m = re.search(rf"<{name}\b[^>]*>(.*?)</{name}>", xml, re.S)
    if m is None:
        raise NotHandled(f"no <{name}>")
    return m[1]


def _sheet_order(workbook: str) -> list[str]:
    return [a["name"] for a in _elements(_inner(workbook, "sheets"), "sheet")]


def _relationships(xml: str) -> dict[str, tuple[str, str]]:
    return {
        a["Id"]: (a["Type"], a["Target"])
        for a in _elements(xml, "Relationship")
        if a.get("TargetMode") != "External"
    }


def _targets(xml: str) -> set[str]:
    return {_resolve("", target) for _, target in _relationships(xml).values()}


def _resolve(base: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(base, target))


def _free(parts: Mapping[str, bytes], pattern: str) -> str:
    n = 1
    while pattern.format(n) in parts:
        n += 1
    return pattern.format(n)


def _free_id(rels: Mapping[str, object]) -> str:
    n = len(rels) + 1
    while f"rId{n}" in rels:
        n += 1
    return f"rId{n}"


def _add_relationship(xml: str, rid: str, rel_type: str, target: str) -> str:
    new = f'<Relationship Id="{rid}" Type="{rel_type}" Target="{escape(target)}"/>'
    if "</Relationships>" not in xml:
        raise NotHandled("relationships")
    return xml.replace("</Relationships>", new + "</Relationships>", 1)


def _add_override(xml: str, part: str, content_type: str) -> str:
    if "</Types>" not in xml:
        raise NotHandled("content types")
    new = f'<Override PartName="{escape(part)}" ContentType="{content_type}"/>'
    return xml.replace("</Types>", new + "</Types>", 1)


def _add_sheet(workbook: str, rid: str) -> str:
    """The note sheet first and active; sheet-scoped names follow their sheet (+1)."""
    ids = [int(a["sheetId"]) for a in _elements(_inner(workbook, "sheets"), "sheet")]
    sheet = f'<sheet name="{NOTE_SHEET}" sheetId="{max(ids, default=0) + 1}" r:id="{rid}"/>'
    m = re.search(r"<sheets\b[^>]*>", workbook)
    if m is None:
        raise NotHandled("no <sheets>")
    workbook = workbook[: m.end()] + sheet + workbook[m.end() :]
    workbook = re.sub(
        r'localSheetId="(\d+)"', lambda x: f'localSheetId="{int(x[1]) + 1}"', workbook
    )
    titles = (
        f'<definedName name="_xlnm.Print_Titles" localSheetId="0">'
        f"'{NOTE_SHEET}'!${HEADER_ROW}:${HEADER_ROW}</definedName>"
    )
    if re.search(r"<definedNames\s*/>", workbook):
        raise NotHandled("empty definedNames")
    m = re.search(r"<definedNames\b[^>]*>", workbook)
    if m is not None:
        workbook = workbook[: m.end()] + titles + workbook[m.end() :]
    else:
        at = min((i for tag in _AFTER_NAMES if (i := workbook.find(tag)) >= 0), default=-1)
        if at < 0:
            raise NotHandled("no end of workbook")
        workbook = workbook[:at] + f"<definedNames>{titles}</definedNames>" + workbook[at:]
    view = re.search(r"<workbookView\b[^>]*?/?>", workbook)
    if view is not None:
        tag = re.sub(r'\s(?:activeTab|firstSheet)="\d+"', "", view[0])
        end = -2 if tag.endswith("/>") else -1
        workbook = workbook.replace(view[0], tag[:end] + ' activeTab="0"' + tag[end:], 1)
    return workbook


def _unselected(view: re.Match[str]) -> str:
    """`<sheetView ...` with tabSelected="0": two selected tabs would group the sheets."""
    return re.sub(r'\s+tabSelected="[^"]*"', "", view[0]) + ' tabSelected="0"'


def _t(text: str) -> str:
    return f'<t xml:space="preserve">{escape(text)}</t>'


# --- styles ---------------------------------------------------------------------------


class _Styles:
    """styles.xml with fonts, fills and cell formats appended (existing indexes unchanged)."""

    def __init__(self, xml: str) -> None:
        self.source = xml
        self.fonts = self._list(xml, "fonts", "font")
        self.fills = self._list(xml, "fills", "fill")
        self.xfs = self._list(xml, "cellXfs", "xf")
        self.added_fonts: list[str] = []
        self.added_fills: list[str] = []
        self.added_xfs: list[str] = []
        self._memo: dict[tuple[str, ...], int] = {}

    @staticmethod
    def _list(xml: str, outer: str, inner: str) -> list[str]:
        body = _inner(xml, outer)
        return re.findall(rf"<{inner}\b[^>]*?/>|<{inner}\b[^>]*>.*?</{inner}>", body, re.S)

    def font(self, size: int, bold: bool = False, colour: str = "", underline: bool = False) -> int:
        key = ("font", str(size), str(bold), colour, str(underline))
        if key not in self._memo:
            parts = ["<b/>" if bold else "", '<u val="single"/>' if underline else ""]
            parts.append(f'<sz val="{size}"/>')
            parts.append(f'<color rgb="FF{colour}"/>' if colour else "")
            parts.append(f'<name val="{escape(FONT)}"/>')
            self.added_fonts.append(f"<font>{''.join(parts)}</font>")
            self._memo[key] = len(self.fonts) + len(self.added_fonts) - 1
        return self._memo[key]

    def fill(self, colour: str) -> int:
        key = ("fill", colour)
        if key not in self._memo:
            self.added_fills.append(
                f'<fill><patternFill patternType="solid"><fgColor rgb="FF{colour}"/>'
                f'<bgColor rgb="FF{colour}"/></patternFill></fill>'
            )
            self._memo[key] = len(self.fills) + len(self.added_fills) - 1
        return self._memo[key]

    def note_xf(self, font: int, fill: int = 0) -> int:
        """A wrapped, top-aligned cell of the note sheet."""
        key = ("xf", str(font), str(fill))
        if key not in self._memo:
            apply_fill = ' applyFill="1"' if fill else ""
            self.added_xfs.append(
                f'<xf numFmtId="0" fontId="{font}" fillId="{fill}" borderId="0" xfId="0"'
                f' applyFont="1"{apply_fill} applyAlignment="1">'
                '<alignment vertical="top" wrapText="1"/></xf>'
            )
            self._memo[key] = len(self.xfs) + len(self.added_xfs) - 1
        return self._memo[key]

    def filled(self, style: int, colour: str) -> int:
        """Cell format `style` with a solid fill, everything else (protection!) kept."""
        key = ("filled", str(style), colour)
        if key not in self._memo:
            if style >= len(self.xfs):
                raise NotHandled("style index out of range")
            xf = self.xfs[style]
            head = re.match(r"<xf\b[^>]*?(/?)>", xf)
            assert head is not None
            tag = re.sub(r'\s(?:fillId|applyFill)="[^"]*"', "", head[0])
            end = -2 if head[1] else -1
            tag = tag[:end] + f' fillId="{self.fill(colour)}" applyFill="1"' + tag[end:]
            self.added_xfs.append(tag + xf[len(head[0]) :])
            self._memo[key] = len(self.xfs) + len(self.added_xfs) - 1
        return self._memo[key]

    def note_styles(self) -> dict[str, int]:
        plain = self.font(FONT_SIZE)
        bold = self.font(FONT_SIZE, bold=True)
        styles = {
            "title": self.note_xf(self.font(TITLE_SIZE, bold=True)),
            "bold": self.note_xf(bold),
            "plain": self.note_xf(plain),
            "header": self.note_xf(self.font(FONT_SIZE, True, "FFFFFF"), self.fill("1F4E78")),
            "link": self.note_xf(self.font(FONT_SIZE, colour="0563C1", underline=True)),
        }
        for severity, (bg, fg) in SEVERITY_COLOURS.items():
            font = self.font(FONT_SIZE, bold=True, colour=fg.lstrip("#"))
            styles[severity.value] = self.note_xf(font, self.fill(bg.lstrip("#")))
        return styles

    def xml(self) -> str:
        xml = self.source
        for outer, items, added in (
            ("fonts", self.fonts, self.added_fonts),
            ("fills", self.fills, self.added_fills),
            ("cellXfs", self.xfs, self.added_xfs),
        ):
            if not added:
                continue
            m = re.search(rf"<{outer}\b([^>]*)>(.*?)</{outer}>", xml, re.S)
            assert m is not None
            attrs = re.sub(r'\s?count="\d+"', "", m[1])
            new = (
                f'<{outer} count="{len(items) + len(added)}"{attrs}>'
                f"{m[2]}{''.join(added)}</{outer}>"
            )
            xml = xml[: m.start()] + new + xml[m.end() :]
        return xml


def _restyle(xml: str, cell: str, styles: _Styles, colour: str) -> str:
    m = re.search(rf'<c\b(?=[^>]*\br="{cell}")([^>]*?)(/?)>', xml)
    if m is None:
        raise NotHandled(f"no element for {cell}")
    attrs = m[1]
    found = re.search(r'\bs="(\d+)"', attrs)
    style = styles.filled(int(found[1]) if found else 0, colour)
    attrs = re.sub(r'\s?\bs="\d+"', "", attrs)
    new = f'<c{attrs} s="{style}"{m[2]}>'
    return xml[: m.start()] + new + xml[m.end() :]


def _is_comment_part(name: str) -> bool:
    base = posixpath.basename(name).lower()
    return (base.startswith("comment") and base.endswith(".xml")) or base.endswith(".vml")


# --- new parts ------------------------------------------------------------------------


def _comments_xml(marks: Sequence[Mark]) -> str:
    items = "".join(
        f'<comment ref="{m.cell}" authorId="0" shapeId="0"><text>{_t(m.comment)}</text></comment>'
        for m in marks
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<comments xmlns="{_MAIN}"><authors><author>{AUTHOR}</author></authors>'
        f"<commentList>{items}</commentList></comments>"
    )


def _vml(marks: Sequence[Mark], n: int) -> str:
    shapes = []
    for i, mark in enumerate(marks, start=1):
        row, col = position(mark.cell)
        shapes.append(
            f'<v:shape id="_x0000_s{1024 * n + i}" type="#_x0000_t202" style="position:absolute;'
            f" margin-left:59.25pt;margin-top:1.5pt;width:{COMMENT_WIDTH}px;"
            f'height:{mark.comment_height}px;z-index:{i};visibility:hidden" fillcolor="#ffffe1"'
            ' o:insetmode="auto"><v:fill color2="#ffffe1"/>'
            '<v:shadow on="t" color="black" obscured="t"/><v:path o:connecttype="none"/>'
            '<v:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div>'
            '</v:textbox><x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/>'
            f"<x:AutoFill>False</x:AutoFill><x:Row>{row - 1}</x:Row>"
            f"<x:Column>{col - 1}</x:Column></x:ClientData></v:shape>"
        )
    return (
        '<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:'
        'office" xmlns:x="urn:schemas-microsoft-com:office:excel">'
        f'<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="{n}"/></o:shapelayout>'
        '<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202"'
        ' path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/>'
        '<v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>'
        f"{''.join(shapes)}</xml>"
    )


def _note_sheet(the_plan: Markup, styles: Mapping[str, int]) -> str:
    """The `แก้ไข` sheet, as openpyxl writes it in `returned._note_sheet`."""
    ncol = len(COLUMNS)
    letters = "ABCDEFG"[:ncol]
    rows = []
    for r, line in enumerate(the_plan.lines, start=1):
        rows.append(_row(r, line.height, [("A", line.text, styles[line.kind])]))
    header = [(letters[i], h, styles["header"]) for i, (h, _) in enumerate(COLUMNS)]
    rows.append(_row(HEADER_ROW, the_plan.header_height, header))
    links = []
    for n, note in enumerate(the_plan.rows, start=1):
        r = HEADER_ROW + n
        cells = []
        for i, value in enumerate(note.values):
            style = styles["plain"]
            if i == 1 and note.link:
                style = styles["link"]
                links.append(
                    f'<hyperlink ref="B{r}" location="{escape(note.link, {chr(34): "&quot;"})}"/>'
                )
            elif i == 2:
                style = styles[note.severity.value]
            cells.append((letters[i], value, style))
        rows.append(_row(r, note.height, cells))
    if not the_plan.rows:
        rows.append(
            f'<row r="{HEADER_ROW + 1}"><c r="E{HEADER_ROW + 1}" t="inlineStr">'
            f"<is>{_t(NO_ISSUES)}</is></c></row>"
        )
    last = HEADER_ROW + max(len(the_plan.rows), 1)
    cols = "".join(
        f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
        for i, (_, w) in enumerate(COLUMNS, start=1)
    )
    merges = "".join(
        f'<mergeCell ref="A{r}:{letters[-1]}{r}"/>' for r in range(1, len(the_plan.lines) + 1)
    )
    hyperlinks = f"<hyperlinks>{''.join(links)}</hyperlinks>" if links else ""
    footer = escape(f'&C&"{FONT}"หน้า &P / &N')
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
        '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
        f'<dimension ref="A1:{letters[-1]}{last}"/>'
        '<sheetViews><sheetView tabSelected="1" workbookViewId="0">'
        f'<pane ySplit="{HEADER_ROW}" topLeftCell="A{HEADER_ROW + 1}" activePane="bottomLeft"'
        ' state="frozen"/><selection pane="bottomLeft" activeCell="A1" sqref="A1"/>'
        "</sheetView></sheetViews>"
        '<sheetFormatPr baseColWidth="8" defaultRowHeight="15"/>'
        f"<cols>{cols}</cols><sheetData>{''.join(rows)}</sheetData>"
        f'<mergeCells count="{len(the_plan.lines)}">{merges}</mergeCells>{hyperlinks}'
        '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/>'
        '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
        f"<headerFooter><oddFooter>{footer}</oddFooter></headerFooter></worksheet>"
    )


def _row(r: int, height: float, cells: Sequence[tuple[str, str, int]]) -> str:
    body = "".join(
        f'<c r="{col}{r}" s="{style}" t="inlineStr"><is>{_t(text)}</is></c>'
        if text
        else f'<c r="{col}{r}" s="{style}"/>'
        for col, text, style in cells
    )
    return f'<row r="{r}" ht="{height:g}" customHeight="1">{body}</row>'


__all__ = ["NotHandled", "marked_copy"]
