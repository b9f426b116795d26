"""Every format is recognised from its content, whatever the file is called (issue 4: "detection of
each file's format and collection year from its content, not only its name"), and ``--format``
names the reader when detection cannot (a file saved with a suffix no reader expects)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cscperf.core.errors import InputError
from cscperf.core.layouts.hr import HR_LAYOUTS, SURVEY_LONG
from cscperf.ingest.load import detect, load_paths, read_file

HR_PART = {layout.file_name: part for part, layout in HR_LAYOUTS.items()}


def expected(relative: Path) -> tuple[str, str | None, str | None]:
    """(format, collection year, part) of a file synth wrote, from its documented name."""
    name = relative.name
    if relative.parts[0] == "cin":  # cin_census_2026.xml: the year ending March 2026
        year = int(name[11:15])
        return "cin", f"{year - 1}_{year % 100:02d}", None
    if relative.parts[0] == "ssda903":  # ssda903_2025_26_Episodes.csv
        return "903", name[8:15], name[16:].removesuffix(".csv")
    if name == "annex_a.xlsx":
        return "annex-a", None, None
    if name.startswith("CSWW_"):
        return "csww", name[9:13], None
    if name == SURVEY_LONG.file_name:
        return "survey", None, "long"
    return "hr", None, HR_PART[name]


def synth_files(council: Path) -> list[Path]:
    return sorted(p.relative_to(council) for p in council.rglob("*")
                  if p.is_file() and p.parts[-2] != "truth" and p.name != "defects.csv")


def test_every_file_synth_writes_is_recognised_under_a_meaningless_name(council, tmp_path):
    """Each file copied as export_<n><suffix>, one folder per SSDA903 year (a 903 year then comes from
    the latest event date in the folder) and one for everything else: same format, year and table."""
    files = synth_files(council)
    assert {expected(f)[0] for f in files} == {"cin", "903", "annex-a", "csww", "hr", "survey"}
    copies = {}
    for n, relative in enumerate(files):
        fmt, year, _ = expected(relative)
        folder = tmp_path / (f"return_{'ab'[int(year[:4]) % 2]}" if fmt == "903" else "extracts")
        folder.mkdir(exist_ok=True)
        copies[relative] = folder / f"export_{n}{relative.suffix}"
        shutil.copy(council / relative, copies[relative])
    for relative, copy in copies.items():
        found = detect(copy, None)
        assert found is not None, relative
        reader, detection = found
        assert (detection.format, detection.collection_year, detection.part) == expected(relative), relative
        assert reader.format == detection.format


@pytest.mark.parametrize("relative", ["annex_a.xlsx", "workforce/CSWW_883_2026.xml", "cin/cin_census_2026.xml",
                                      "ssda903/ssda903_2025_26_Episodes.csv", "workforce/hr_staff.csv",
                                      "workforce/casework_visits.csv", "survey/survey_responses.csv"])
def test_content_decides_even_without_a_usual_suffix(council, tmp_path, relative):
    """Saved as .dat: the XML and SSDA903 files and the workbook are still recognised by content; the
    CSV extracts (HR, survey, Annex A lists) are not claimed — a .dat file may be anything — and
    ``--format`` then reads them, giving exactly the records the usual name gives."""
    original = council / relative
    fmt, year, part = expected(Path(relative))
    # an SSDA903 year comes from the name or, failing that, the dates of the folder's *.csv files: a lone
    # .dat needs its year in the folder name (otherwise it is refused: "cannot tell the collection year")
    folder = tmp_path / (year if fmt == "903" else "in")
    folder.mkdir()
    copy = folder / "extract.dat"
    shutil.copy(original, copy)
    found = detect(copy, None)
    if original.suffix == ".csv" and fmt != "903":
        assert found is None
    else:
        assert (found[1].format, found[1].collection_year, found[1].part) == (fmt, year, part)
    forced = read_file(copy, True, fmt, None, 0)
    usual = read_file(original, True, None, None, 0)
    assert forced.detection.format == fmt
    assert len(forced.records) > 5 and forced.issues == usual.issues == []
    assert [(r.table, r.values, r.source_row) for r in forced.records] == [
        (r.table, r.values, r.source_row) for r in usual.records]


def test_format_override_through_the_loader(council, engine, tmp_path):
    """``load --format hr`` on files no reader would claim: loaded as the HR extracts they are."""
    folder = tmp_path / "extracts"
    folder.mkdir()
    for name in ("hr_staff.csv", "casework_teams.csv"):
        shutil.copy(council / "workforce" / name, folder / f"{name}.export")
    assert all(detect(p, None) is None for p in folder.iterdir())
    report = load_paths(engine, [folder], format="hr")
    assert [f.detection.format for f in report.files] == ["hr", "hr"] and report.issues == []
    assert engine.execute("SELECT COUNT(*) FROM staff_spell").scalar() == len(
        (council / "workforce" / "hr_staff.csv").read_text().splitlines()) - 1
    assert engine.execute("SELECT COUNT(*) FROM team").scalar() == 7


@pytest.mark.parametrize(("relative", "forced", "says"), [
    ("cin/cin_census_2026.xml", "csww", "not a CSWW census"),
    ("ssda903/ssda903_2025_26_Episodes.csv", "hr", "not an HR extract"),
    ("workforce/hr_staff.csv", "903", "SSDA903"),
])
def test_format_naming_the_wrong_reader_is_refused_clearly(council, tmp_path, relative, forced, says):
    with pytest.raises(InputError) as caught:
        read_file(council / relative, True, forced, None, 0)
    assert says in str(caught.value) and Path(relative).name in str(caught.value)
