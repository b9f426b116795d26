"""The digest end to end on a small synthetic store: the model on both engines; HTML, PDF and Excel
as a reader gets them; the public (scrutiny) version proved suppressed on the files themselves."""

import re
import shutil
import subprocess
import sys
import zipfile

import openpyxl
import pytest

from cscperf.digest.build import write_digest
from cscperf.digest.catalogue import default_catalogue
from cscperf.digest.model import AUDIENCES, build_model
from cscperf.digest.targets import load_targets
from cscperf.store import open_engine
from cscperf.store.migrate import migrate
from dfe_fixtures import write_lait, write_sn2025
from digest_fixtures import MONTH, SPECS, TEAMS, WORKER_NAMES, seed, seeded_store
from cscperf.digest.benchmarks import import_files

PERCENT = {k for k, (kind, _, _) in SPECS.items() if kind == "percent"}


def test_model_on_each_engine(engine, tmp_path):
    seed(engine)
    import_files(engine, [write_lait(tmp_path), write_sn2025(tmp_path)])
    model = build_model(engine, MONTH, AUDIENCES["director"], default_catalogue(), load_targets(), "883")
    ids = [s.info.id for s in model.sections()]
    assert sorted(ids) == sorted(SPECS)
    assert [a for a, _, _ in model.areas] == ["front_door", "assessment", "child_protection", "children_in_care",
                                               "care_leavers", "workforce"]
    reref = next(s for s in model.sections() if s.info.id == "front_door.re_referrals")
    assert len(reref.series) == 24 and reref.series[-1].month == MONTH
    assert reref.benchmark.latest.council.value == 16.0  # from the LAIT fixture
    assert {t.team_name for t in reref.teams} == set(TEAMS.values())
    assert model.data_quality.total == 66 and model.data_quality.by_rule[0][0] == "8525"
    care = build_model(engine, MONTH, AUDIENCES["corporate-parenting"], default_catalogue(), load_targets(), "883")
    assert [a for a, _, _ in care.areas] == ["children_in_care", "care_leavers"] and care.data_quality is None


def test_month_without_results_is_a_user_error(engine):
    from cscperf.core.errors import CscperfError

    seed(engine)
    with pytest.raises(CscperfError, match="no indicator results for 2030-01"):
        from datetime import date
        build_model(engine, date(2030, 1, 1), AUDIENCES["director"], default_catalogue(), load_targets(), "883")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("digest")
    engine = seeded_store(folder, benchmarks=True)
    yield engine, folder
    engine.close()


@pytest.fixture(scope="module")
def director(store):
    engine, folder = store
    return write_digest(engine, MONTH, "director", folder / "director", la_code="883")


@pytest.fixture(scope="module")
def scrutiny(store):
    engine, folder = store
    return write_digest(engine, MONTH, "scrutiny", folder / "scrutiny", la_code="883", pdf=False)


def without_images(html: str) -> str:
    return re.sub(r'src="data:image/svg\+xml;base64,[^"]*"', 'src=""', html)


def test_html_is_self_contained_with_inline_charts(director):
    html = director.html.read_text(encoding="utf-8")
    assert html.count('src="data:image/svg+xml;base64,') == len(SPECS)
    text = without_images(html)
    assert not re.search(r'(src|href)="(https?:)?//', text) and "<script" not in text and "<link" not in text
    assert "url(http" not in text and "@import" not in text
    for team in TEAMS.values():
        assert team in text  # internal audiences get team breakdowns
    for name in WORKER_NAMES.values():
        assert name not in text  # never worker names
    assert "C0001" not in text  # never child ids (findings carry them)


