"""Native Excel charts of the executive workbook, drawn from cells already on its sheets.

Charts refer to cell ranges (never to copied numbers), so what a chart shows is what the
table beside it says, and someone who filters or edits the table sees the chart follow.
Every chart uses the house font; LibreOffice renders them in the PDF.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import xlsxwriter
from xlsxwriter.chart import Chart

from kpi_batch.reports.executive_style import BAR_COLOUR, HEADER_BG
from kpi_batch.workbook_style import FONT

# Lines of the trend chart: the whole organisation first (dark, thick), then clusters.
LINE_COLOURS = ("#1F4E78", "#ED7D31", "#70AD47", "#7030A0", "#FFC000", "#4472C4", "#C00000")
NAMED_BARS = 60  # up to this many units the score chart names each bar


def _font(size: float = 12, bold: bool = False) -> dict[str, object]:
    return {"name": FONT, "size": size, "bold": bold}


def _title(chart: Chart, title: str) -> None:
    chart.set_title({"name": title, "name_font": _font(16, bold=True)})


def _value_axis(top: Decimal, title: str = "") -> dict[str, object]:
    """0 to the top point in five steps, one decimal: a scale, not a reading of values."""
    axis: dict[str, object] = {
        "min": 0, "max": float(top), "major_unit": float(top) / 5, "num_format": "0.0",
        "num_font": _font(11), "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}},
    }  # fmt: skip
    if title:
        axis.update({"name": title, "name_font": _font(12)})
    return axis


Range = tuple[str, int, int, int, int]  # sheet, first row, first col, last row, last col


def cluster_chart(
    wb: xlsxwriter.Workbook, names: Range, means: Range, top: Decimal, number_format: str
) -> Chart:
    """Columns: mean final score of each cluster, labelled with its value."""
    chart = wb.add_chart({"type": "column"})
    chart.add_series(
        {"name": "คะแนนเฉลี่ย (mean)", "categories": list(names), "values": list(means),
         "fill": {"color": HEADER_BG}, "gap": 80,
         "data_labels": {"value": True, "num_format": number_format, "font": _font(12)}}
    )  # fmt: skip
    _title(chart, "คะแนนเฉลี่ยรายกลุ่มหน่วยงาน")
    chart.set_x_axis({"num_font": _font(12)})
    chart.set_y_axis(_value_axis(top, "คะแนนเฉลี่ย"))
    chart.set_legend({"none": True})
    chart.set_size({"width": 900, "height": 380})
    return chart


def unit_chart(
    wb: xlsxwriter.Workbook,
    names: Range,
    scores: Range,
    count: int,
    top: Decimal,
    number_format: str,
    fills: Sequence[str | None] = (),
) -> Chart:
    """Final score of every ranked unit, highest first; `fills[i]` colours bar i by its
    band (the palette of `palette.py`, as in the tables), so the band limits show as
    colour changes along the sorted bars.

    Up to `NAMED_BARS` units: horizontal bars named by unit, rank 1 at the top. More than
    that cannot be labelled legibly, so the chart becomes a profile of sorted columns.
    """
    named = count <= NAMED_BARS
    chart = wb.add_chart({"type": "bar" if named else "column"})
    series: dict[str, object] = {
        "name": "คะแนนสุดท้าย (final_score)",
        "categories": list(names),
        "values": list(scores),
        "fill": {"color": BAR_COLOUR},
        "gap": 40 if named else 0,
    }
    if named:
        series["data_labels"] = {"value": True, "num_format": number_format, "font": _font(10)}
    if any(fills):
        series["points"] = [
            {"fill": {"color": f}, "border": {"color": "#595959"}} if f else None for f in fills
        ]
    chart.add_series(series)
    _title(chart, "คะแนนสุดท้ายรายหน่วยงาน เรียงจากมากไปน้อย")
    axis = _value_axis(top)
    if named:
        chart.set_x_axis(axis)  # a bar chart's value axis is x
        # Rank 1 at the top; crossing at max keeps the value axis at the bottom.
        # Every unit named (interval 1): left alone, a renderer may skip every other name.
        chart.set_y_axis({"reverse": True, "crossing": "max", "num_font": _font(11),
                          "interval_unit": 1})  # fmt: skip
        height = max(360, 30 * count + 110)  # room for a Thai name per bar
    else:
        chart.set_y_axis(axis)
        chart.set_x_axis({"name": "หน่วยงาน เรียงตามคะแนน (ชื่อดูในแผ่นงานอันดับรวม)",
                          "name_font": _font(12), "label_position": "none"})  # fmt: skip
        height = 480
    chart.set_legend({"none": True})
    chart.set_size({"width": 1000, "height": height})
    return chart


def trend_chart(
    wb: xlsxwriter.Workbook,
    categories: Range,
    series: Sequence[tuple[tuple[str, int, int], Range]],
    top: Decimal,
) -> Chart:
    """Lines with markers: (name cell, values range) per series, one point per run."""
    chart = wb.add_chart({"type": "line"})
    for i, (name, values) in enumerate(series):
        colour = LINE_COLOURS[i % len(LINE_COLOURS)]
        chart.add_series(
            {"name": list(name), "categories": list(categories), "values": list(values),
             "line": {"color": colour, "width": 3.0 if i == 0 else 1.75},
             "marker": {"type": "circle", "size": 7 if i == 0 else 5,
                        "fill": {"color": colour}, "border": {"color": colour}}}
        )  # fmt: skip
    _title(chart, "คะแนนเฉลี่ยในแต่ละครั้งที่ประมวลผล")
    chart.set_x_axis({"num_font": _font(11)})
    chart.set_y_axis(_value_axis(top, "คะแนนเฉลี่ย"))
    chart.set_legend({"position": "bottom", "font": _font(12)})
    chart.set_size({"width": 1000, "height": 400})
    return chart
