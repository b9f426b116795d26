"""RAG by polarity and tolerance, hand-computed at the boundaries; council files overlay defaults."""

import pytest

from cscperf.core.errors import CscperfError, InputError
from cscperf.digest.targets import Target, default_polarity, load_targets, off_target, rag

UP = Target("x", "up", target=90.0, tolerance=5.0)
DOWN = Target("y", "down", target=20.0, tolerance=2.0)


@pytest.mark.parametrize("value, expected", [
    (95.0, "green"), (90.0, "green"),          # at the target: green
    (89.9, "amber"), (85.0, "amber"),          # target - tolerance is still amber
    (84.9, "red"), (0.0, "red"),
    (None, None),
])
def test_rag_higher_is_better(value, expected):
    assert rag(value, UP) == expected


@pytest.mark.parametrize("value, expected", [
    (10.0, "green"), (20.0, "green"), (20.1, "amber"), (22.0, "amber"), (22.1, "red"),
])
def test_rag_lower_is_better(value, expected):
    assert rag(value, DOWN) == expected


def test_float_sums_sit_on_the_boundary_they_mean():
    assert rag(0.1 + 0.2, Target("z", "down", target=0.3, tolerance=0.0)) == "green"


def test_no_judgement_without_polarity_target_or_value():
    assert rag(5.0, Target("a", "none", target=5.0)) is None
    assert rag(5.0, Target("a", "up", target=None)) is None
    assert rag(5.0, None) is None


def test_zero_tolerance_has_no_amber():
    t = Target("a", "up", target=50.0, tolerance=0.0)
    assert (rag(50.0, t), rag(49.99, t)) == ("green", "red")


def test_team_targets_override_the_council_target():
    t = Target("a", "up", target=90.0, tolerance=5.0, teams={"T1": {"target": 80.0}})
    assert rag(82.0, t) == "red" and rag(82.0, t.for_team("T1")) == "green"
    assert t.for_team("T2") is t and t.for_team("T1").tolerance == 5.0


def test_off_target_lists_red_then_amber_largest_gap_first(tmp_path):
    targets = load_targets()
    got = off_target([
        ("front_door.re_referrals", None, 21.0),   # target 20 tol 2 down -> amber, gap 1
        ("assessment.within_45_working_days", None, 70.0),   # target 90 tol 5 up -> red, gap 20
        ("child_protection.icpc_within_15_working_days", None, 70.0),          # target 85 tol 5 -> red, gap 15
        ("workforce.vacancy_rate", None, 10.0),    # green
        ("children_in_care.cla_rate", None, 99.0),        # no polarity -> never off target
        ("unknown", None, 1.0),
        ("child_protection.icpc_within_15_working_days", None, None),
    ], targets)
    assert [(o.indicator_id, o.status, o.gap) for o in got] == [
        ("assessment.within_45_working_days", "red", 20.0), ("child_protection.icpc_within_15_working_days", "red", 15.0), ("front_door.re_referrals", "amber", 1.0)]


def test_council_file_overlays_defaults(tmp_path):
    path = tmp_path / "thurrock.yaml"
    path.write_text("council: Thurrock\nindicators:\n  front_door.re_referrals: {target: 15, tolerance: 1, polarity: down,"
                    " teams: {MASH: {target: 12}}}\n  local_measure: {target: 3, polarity: up}\n")
    targets = load_targets(path)
    assert targets.council == "Thurrock"
    assert targets["front_door.re_referrals"].target == 15 and targets["front_door.re_referrals"].teams == {"MASH": {"target": 12.0}}
    assert targets["local_measure"].tolerance == 0 and targets["assessment.within_45_working_days"].target == 90
    assert default_polarity("workforce.agency_rate") == "down" and default_polarity("nope") == "none"


@pytest.mark.parametrize("text, message", [
    ("indicators: {a: {target: 1, polarity: sideways}}", "polarity"),
    ("indicators: {a: {target: ten, polarity: up}}", "numbers"),
    ("indicators: {a: {target: 1, tolerance: -1, polarity: up}}", "negative"),
    ("just text", "indicators"),
    ("indicators: [", "YAML"),
])
def test_bad_targets_files_are_user_errors(tmp_path, text, message):
    path = tmp_path / "t.yaml"
    path.write_text(text)
    with pytest.raises(InputError, match=message):
        load_targets(path)


def test_missing_targets_file():
    with pytest.raises(CscperfError, match="no such targets file"):
        from pathlib import Path
        load_targets(Path("/nonexistent/t.yaml"))
