"""`cscperf serve` and `cscperf users …`: run the web app and manage who may use it."""

from __future__ import annotations

import os

import click

from cscperf.core.errors import CscperfError
from cscperf.web.roles import ROLE_NAMES


def setup_django(db: str | None) -> None:
    """Point Django at the store named on the command line, create the app's tables if needed."""
    if db:
        os.environ["CSCPERF_DB"] = db
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cscperf.web.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--db", "db", default=None, metavar="PATH|URL", help="Store (as for every command).")
@click.option("--threads", default=8, show_default=True, type=int, help="Worker threads (per process).")
@click.option("--processes", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Server processes sharing the port (POSIX): Python runs one thread at a time per process.")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, db: str | None, threads: int, processes: int) -> None:
    """Run the web app (team pages, supervision packs, drill-down) on HOST:PORT."""
    db = db or (ctx.obj or {}).get("db")
    os.environ.setdefault("CSCPERF_ALLOWED_HOSTS", f"{host},127.0.0.1,localhost")
    setup_django(db)
    from django.conf import settings

    from cscperf.web.server import serve_forever

    click.echo(f"cscperf web app on http://{host}:{port}/ (store {settings.STORE.display}"
               f"{f', {processes} processes' if processes > 1 else ''}); Ctrl+C to stop")
    serve_forever(host, port, threads, processes)


@click.group("users")
def users() -> None:
    """Manage web app users and their roles."""


@users.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLE_NAMES), required=True)
@click.option("--team", "team_id", default="", help="Team (team managers).")
@click.option("--service", default="", help="Service area (service managers).")
@click.option("--worker", "worker_id", default="", help="Worker id (social workers).")
@click.option("--password", default=None, help="Password (prompted for if omitted).")
@click.option("--db", "db", default=None, metavar="PATH|URL")
@click.pass_context
def users_add(ctx, username, role, team_id, service, worker_id, password, db):
    """Add a user with a role (and the team, service or worker the role needs)."""
    setup_django(db or (ctx.obj or {}).get("db"))
    from cscperf.web.accounts import create_user

    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    create_user(username, password, role, team_id=team_id, service=service, worker_id=worker_id)
    click.echo(f"added {username} ({role})")


@users.command("list")
@click.option("--db", "db", default=None, metavar="PATH|URL")
@click.pass_context
def users_list(ctx, db):
    """List users and their roles."""
    setup_django(db or (ctx.obj or {}).get("db"))
    from django.contrib.auth import get_user_model

    for user in get_user_model().objects.select_related("staff").order_by("username"):
        staff = getattr(user, "staff", None)
        scope = staff and (staff.team_id or staff.service or staff.worker_id)
        click.echo(f"{user.username}\t{staff.role if staff else '-'}\t{scope or ''}\t{'active' if user.is_active else 'disabled'}")


@users.command("set-password")
@click.argument("username")
@click.option("--password", default=None)
@click.option("--db", "db", default=None, metavar="PATH|URL")
@click.pass_context
def users_set_password(ctx, username, password, db):
    """Set a user's password."""
    setup_django(db or (ctx.obj or {}).get("db"))
    from cscperf.web.accounts import set_password

    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    set_password(username, password)
    click.echo(f"password set for {username}")


@users.command("disable")
@click.argument("username")
@click.option("--db", "db", default=None, metavar="PATH|URL")
@click.pass_context
def users_disable(ctx, username, db):
    """Stop a user signing in (their audit history stays)."""
    setup_django(db or (ctx.obj or {}).get("db"))
    from django.contrib.auth import get_user_model

    updated = get_user_model().objects.filter(username=username).update(is_active=False)
    if not updated:
        raise CscperfError(f"no user {username!r}")
    click.echo(f"disabled {username}")
