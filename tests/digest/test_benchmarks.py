"""Importing DfE files into `benchmark` / `stat_neighbour`: recognised by columns, values exact,
suppression markers kept (never zero), re-import replaces, a bad file changes nothing."""

import pytest

from cscperf.core.errors import InputError
from cscperf.digest import dfe_files
from cscperf.digest.benchmarks import import_files
from dfe_fixtures import write_c1, write_lait, write_sn2021, write_sn2025


def rows(engine, sql, params=None):
    return engine.execute(sql, params or {}).rows()


def test_files_are_recognised_by_columns_not_names(tmp_path):
    assert dfe_files.recognise(write_c1(tmp_path, "whatever (1).csv")).key == "c1"
    assert dfe_files.recognise(write_lait(tmp_path, "x.parquet")).key == "lait"
    assert dfe_files.recognise(write_sn2025(tmp_path, "a.csv")).key == "sn2025"
    assert dfe_files.recognise(write_sn2021(tmp_path, "b.csv")).key == "sn2021"
    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n")
    with pytest.raises(InputError, match="not a DfE file"):
        dfe_files.recognise(other)


@pytest.mark.parametrize("text, expected", [
    ("16", (16.0, None)), ("19.399999999999999", (19.4, None)), ("1.68E-2", (0.0168, None)),
    ("c", (None, "c")), ("x", (None, "x")), ("z", (None, "z")), (":", (None, ":")), ("-", (None, "-")),
    ("low", (None, "low")), ("", (None, ":")), (None, (None, ":")), ("0", (0.0, None)),
])
def test_published_cells_keep_markers_and_never_become_zero(text, expected):
    assert dfe_files.parse_value(text) == expected


def test_import_ees_lait_and_neighbours(engine, tmp_path):
    summary = import_files(engine, [write_c1(tmp_path), write_lait(tmp_path), write_sn2025(tmp_path), write_sn2021(tmp_path)])
    assert [f[0] for f in summary.files] == ["c1_download.csv", "lait_download.parquet", "sn_2025.csv", "sn_2021.csv"]
    got = dict(((m, t, a), (v, k)) for m, t, a, v, k in rows(
        engine, "SELECT measure_id, time_period, area_code, value, marker FROM benchmark"))
    # EES: England, region and councils, exact; suppression kept as its marker
    assert got[("ees.c1.rereferral_percent", "2025", "E92000001")] == (22.6, None)
    assert got[("ees.c1.rereferral_percent", "2025", "E12000006")] == (19.4, None)
    assert got[("ees.c1.rereferral_percent", "2025", "883")] == (14.0, None)
    assert got[("ees.c1.rereferral_percent", "2025", "806")] == (None, "c")
    assert got[("ees.c1.rereferral_percent", "2024", "802")] == (None, "x")
    assert got[("ees.c1.referral_count", "2025", "883")] == (None, "c")
    assert got[("ees.c1.referral_count", "2025", "E92000001")] == (100.0, None)
    # LAIT: float noise in the text is the published value; England 970 and regions 98x by ONS code
    assert got[("ReReferral", "2025", "883")] == (16.0, None)
    assert got[("ReReferral", "2024", "883")] == (18.4, None)
    assert got[("ReReferral", "2025", "E92000001")] == (22.6, None)
    assert got[("ReReferral", "2025", "E12000006")] == (19.4, None)
    assert got[("ReReferral", "2025", "806")] == (None, "-")
    assert got[("CP_conf_15days", "2025", "883")] == (None, "c")
    assert got[("CP_conf_15days", "2024-25", "883")] == (None, ":")
    assert not any(a == "987" for _, _, a in got)  # Inner London is not kept
    assert not any(m == "CINPermExclusion" for m, _, _ in got)  # LAIT's year "0" rows are not a year
    levels = dict(rows(engine, "SELECT area_code, MIN(area_level) FROM benchmark GROUP BY area_code"))
    assert levels["E92000001"] == "National" and levels["E12000006"] == "Regional" and levels["883"] == "Local authority"
    sn = rows(engine, "SELECT sn_year, sn_rank, neighbour_code, closeness, region_name FROM stat_neighbour "
                      "WHERE la_code = '883' ORDER BY sn_year, sn_rank")
    assert sn == [
        ("2021", 1, "805", "Very Close", "East of England"), ("2021", 2, "804", "Close", "East of England"),
        ("2025", 1, "801", "Very close", "East of England"), ("2025", 2, "802", "Close", "East of England"),
        ("2025", 3, "806", "Close", "East of England"), ("2025", 4, "807", "Somewhat close", "East of England"),
    ]


def test_reimport_replaces_rather_than_duplicates(engine, tmp_path):
    path = write_c1(tmp_path)
    import_files(engine, [path, write_sn2025(tmp_path)])
    first = engine.execute("SELECT COUNT(*) FROM benchmark").scalar()
    import_files(engine, [path, write_sn2025(tmp_path)])
    assert engine.execute("SELECT COUNT(*) FROM benchmark").scalar() == first
    assert engine.execute("SELECT COUNT(*) FROM stat_neighbour").scalar() == 5


def test_a_bad_file_in_the_batch_imports_nothing(engine, tmp_path):
    bad = tmp_path / "notes.csv"
    bad.write_text("hello,world\n")
    with pytest.raises(InputError):
        import_files(engine, [write_c1(tmp_path), bad])
    assert engine.execute("SELECT COUNT(*) FROM benchmark").scalar() == 0


def test_a_folder_imports_the_dfe_files_in_it_and_skips_others(engine, tmp_path):
    write_c1(tmp_path)
    write_sn2025(tmp_path)
    (tmp_path / "readme.csv").write_text("a,b\n")
    summary = import_files(engine, [tmp_path])
    assert sorted(f[0] for f in summary.files) == ["c1_download.csv", "sn_2025.csv"]


def test_an_ees_zip_as_downloaded_imports_its_csvs(engine, tmp_path):
    import zipfile

    src = tmp_path / "src"
    src.mkdir()
    c1 = write_c1(src, "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv")
    archive = tmp_path / "children-in-need_2025.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(c1, "data/" + c1.name)
        z.writestr("data-guidance/data-guidance.txt", "about the data")
        z.writestr("supporting-files/metadata.csv", "col_name,label\n")
    summary = import_files(engine, [archive])
    assert [f[0] for f in summary.files] == [c1.name]
    assert engine.execute("SELECT value FROM benchmark WHERE measure_id = 'ees.c1.rereferral_percent' "
                          "AND time_period = '2025' AND area_code = '883'").scalar() == 14.0


def test_a_windows_1252_csv_is_read(engine, tmp_path):
    path = write_sn2025(tmp_path)
    text = path.read_text(encoding="utf-8-sig").replace("Thurrock", "Thurröck")
    path.write_bytes(text.encode("cp1252"))
    import_files(engine, [path])
    assert engine.execute("SELECT MIN(la_name) FROM stat_neighbour WHERE la_code = '883'").scalar() == "Thurröck"
