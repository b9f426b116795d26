"""Small DfE files in the layout DfE publishes them (same columns, same quirks), for import tests.

Hand-checked position of council 883 in 2025 (re-referrals, lower is better):
  LA values 801:10 808:11 802:12 803:12 883:14 804:15 807:18 805:20 (806 suppressed 'c') -> 8 ranked
  lower is better:  883 rank 5 of 8, band floor(4*4/8)=2 -> C
  higher is better: 883 rank 4 of 8, band floor(3*4/8)=1 -> B
  neighbours 2025 of 883: 801, 802, 806, 807 -> 806 has no value; mean (10+12+18)/3, median 12
"""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

C1_COLUMNS = ("time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,"
              "old_la_code,new_la_code,la_name,category,referral_count,rereferral_count,rereferral_percent,"
              "no_further_action_count,no_further_action_percent,not_in_need_count,not_in_need_percent,"
              "referral_child_count,rereferral_child_count,rereferral_child_percent").split(",")

LA_2025 = {"801": 10, "808": 11, "802": 12, "803": 12, "883": 14, "804": 15, "807": 18, "805": 20, "806": "c"}
LA_2024 = {"801": 11, "883": 16.5, "802": "x"}
NAMES = {"801": "Bristol, City of", "802": "North Somerset", "803": "South Gloucestershire", "804": "Wiltshire",
         "805": "Swindon", "806": "Middlesbrough", "807": "Redcar and Cleveland", "808": "Stockton-on-Tees",
         "883": "Thurrock"}


def write_c1(folder: Path, name: str = "c1_download.csv") -> Path:
    path = folder / name
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        out = csv.DictWriter(handle, C1_COLUMNS)
        out.writeheader()
        for year, las, england, region in (("2025", LA_2025, 22.6, 19.4), ("2024", LA_2024, 22.4, 20.6)):
            base = {"time_period": year, "time_identifier": "Reporting year", "country_code": "E92000001",
                    "country_name": "England", "category": "Referrals and Re-referrals", "referral_count": "100"}
            out.writerow({**base, "geographic_level": "National", "rereferral_percent": england})
            out.writerow({**base, "geographic_level": "Regional", "region_code": "E12000006",
                          "region_name": "East of England", "rereferral_percent": region})
            for code, value in las.items():
                out.writerow({**base, "geographic_level": "Local authority", "region_code": "E12000006",
                              "region_name": "East of England", "old_la_code": code, "new_la_code": "E06000000",
                              "la_name": NAMES[code], "rereferral_percent": value, "referral_count": "c"})
    return path


def write_lait(folder: Path, name: str = "lait_download.parquet") -> Path:
    rows = [
        ("ReReferral", "Percentage of referrals, within 12 months", "2025", "Thurrock", "16", 883.0, "East of England"),
        ("ReReferral", None, "2024", "Thurrock", "18.399999999999999", 883.0, "East of England"),
        ("ReReferral", None, "2025", "England", "22.6", 970.0, "NA"),
        ("ReReferral", None, "2025", "East of England", "19.399999999999999", 985.0, "NA"),
        ("ReReferral", None, "2025", "London (Inner)", "21", 987.0, "NA"),
        ("ReReferral", None, "2025", "Middlesbrough", "-", 806.0, "North East"),
        ("CP_conf_15days", None, "2025", "Thurrock", "c", 883.0, "East of England"),
        ("CP_conf_15days", None, "2024-25", "Thurrock", "", 883.0, "East of England"),
        ("CINPermExclusion", None, "0", "Thurrock", "1", 883.0, "East of England"),
    ]
    cols = list(zip(*rows))
    table = pa.table({
        "Short Desc": pa.array(cols[0], pa.string()), "Data item": pa.array(cols[1], pa.string()),
        "Years": pa.array(cols[2], pa.string()), "LA and Regions": pa.array(cols[3], pa.string()),
        "Values": pa.array(cols[4], pa.string()), "LA Number": pa.array(cols[5], pa.float64()),
        "Region": pa.array(cols[6], pa.string()),
    })
    path = folder / name
    pq.write_table(table, path)
    return path


def write_sn2025(folder: Path, name: str = "sn_2025.csv") -> Path:
    header = ["old_la_code", "la_name", "region_ind", "region_name"]
    for i in range(1, 11):
        header += [f"SN_{i}", f"SN_{i}P"]
    path = folder / name
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        out = csv.writer(handle)
        out.writerow(header)
        out.writerow(["883", "Thurrock", "2", "East of England", "801", "Very close", "802", "Close ",
                      "806", "Close ", "807", "Somewhat close"] + [""] * 12)
        out.writerow(["801", "Bristol, City of", "7", "South West", "883", "Close"] + [""] * 18)
    return path


def write_sn2021(folder: Path, name: str = "sn_2021.csv") -> Path:
    header = ["LA num", "LA Name", "LA number", "GOInd", "GOReg"]
    for i in range(1, 11):
        header += [f"SN{i}", "SNP"]
    path = folder / name
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        out = csv.writer(handle)
        out.writerow(header + [""])
        out.writerow(["883", "Thurrock", "883", "2", "East of England", "805", "Very Close", "804", "Close"] + [""] * 16 + [""])
        out.writerow([""] * 26)
        out.writerow(["", "Old SNs:"] + [""] * 24)
    return path
