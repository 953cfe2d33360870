"""gunicorn's access log without one-time links: `gunicorn --logger-class
backto.core.access_log.RedactingAccessLogger` (scripts/run; docs/deployment.md). Every field a
log format can name (the request line, path, query, referrer, headers, environment) has the
secret part of an invitation, password-reset or test-email link replaced by [redacted]."""

from typing import Any

from gunicorn.glogging import Logger

from backto.core.redact import redact_secret_paths


class RedactingAccessLogger(Logger):
    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            key: redact_secret_paths(value) if isinstance(value, str) else value
            for key, value in atoms.items()
        }
