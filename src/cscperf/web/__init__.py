"""The web app: live lists for supervision, dashboards and drill-down, with roles and an audit log.

Django 5.2 + htmx + GOV.UK Frontend, server-rendered. It reads the same store as the CLI (through
``cscperf.store``) and keeps its own tables (users, roles, audit) in the same kind of database:
SQLite beside a DuckDB store, or the PostgreSQL database itself. It never ingests.
"""
