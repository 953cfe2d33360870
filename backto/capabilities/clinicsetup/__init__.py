"""Setting up a clinic: `backto clinic create`, and the admin's first-run checklist with its steps."""
