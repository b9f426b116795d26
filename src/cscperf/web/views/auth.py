"""Login with throttling: after too many failures for a username or an address within the window,
login is refused without checking the password, so guessing is slow and visible."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import timezone

from cscperf.web.models import LoginFailure


def _too_many(username: str, address: str) -> bool:
    since = timezone.now() - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    recent = LoginFailure.objects.filter(at__gte=since)
    limit = settings.LOGIN_FAILURE_LIMIT
    return recent.filter(username=username).count() >= limit or (
        bool(address) and recent.filter(address=address).count() >= limit * 4
    )


class ThrottledAuthenticationForm(AuthenticationForm):
    def clean(self):
        username = (self.cleaned_data.get("username") or "")[:150]
        address = self.request.META.get("REMOTE_ADDR", "")[:64] if self.request else ""
        if _too_many(username, address):
            raise ValidationError("Too many failed sign-in attempts. Wait 15 minutes and try again.", code="throttled")
        try:
            return super().clean()
        except ValidationError:
            LoginFailure.objects.create(username=username, address=address)
            raise


class LoginView(auth_views.LoginView):
    template_name = "cscweb/login.html"
    authentication_form = ThrottledAuthenticationForm
    redirect_authenticated_user = True
