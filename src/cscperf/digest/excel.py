"""The digest as an Excel workbook (XlsxWriter): a summary sheet, then one sheet per area with each
indicator's monthly series (value, numerator, denominator, mean, limits, target) and a native Excel
line chart of it, so analysts can re-use the numbers without re-keying them; for internal audiences a
`Teams` sheet with every team's figure for the month (the PDF shows only the bottom and top teams)."""

from __future__ import annotations

from pathlib import Path

import xlsxwriter

from cscperf.digest.model import DigestModel, IndicatorSection
from cscperf.digest.render import bench_value, rank_text
from cscperf.digest.spc import ICON_LABELS
from cscperf.digest.suppression import SUPPRESSED

SUMMARY_HEADER = ["Area", "Indicator", "Id", "Month", "Value", "Numerator", "Denominator", "Target", "RAG",
                  "Trend", "Variation", "Assurance", "England (latest published)", "Neighbours median", "Rank/band"]
TEAMS_HEADER = ["Area", "Indicator", "Id", "Team", "Numerator", "Denominator", "Value", "RAG"]
SERIES_HEADER = ["Month", "Value", "Numerator", "Denominator", "Mean", "Upper limit", "Lower limit", "Target"]


def _cell(ws, row: int, col: int, value: object, fmt=None) -> None:
    if value is None:
        ws.write_blank(row, col, None, fmt)
    elif value == SUPPRESSED or isinstance(value, str):
        ws.write_string(row, col, str(value), fmt)
    else:
        ws.write_number(row, col, float(value), fmt)  # type: ignore[arg-type]


def write_xlsx(model: DigestModel, path: Path) -> None:
    wb = xlsxwriter.Workbook(str(path))
    bold = wb.add_format({"bold": True, "bg_color": "#F3F2F1", "border": 1})
    one_dp = wb.add_format({"num_format": "0.0"})
    month_fmt = wb.add_format({"num_format": "mmm yyyy"})
    title = wb.add_format({"bold": True, "font_size": 14})

    ws = wb.add_worksheet("Summary")
    ws.write(0, 0, f"{model.audience.title} - {model.council_name} - {model.month:%B %Y}", title)
    if model.audience.public:
        ws.write(1, 0, "Public report: counts from 1 to 4 are shown as 'c', with secondary suppression.")
    ws.write_row(3, 0, SUMMARY_HEADER, bold)
    row = 4
    for _, area_title, items in model.areas:
        for s in items:
            cur = s.current
            values = [area_title, s.info.title, s.info.id, f"{model.month:%Y-%m}",
                      cur.value if cur else None, cur.numerator if cur else None, cur.denominator if cur else None,
                      s.target.target if s.target else None, s.rag or "", s.trend or "",
                      ICON_LABELS.get(s.variation or "", ""), ICON_LABELS.get(s.assurance or "", ""),
                      bench_value(s, "england"), bench_value(s, "sn_median"), rank_text(s)]
            for col, value in enumerate(values):
                _cell(ws, row, col, value, one_dp if col in (4, 7) else None)
            row += 1
    ws.set_column(0, 0, 18)
    ws.set_column(1, 1, 55)
    ws.set_column(2, 14, 14)

    used: set[str] = {"Summary"}
    for area_key, area_title, items in model.areas:
        name = _sheet_name(area_title, used)
        sheet = wb.add_worksheet(name)
        top = 0
        for s in items:
            top = _indicator_block(wb, sheet, name, s, top, bold, one_dp, month_fmt)
    if model.audience.teams and any(s.teams for s in model.sections()):
        _teams_sheet(wb, _sheet_name("Teams", used), model, bold, one_dp)
    if model.data_quality:
        dq = wb.add_worksheet(_sheet_name("Data quality", used))
        dq.write_row(0, 0, ["Type", "Findings"], bold)
        r = 1
        for rtype, n in model.data_quality.by_type.items():
            _cell(dq, r, 0, rtype)
            _cell(dq, r, 1, n)
            r += 1
        _cell(dq, r, 0, "Total", bold)
        _cell(dq, r, 1, model.data_quality.total, bold)
        if model.data_quality.by_rule:
            dq.write_row(r + 2, 0, ["Rule", "Type", "Message", "Findings"], bold)
            for i, (code, rtype, msg, n) in enumerate(model.data_quality.by_rule, start=r + 3):
                dq.write_row(i, 0, [code, rtype, msg])
                _cell(dq, i, 3, n)
        dq.set_column(0, 1, 14)
        dq.set_column(2, 2, 70)
    wb.close()


