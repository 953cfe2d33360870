"""The capabilities: one Django app each (intake, goals, diary, measures, ...). A capability
imports people and access and below; it may call another capability's actions or queries one way
(never its views), and contributes its parts of the dashboards through `dashboard.py`
(docs/architecture.md)."""
