"""Compiled rule SQL: compiling once with a stand-in for the load ids (and reading it back from the
cache in a later process) gives exactly the text of compiling for the real ids."""

import pytest

from cscperf.rules import runner, sqlcache
from cscperf.rules.ruleset import load_ruleset


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("CSCPERF_CACHE_DIR", str(tmp_path / "cache"))
    sqlcache._folder.cache_clear()
    runner._template.cache_clear()
    yield tmp_path / "cache"
    sqlcache._folder.cache_clear()
    runner._template.cache_clear()


SOURCES = (("child", "SELECT child_id, sex FROM child_source"),)


@pytest.mark.parametrize("ret", ["cin", "903"])
@pytest.mark.parametrize("dialect", ["duckdb", "postgres"])
def test_template_filled_equals_direct_compile(cache_dir, ret, dialect):
    ruleset = load_ruleset(ret, "2024_25")
    for order, rule in enumerate(ruleset.rules, 1):
        args = (order, rule.return_type, rule.code, rule.type, rule.message, rule.sql)
        for ids in ((6,), (3, 12)):
            direct = runner._compile(*args, ids, dialect, SOURCES)
            assert runner._compiled(*args, ids, dialect, SOURCES) == direct, rule.code
    assert len(list(cache_dir.rglob("*.sql"))) == len(ruleset.rules)


def test_a_later_process_reads_the_cache(cache_dir):
    rule = load_ruleset("cin", "2024_25").rules[0]
    args = (1, rule.return_type, rule.code, rule.type, rule.message, rule.sql)
    first = runner._compiled(*args, (4,), "duckdb", ())
    [path] = list(cache_dir.rglob("*.sql"))
    assert str(runner.SENTINEL_LOAD_ID) in path.read_text()
    # what a later process finds on disk is what it uses: prove it by planting a marked entry
    path.write_text(path.read_text().replace("AS rule_order", "AS rule_order /* from cache */"))
    runner._template.cache_clear()
    again = runner._compiled(*args, (4,), "duckdb", ())
    assert again == first.replace("AS rule_order", "AS rule_order /* from cache */")


def test_cache_off_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("CSCPERF_CACHE_DIR", "off")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    sqlcache._folder.cache_clear()
    runner._template.cache_clear()
    rule = load_ruleset("cin", "2024_25").rules[0]
    args = (1, rule.return_type, rule.code, rule.type, rule.message, rule.sql)
    assert runner._compiled(*args, (4,), "duckdb", ()) == runner._compile(*args, (4,), "duckdb", ())
    assert not list(tmp_path.rglob("*.sql"))
    sqlcache._folder.cache_clear()
    runner._template.cache_clear()
