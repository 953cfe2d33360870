"""Backup and restore: `backto backup PATH` and `backto restore PATH`.

The backup reads every table through the database's own tools (SQLite's online backup API,
PostgreSQL's pg_dump), so it imports no capability app; it sits beside the audit log, below
people and access, and the clinic admin's first-run checklist reads its record of the last backup.
"""
