"""The web app under test: a store holding the tiny council, Django configured against it, and one
user per role. Django is configured once per test process, so this is session-scoped."""

from __future__ import annotations

import os

import pytest

from council import PASSWORD, TARGETS_YAML, USERS, add_benchmarks, compute_indicators, populate

@pytest.fixture(scope="session")
def web_store(tmp_path_factory):
    from cscperf.store import open_engine
    from cscperf.store.migrate import migrate

    folder = tmp_path_factory.mktemp("web")
    path = folder / "council.duckdb"
    with open_engine(str(path)) as engine:
        migrate(engine)
        populate(engine)
        compute_indicators(engine)
        add_benchmarks(engine)
    targets = folder / "targets.yaml"
    targets.write_text(TARGETS_YAML, encoding="utf-8")
    os.environ["CSCPERF_TARGETS"] = str(targets)
    os.environ["CSCPERF_DB"] = str(path)
    os.environ["CSCPERF_SECRET_KEY"] = "test-only-secret-key-not-for-production-use-0123456789"
    os.environ["DJANGO_SETTINGS_MODULE"] = "cscperf.web.settings"
    os.environ["CSCPERF_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    from cscperf.web.accounts import create_user

    for username, spec in USERS.items():
        create_user(username, PASSWORD, spec["role"], team_id=spec.get("team_id", ""),
                    service=spec.get("service", ""), worker_id=spec.get("worker_id", ""))
    return path


@pytest.fixture
def client_for(web_store):
    from django.test import Client

    def make(username: str) -> Client:
        client = Client()
        assert client.login(username=username, password=PASSWORD)
        return client

    return make
