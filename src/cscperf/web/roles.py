"""The roles of the web app and what each may see (kept free of Django so the CLI can list them)."""

ROLES = {
    "director": "Director or senior manager: every team and child",
    "service_manager": "Service manager: the teams of their service",
    "team_manager": "Team manager: their team",
    "social_worker": "Social worker: their own caseload",
    "analyst": "Performance analyst: everything, plus loads and the audit log",
    "member": "Elected member or observer: the public digest only",
}
ROLE_NAMES = list(ROLES)