def _teams_sheet(wb, name: str, model: DigestModel, bold, one_dp) -> None:
    """Every team's figure for the month, per indicator (the PDF shows only the bottom and top
    teams and points here); a filterable table, one row per indicator and team."""
    ws = wb.add_worksheet(name)
    ws.write(0, 0, f"Team breakdown, {model.month:%B %Y}: every team, every indicator", bold)
    ws.write_row(2, 0, TEAMS_HEADER, bold)
    row = 3
    for _, area_title, items in model.areas:
        for s in items:
            for t in s.teams:
                values = [area_title, s.info.title, s.info.id, t.team_name, t.numerator, t.denominator, t.value,
                          t.rag or ""]
                for col, value in enumerate(values):
                    _cell(ws, row, col, value, one_dp if col == 6 else None)
                row += 1
    ws.autofilter(2, 0, max(row - 1, 3), len(TEAMS_HEADER) - 1)
    ws.freeze_panes(3, 0)
    ws.set_column(0, 0, 18)
    ws.set_column(1, 1, 55)
    ws.set_column(2, 3, 28)
    ws.set_column(4, 7, 12)


def _sheet_name(title: str, used: set[str]) -> str:
    base = "".join(ch for ch in title if ch not in "[]:*?/\\")[:31]
    name, n = base, 2
    while name in used:
        name = f"{base[:28]} {n}"
        n += 1
    used.add(name)
    return name


def _indicator_block(wb, sheet, sheet_name: str, s: IndicatorSection, top: int, bold, one_dp, month_fmt) -> int:
    """Write one indicator's series at row ``top`` with its chart beside it; returns the next free row."""
    sheet.write(top, 0, s.info.title, wb.add_format({"bold": True, "font_size": 12}))
    sheet.write(top + 1, 0, f"id {s.info.id}; unit {s.info.unit}; polarity {s.info.polarity}")
    sheet.write_row(top + 2, 0, SERIES_HEADER, bold)
    chart_months = set(s.chart_months)
    lim = s.chart.limits if s.chart else None
    first = top + 3
    for i, p in enumerate(s.series):
        r = first + i
        sheet.write_datetime(r, 0, _as_datetime(p.month), month_fmt)
        _cell(sheet, r, 1, p.value, one_dp)
        _cell(sheet, r, 2, p.numerator)
        _cell(sheet, r, 3, p.denominator)
        if lim and p.month in chart_months:
            for col, v in ((4, lim.mean), (5, lim.ucl), (6, lim.lcl)):
                sheet.write_number(r, col, v, one_dp)
        if s.target and s.target.target is not None:
            sheet.write_number(r, 7, s.target.target, one_dp)
    last = first + len(s.series) - 1
    chart = wb.add_chart({"type": "line"})
    styles = {1: {"color": "#0B0C0C", "width": 1.75}, 4: {"color": "#505A5F", "width": 1},
              5: {"color": "#B1B4B6", "dash_type": "dash"}, 6: {"color": "#B1B4B6", "dash_type": "dash"},
              7: {"color": "#D4351C", "dash_type": "round_dot"}}
    for col, line in styles.items():
        if col == 7 and not (s.target and s.target.target is not None):
            continue
        chart.add_series({
            "name": [sheet_name, top + 2, col],
            "categories": [sheet_name, first, 0, last, 0],
            "values": [sheet_name, first, col, last, col],
            "line": line,
            "marker": {"type": "circle", "size": 4} if col == 1 else {"type": "none"},
        })
    chart.set_title({"name": s.info.title[:80], "name_font": {"size": 10}})
    chart.set_x_axis({"date_axis": True, "num_format": "mmm yy"})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 620, "height": 300})
    chart.show_blanks_as("gap")
    sheet.insert_chart(top + 2, 9, chart)
    sheet.set_column(0, 0, 12)
    sheet.set_column(1, 7, 12)
    return max(last + 3, top + 19)


def _as_datetime(d):
    from datetime import datetime

    return datetime(d.year, d.month, d.day)
