"""Creating users with a role; passwords are checked against Django's validators and hashed with
Argon2."""

from __future__ import annotations

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.db import transaction

from cscperf.core.errors import CscperfError
from cscperf.web.models import Role, StaffProfile

NEEDS = {Role.SERVICE_MANAGER: "service", Role.TEAM_MANAGER: "team_id", Role.SOCIAL_WORKER: "worker_id"}


def _validate(password: str, user=None) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise CscperfError("password rejected: " + " ".join(exc.messages)) from None


def create_user(username: str, password: str, role: str, *, team_id: str = "", service: str = "", worker_id: str = "",
                validate: bool = True):
    if role not in Role.values:
        raise CscperfError(f"unknown role {role!r}; choose from {', '.join(Role.values)}")
    scope = {"service": service, "team_id": team_id, "worker_id": worker_id}
    needed = NEEDS.get(role)
    if needed and not scope[needed]:
        flag = {"service": "--service", "team_id": "--team", "worker_id": "--worker"}[needed]
        raise CscperfError(f"a {role} needs {flag}")
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise CscperfError(f"user {username!r} already exists")
    user = User(username=username)
    if validate:
        _validate(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.is_staff = role == Role.ANALYST  # analysts may use Django admin to manage users
        user.is_superuser = role == Role.ANALYST
        user.save()
        StaffProfile.objects.create(user=user, role=role, **scope)
    return user


def set_password(username: str, password: str) -> None:
    User = get_user_model()
    try:
        user = User.objects.get(username=username)
    except User.DoesNotExist:
        raise CscperfError(f"no user {username!r}") from None
    _validate(password, user)
    user.set_password(password)
    user.save()
