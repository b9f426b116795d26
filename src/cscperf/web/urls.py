from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path

from cscperf.web.views import admin_pages, auth, child, indicators, pages

urlpatterns = [
    path("", pages.home, name="home"),
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("indicators/<str:indicator_id>/", indicators.indicator, name="indicator"),
    path("indicators/<str:indicator_id>/drill/", indicators.drill, name="drill"),
    path("teams/", pages.teams, name="teams"),
    path("teams/<str:team_id>/", pages.team, name="team"),
    path("workers/<str:worker_id>/", pages.worker, name="worker"),
    path("children/<str:child_id>/", child.timeline, name="child"),
    path("quality/", admin_pages.quality, name="quality"),
    path("loads/", admin_pages.loads, name="loads"),
    path("audit/", admin_pages.audit_log, name="audit"),
    path("admin/", admin.site.urls),
]
