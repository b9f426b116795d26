"""Coded values come from the canonical code lists and have a national shape, not a uniform one."""

from __future__ import annotations

from collections import Counter

from cscperf.store.schema import code_lists, tables
from cscperf.synth.journey import CHECK_LETTERS


def test_every_coded_value_is_in_its_code_list(medium_truth):
    lists = code_lists()
    checked = 0
    for name, table in medium_truth.items():
        spec = tables()[name]
        for column in spec.columns:
            if not column.codes or not lists[column.codes].values:
                continue
            values = {v for v in table.column(column.name).to_pylist() if v is not None}
            unknown = values - set(lists[column.codes].values)
            assert not unknown, (name, column.name, sorted(unknown)[:5])
            checked += bool(values)
    assert checked >= 25


def test_codes_follow_national_shapes(medium_truth):
    source = Counter(medium_truth["referral"].column("referral_source").to_pylist())
    total = sum(source.values())
    assert source.most_common(1)[0][0] == "6"  # police refer most
    assert 0.22 < source["6"] / total < 0.37 and 0.14 < source["2A"] / total < 0.27
    need = Counter(r for r, nfa in zip(medium_truth["referral"].column("primary_need").to_pylist(), medium_truth["referral"].column("nfa").to_pylist()) if not nfa)
    assert need.most_common(1)[0][0] == "N1"
    place = Counter(medium_truth["cla_episode"].column("place").to_pylist())
    assert place.most_common(1)[0][0] == "U6"  # foster care with other carers dominates
    category = Counter(medium_truth["cp_plan"].column("initial_category").to_pylist())
    assert [c for c, _ in category.most_common(2)] == ["NEG", "EMO"]


def test_upns_carry_a_valid_check_letter(medium_truth):
    upns = [u for u in medium_truth["child"].column("upn").to_pylist() if u]
    assert len(upns) > 1000
    for upn in upns:
        assert len(upn) == 13 and upn[1:].isdigit() and upn[1:4] == "883"
        total = sum(int(c) * w for c, w in zip(upn[1:], range(2, 14)))
        assert upn[0] == CHECK_LETTERS[total % 23]
    assert len(set(upns)) == len(upns)  # CIN rule 1520
