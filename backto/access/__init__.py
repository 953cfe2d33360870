"""People and access: who may see whom. Accounts (users, roles, the clinic) and patients (the child,
their family, episodes and care teams). Imports only the kernel, the audit log and the clinical
core; never a capability (docs/architecture.md)."""
