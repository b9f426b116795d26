"""Writing a check run's findings and summaries as a table, CSV, JSON, Excel or HTML."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from cscperf.core.errors import CscperfError

FORMATS = ("table", "csv", "json", "xlsx", "html")
COLUMNS = (
    ("rule_code", "Rule"), ("rule_type", "Type"), ("message", "DfE message"), ("child_id", "Child"),
    ("table_name", "Table"), ("source_file", "File"), ("source_row", "Row"), ("fields", "Field(s)"),
    ("field_values", "Value(s)"), ("team_id", "Team"), ("worker_id", "Worker"),
)


@dataclass
class Report:
    """Everything one output shows: the run, its findings and the three summaries."""

    check: dict[str, Any]
    findings: list[dict[str, Any]]
    by_rule: list[dict[str, Any]]
    by_team: list[dict[str, Any]]
    by_worker: list[dict[str, Any]]
    skipped: list[str]
    trend: list[dict[str, Any]] = field(default_factory=list)
    not_run: dict[str, str] = field(default_factory=dict)  # code -> reason (runner.CheckResult.not_run)

    def not_run_groups(self) -> list[tuple[str, list[str]]]:
        """(reason, codes) for the rules not run, one line per reason; codes skipped without a stated
        reason are taken to need the previous year's return (the only reason before ``requires:``)."""
        groups: dict[str, list[str]] = {}
        for code in self.skipped:
            groups.setdefault(self.not_run.get(code, "needs the previous year's return (--previous)"), []).append(code)
        return list(groups.items())


def _plain(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if hasattr(value, "__float__") and not isinstance(value, (int, float, bool)):
        return float(value)
    return value


def to_csv(report: Report) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([title for _, title in COLUMNS])
    for row in report.findings:
        writer.writerow(["" if row.get(k) is None else row.get(k) for k, _ in COLUMNS])
    return buffer.getvalue()


def to_json(report: Report) -> str:
    doc = {
        "check": {k: _plain(v) for k, v in report.check.items()},
        "skipped_rules": report.skipped,
        "not_run": [{"rule_code": c, "reason": reason} for reason, codes in report.not_run_groups() for c in codes],
        "findings": [{k: _plain(r.get(k)) for k, _ in COLUMNS} for r in report.findings],
        "by_rule": [{k: _plain(v) for k, v in r.items()} for r in report.by_rule],
        "by_team": [{k: _plain(v) for k, v in r.items()} for r in report.by_team],
        "by_worker": [{k: _plain(v) for k, v in r.items()} for r in report.by_worker],
        "trend": [{k: _plain(v) for k, v in r.items()} for r in report.trend],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def to_html(report: Report) -> str:
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("cscperf.rules", "templates"), autoescape=select_autoescape(["html", "j2"]))
    return env.get_template("findings.html.j2").render(report=report, columns=COLUMNS)


def write_xlsx(report: Report, path: Path) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    try:
        bold = book.add_format({"bold": True, "bg_color": "#f3f2f1", "border": 1})
        _sheet(book, "Findings", [t for _, t in COLUMNS], [[r.get(k) for k, _ in COLUMNS] for r in report.findings], bold)
        for name, rows in (("By rule", report.by_rule), ("By team", report.by_team), ("By worker", report.by_worker),
                           ("Trend", report.trend)):
            heads = list(rows[0]) if rows else ["(none)"]
            _sheet(book, name, heads, [[_plain(r[h]) for h in heads] for r in rows], bold)
    finally:
        book.close()


def _sheet(book, name: str, heads: list[str], rows: list[list[Any]], bold) -> None:
    sheet = book.add_worksheet(name)
    sheet.write_row(0, 0, heads, bold)
    for i, row in enumerate(rows, 1):
        sheet.write_row(i, 0, [_plain(v) for v in row])
    sheet.freeze_panes(1, 0)
    if rows:
        sheet.autofilter(0, 0, len(rows), len(heads) - 1)
    for col, head in enumerate(heads):
        width = max([len(str(head))] + [len(str(r[col])) for r in rows[:500] if r[col] is not None])
        sheet.set_column(col, col, min(60, width + 2))


def print_table(report: Report) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    check = report.check
    console.print(f"Check {check['check_id']}: {check['return_type']} {check['collection_year']} - "
                  f"{len(report.findings)} finding(s) from {check['rules_run']} rule(s)")
    for reason, codes in report.not_run_groups():
        console.print(f"Not run: {reason}: {', '.join(codes)}", highlight=False, soft_wrap=True)
    summary = Table("rule", "type", "findings", "children", "message", title="By rule")
    for r in report.by_rule:
        summary.add_row(str(r["rule_code"]), str(r["rule_type"]), str(r["findings"]), str(r["children"]), str(r["message"]))
    console.print(summary)
    if len(report.trend) > 1:
        trend = Table("check", "load", "year", "errors", "queries", "integrity", title="Trend across checks")
        for r in report.trend:
            trend.add_row(*[str(r[k]) for k in ("check_id", "load_id", "collection_year", "errors", "queries", "integrity")])
        console.print(trend)
    grid = Table(*[t for _, t in COLUMNS if _ != "message"], title="Findings")
    for r in report.findings:
        grid.add_row(*["" if r.get(k) is None else str(r.get(k)) for k, _ in COLUMNS if k != "message"])
    console.print(grid)


def emit(report: Report, fmt: str, out: Path | None) -> None:
    """Write the report in ``fmt`` to ``out`` (stdout when not given; xlsx needs a file)."""
    if fmt not in FORMATS:
        raise CscperfError(f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})")
    if fmt == "table":
        if out is not None:
            raise CscperfError("--format table prints to the terminal; use csv, json, xlsx or html with --out")
        print_table(report)
        return
    if fmt == "xlsx":
        if out is None:
            raise CscperfError("--format xlsx needs --out FILE")
        write_xlsx(report, out)
        return
    text = {"csv": to_csv, "json": to_json, "html": to_html}[fmt](report)
    if out is None:
        import click

        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
