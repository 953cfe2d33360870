"""The readers: pages that put the capabilities together (homes, caseload, patient overview),
progress and reports, outcomes. They read; the capabilities write (docs/architecture.md)."""
