"""The synthetic Ofsted register agrees with the episodes it is built from, and survives the
writer and the ``ofsted-providers`` reader unchanged."""

from __future__ import annotations

from datetime import date

import pyarrow as pa

from cscperf.ingest.formats.ofsted_providers import OfstedProvidersReader
from cscperf.returns import ofsted_providers
from cscperf.store.rows import arrow_schema
from cscperf.synth.providers import provider_register
from support.canonical import read

AS_AT = date(2026, 10, 31)


def _episodes(rows: list[dict]) -> pa.Table:
    schema = arrow_schema("cla_episode")
    return pa.Table.from_pylist([{f.name: r.get(f.name) for f in schema} for r in rows], schema=schema)


EPISODES = [
    # a children's home used twice in one district, and once (a collision) as supported accommodation elsewhere
    {"child_id": "A", "decom": date(2024, 5, 1), "place": "K2", "place_provider": "PR4", "urn": "SC123456", "pl_post": "TH5", "pl_la": "883"},
    {"child_id": "B", "decom": date(2023, 2, 1), "dec": date(2024, 1, 1), "place": "K2", "place_provider": "PR4", "urn": "SC123456", "pl_post": "TH5", "pl_la": "883"},
    {"child_id": "C", "decom": date(2025, 1, 1), "place": "K3", "place_provider": "PR5", "urn": "sc123456", "pl_post": "AB7", "pl_la": "202"},
    # a fostering service whose placements all ended long ago: closes 30 days after the last (URN % 5 == 0)
    {"child_id": "D", "decom": date(2022, 4, 1), "dec": date(2023, 3, 1), "place": "U6", "place_provider": "PR1", "urn": "SC100000", "pl_post": "TH2", "pl_la": "883"},
    {"child_id": "E", "decom": date(2024, 4, 1), "place": "U4", "place_provider": "PR4", "urn": "XXXXXXX", "pl_post": "TH2", "pl_la": "883"},
    {"child_id": "F", "decom": date(2024, 4, 1), "place": "P1", "place_provider": "PR0"},
]


def test_register_rows_follow_the_episodes():
    rows = provider_register(_episodes(EPISODES), AS_AT).to_pylist()
    got = [(r["urn"], r["provider_type"], r["sector"], r["placement_codes"], r["provider_codes"], r["registration_date"],
            r["closure_date"], r["provider_postcode"][:4].strip(), r["la_code"], r["new_la_code"], r["places"]) for r in rows]
    assert got == [
        ("SC100000", "Local authority fostering agency", "Local authority", "U6", "PR1", date(2021, 4, 1),
         date(2023, 3, 31), "TH2", "883", "E06000034", None),
        ("SC123456", "Children's home", "Private", "K2,K3", "PR4,PR5", date(2022, 2, 1),
         None, "AB7", "202", "E09000007", 3),
        ("SC123456", "Children's home", "Private", "K2,K3", "PR4,PR5", date(2022, 2, 1), None, "TH5", "883", "E06000034", 3),
    ]
    assert all(r["provider_postcode"].split(" ")[0] in ("TH2", "TH5", "AB7") and len(r["provider_postcode"]) in (7, 8)
               for r in rows)


def test_register_round_trips_through_the_writer_and_reader(tmp_path):
    register = provider_register(_episodes(EPISODES), AS_AT)
    [path] = ofsted_providers.write({"ofsted_provider": register}, tmp_path, as_at=AS_AT)
    records, issues = read(OfstedProvidersReader(), path)
    assert issues == []
    columns = [c for c in register.column_names if c not in ("load_id", "source_file", "source_row", "provider_subtype")]
    want = sorted(tuple(r[c] for c in columns) for r in register.to_pylist())
    got = sorted(tuple(r.get(c) for c in columns) for r in records["ofsted_provider"])
    assert got == want
    assert ofsted_providers.write({}, tmp_path) == []