def test_pdf_is_a4_with_page_numbers_and_its_chart_pages_are_not_blank(director, tmp_path):
    if not shutil.which("pdftoppm"):
        pytest.skip("poppler-utils (pdftoppm) not installed: scripts/install-debian-deps.sh test")
    from PIL import Image  # WeasyPrint's own dependency

    info = subprocess.run(["pdfinfo", str(director.pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+595\.\d* x 841\.\d* pts \(A4\)", info)
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert pages >= 5
    text = subprocess.run(["pdftotext", "-layout", str(director.pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert f"Page 1 of {pages}" in text and f"Page {pages} of {pages}" in text
    assert re.search(r"Summary\s*\.+\s*2", text)  # contents with page numbers
    # page 4 is the first area (front door) with its chart: render it to PNG and look at the ink
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "4", "-l", "4", str(director.pdf), str(tmp_path / "p")], check=True)
    histogram = Image.open(next(tmp_path.glob("p*.png"))).convert("L").histogram()
    dark = sum(histogram[:200])
    assert dark / sum(histogram) > 0.02  # a blank page has no ink; text and a chart have plenty
    assert sum(1 for n in histogram if n) > 20  # anti-aliased lines and text, not a flat fill
    # the chart's own labels are drawn on that page (WeasyPrint draws SVG text as text)
    page4 = subprocess.run(["pdftotext", "-f", "4", "-l", "4", str(director.pdf), "-"], capture_output=True, text=True,
                           check=True).stdout
    assert all(label in page4 for label in ("Upper limit", "Lower limit", "Mean", "Target", "Variation"))


def test_pdf_series_tables_show_the_last_6_months_html_12(director):
    """Product trim for print (docs/digest.md): the PDF page's table of months is the last 6; the
    HTML keeps 12 (and the workbook 24, tested with the sheets)."""
    from cscperf.digest.render import render_html

    model = director.model
    charts = {s.info.id: None for s in model.sections()}
    months = [p.month.strftime("%b %y") for p in model.sections()[0].series]
    for pdf, n in ((True, 6), (False, 12)):
        page = render_html(model, charts, pdf=pdf)
        heads = re.findall(r'<table class="series"><thead><tr><th>[^<]*</th>(.*?)</tr>', page)
        assert len(heads) == sum(1 for _ in model.sections())
        shown = re.findall(r'<th class="num">([^<]*)</th>', heads[0])
        assert shown == months[-n:]


def test_xlsx_has_summary_area_sheets_and_native_charts(director):
    wb = openpyxl.load_workbook(director.xlsx)
    assert wb.sheetnames == ["Summary", "Front door", "Assessment", "Child protection", "Children in care",
                             "Care leavers", "Workforce", "Teams", "Data quality"]
    teams = list(wb["Teams"].iter_rows(min_row=4, values_only=True))
    expected = {(s.info.id, t.team_name, t.numerator, t.denominator) for s in director.model.sections() for t in s.teams}
    assert {(r[2], r[3], r[4], r[5]) for r in teams} == expected and len(teams) == len(expected)
    assert len(expected) == 3 * len([k for k in PERCENT if k != "workforce.vacancy_rate"])  # every team, every indicator
    summary = wb["Summary"]
    header = [c.value for c in summary[4]]
    ids = [summary.cell(row=r, column=header.index("Id") + 1).value for r in range(5, 5 + len(SPECS))]
    assert sorted(ids) == sorted(SPECS)
    with zipfile.ZipFile(director.xlsx) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) == len(SPECS)


def series_blocks(wb):
    """(sheet, indicator id, rows of {column: value}) for every indicator block in the area sheets."""
    for ws in wb.worksheets[1:]:
        if ws.title in ("Data quality", "Teams"):
            continue
        rows = list(ws.iter_rows(values_only=True))
        for i, row in enumerate(rows):
            if row and isinstance(row[0], str) and row[0].startswith("id "):
                iid = row[0].split(";")[0][3:]
                header = rows[i + 1]
                body = []
                for r in rows[i + 2:i + 2 + 24]:
                    body.append(dict(zip(header, r)))
                yield ws.title, iid, body


def test_public_digest_suppresses_small_counts_in_the_workbook(scrutiny):
    wb = openpyxl.load_workbook(scrutiny.xlsx)
    seen = 0
    suppressed = 0
    for _, iid, body in series_blocks(wb):
        for row in body:
            num, den, value = row["Numerator"], row["Denominator"], row["Value"]
            for count in (num, den):
                assert count in (None, "c") or count == 0 or count >= 5, (iid, row)
            if num == "c":
                suppressed += 1
                assert value == "c", (iid, row)  # the rate would give the count back
            if iid in PERCENT and isinstance(num, (int, float)) and isinstance(den, (int, float)):
                assert den - num == 0 or den - num >= 5, (iid, row)  # nor may the complement be small
            seen += 1
    assert seen == 24 * len(SPECS) and suppressed >= 2
    dq = wb["Data quality"]
    cells = {r[0]: r[1] for r in dq.iter_rows(min_row=2, values_only=True) if r[0]}
    total = cells.pop("Total")
    hidden = [k for k, v in cells.items() if v == "c"]
    assert all(v == "c" or v == 0 or v >= 5 for v in cells.values())
    # no single hidden cell beside a shown total: it could be recovered by subtraction
    assert total == "c" or len(hidden) != 1
    assert hidden == ["query", "integrity"] or sorted(hidden) == ["integrity", "query"]


def test_public_digest_html_is_aggregate_and_suppressed(scrutiny):
    text = without_images(scrutiny.html.read_text(encoding="utf-8"))
    for team in TEAMS.values():
        assert team not in text
    for name in WORKER_NAMES.values():
        assert name not in text
    for label in ("Numerator", "Denominator"):
        for row in re.findall(rf"<tr><td>{label}</td>(.*?)</tr>", text):
            for cell in re.findall(r'<td class="num">([^<]*)</td>', row):
                if cell not in ("c", "–"):
                    n = float(cell.replace(",", ""))
                    assert n == 0 or n >= 5, (label, cell)
    assert 'class="teams"' not in text and 'class="dq-rules"' not in text


def test_public_statistics_use_only_published_months(scrutiny):
    icpc = next(s for s in scrutiny.model.sections() if s.info.id == "child_protection.icpc_within_15_working_days")
    assert icpc.current.value == "c"
    assert MONTH not in icpc.chart_months  # the chart's mean cannot give the hidden month back
    assert icpc.rag is None and all(s.kind in ("benchmark", "rank") for s in icpc.sentences)


def test_cli_writes_the_digest(tmp_path):
    out = tmp_path / "out"
    env_db = str(tmp_path / "cli_store.duckdb")
    e2 = open_engine(env_db)
    migrate(e2)
    seed(e2)
    e2.close()
    run = subprocess.run([sys.executable, "-m", "cscperf", "--db", env_db, "digest", "--month", "2026-03",
                          "--audience", "board", "--out", str(out), "--no-pdf"], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert (out / "digest.html").exists() and (out / "digest.xlsx").exists() and not (out / "digest.pdf").exists()
    bad = subprocess.run([sys.executable, "-m", "cscperf", "--db", env_db, "digest", "--month", "March",
                          "--out", str(out)], capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "--month must be YYYY-MM" in bad.stderr and "Traceback" not in bad.stderr


def test_spc_baseline_limits_come_from_the_baseline_months_only(engine):
    from datetime import date

    from cscperf.digest.model import baseline_slice
    from cscperf.digest.spc import limits_of

    seed(engine)
    base = (date(2024, 4, 1), date(2025, 3, 1))
    model = build_model(engine, MONTH, AUDIENCES["director"], default_catalogue(), load_targets(), "883", baseline=base)
    s = next(x for x in model.sections() if x.info.id == "front_door.re_referrals")
    inside = [v for m, v in zip(s.chart_months, s.chart.values) if base[0] <= m <= base[1]]
    assert len(inside) == 12 and s.chart.limits == limits_of(inside)
    assert baseline_slice([date(2024, 1, 1)], base) is None


def test_months_without_results_are_no_data_in_the_digest(engine):
    """Annex A covers only the last 11 months: the engine stored no contacts row before them; the
    digest neither plots nor compares with them, and says so."""
    from datetime import date

    from cscperf.store.rows import to_arrow
    from digest_fixtures import _end, months

    seed(engine)
    covered = months(MONTH, 11)
    counts = {m: 2000 + 10 * i for i, m in enumerate(covered)}
    counts.pop(date(2026, 2, 1))  # and February 2026 missing too
    engine.insert("indicator_result", to_arrow("indicator_result", [
        {"run_id": 1, "indicator_id": "front_door.contacts", "period_start": m, "period_end": _end(m), "level": "council",
         "numerator": n, "value": n} for m, n in counts.items()]))
    model = build_model(engine, MONTH, AUDIENCES["director"], default_catalogue(), load_targets(), "883")
    contacts = next(s for s in model.sections() if s.info.id == "front_door.contacts")
    assert [p.month for p in contacts.series if p.value is not None] == sorted(counts)
    assert contacts.chart_months == sorted(counts) and contacts.trend is None
    said = {s.kind: s.text for s in contacts.sentences}
    assert said["month"] == ("Contacts received was 2,100 in March 2026, up 20 from 2,080 in January 2026, the latest "
                             "earlier month with a figure (there is no data for February 2026).")
    assert said["year"] == "There is no data for March 2025 to compare with a year earlier."
