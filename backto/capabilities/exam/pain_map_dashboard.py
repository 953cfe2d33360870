"""The exam's pain_map part on the dashboards (`backto.core.dashboard`); imported by dashboard.py so
that the dashboards' autodiscovery registers it."""
