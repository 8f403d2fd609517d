"""The report colours: one band palette, and the severity colours of listed problems.

Bands: every workbook and chart colours a band the same way.

A band's colour follows its place from the top (highest `min_score` first): the top band is
green and the bottom band red in every workbook, whatever the number of bands, and no two
bands of one framework share a colour. Fills are light with dark text of the same hue, so
a band reads on screen, in print and in grey-scale print (the fills differ in lightness).
"""

from __future__ import annotations

from kpi_batch.issues import Severity

# Severity -> (fill, font colour), the same in every report: red must be fixed, orange
# checked. Strong enough to stand out from the unit template's pale yellow input cells.
SEVERITY_COLOURS = {
    Severity.ERROR: ("#FF9B9B", "#7A0000"),
    Severity.WARNING: ("#FFC06A", "#5C3300"),
}

# (fill, font) from the top band down; distinct hues that keep the traffic-light order.
BAND_COLOURS: tuple[tuple[str, str], ...] = (
    ("#63BE7B", "#0B3D1B"),  # green: the top band
    ("#9BC2E6", "#1F3864"),  # blue
    ("#FFE699", "#5C4500"),  # yellow
    ("#F4B183", "#6B2D07"),  # orange
    ("#FF8F8F", "#6E0000"),  # red: the bottom band
)
# Bands beyond five take these, between orange and red.
EXTRA_COLOURS: tuple[tuple[str, str], ...] = (
    ("#C9B3E6", "#3F2460"),  # purple
    ("#BFBFBF", "#262626"),  # grey
    ("#A9E1E0", "#124746"),  # teal
    ("#F8CBE0", "#5E1538"),  # pink
)


def band_colours(count: int) -> list[tuple[str, str]]:
    """(fill, font) for each of `count` bands, from the top band down, all distinct while
    `count` <= 9 (then they repeat)."""
    if count <= 0:
        return []
    main = len(BAND_COLOURS)
    if count == 1:
        return [BAND_COLOURS[0]]
    if count <= main:  # spread over green..red, keeping both ends
        picks = [round(i * (main - 1) / (count - 1)) for i in range(count)]
        return [BAND_COLOURS[p] for p in picks]
    middle = [*BAND_COLOURS[:-1], *EXTRA_COLOURS]
    out = [middle[i % len(middle)] for i in range(count - 1)]
    return [*out, BAND_COLOURS[-1]]


def band_colour(index: int, count: int) -> tuple[str, str]:
    """(fill, font) of the band `index` places from the top, of `count` bands."""
    colours = band_colours(max(count, index + 1))
    return colours[index]
