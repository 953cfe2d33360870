"""Black-box security probes (issue 16): a real BackTo attacked over HTTP the way the security
tester did, on SQLite and on PostgreSQL. About a minute on SQLite on 2 CPUs, two on PostgreSQL.

    .venv/bin/python bench/security_probes.py [--database sqlite|postgres|both] [--patients 6]
                                 [--sample 1] [--rounds 3] [--results bench/RESULTS.md]

For each database: a throwaway var dir with the demo clinic (`backto demo`, 12 children, of which
the first `--patients` are crawled) and a second clinic,
served by gunicorn (3 workers) on 127.0.0.1 with the app's own settings in production mode,
as behind one reverse proxy (BACKTO_PROXY_COUNT=1, so that each sign-in probe comes from
addresses of its own). On PostgreSQL, the two roles of docs/deployment.md: an owner runs the
migrations and the documented GRANTs, the app role serves. The servers are stopped whatever
happens. In order:

1. privacy: every persona (the care team, clinicians off it, the coordinator, the admin, every
   followed child's guardian and teen, another clinic's staff and family) asks for every record
   URL: each URL pattern with an id, filled with each child's records (`--sample` of each kind).
   Outside the person's circle the answer must be, byte for byte, the one a record that does not
   exist gets; inside it, a role without the page's permission gets 403 (the permission table).
   A teen keeps today's mood, notes and win private: no page, PDF or zip (the outcomes export)
   fetched by anyone but the care team and the teen shows them, nor links to the safety alert
   they raised.
2. lockout: wrong passwords under every spelling of an account (name, NAME, " name", its email)
   pause it for all of them, the right password included; a success clears no other account's
   pause; a name without an account is paused alike (same answer, same time); one address failing
   across many names is paused, whatever the client writes into X-Forwarded-For before the
   proxy's entry.
3. kill -9: diary entries posted with idempotency keys (sent again when the connection is cut)
   while every gunicorn worker is SIGKILLed, three times: each entry stored exactly once.
4. crash: the seven former server errors replayed, and every form and query string the crawl
   saw sent again with hostile values (`--rounds` times): no 5xx, and no traceback logged at
   ERROR in the server's log by any probe.
5. tamper: after `backto audit seal` and `checkpoint`, copies of the database with an event
   deleted, rewritten (INSERT OR REPLACE; an UPDATE on PostgreSQL) and the newest events cut
   off: each first refused (SQLite's triggers; PostgreSQL's app role), then done past them
   (dropping the triggers; as the superuser), and `backto audit verify` must fail naming the
   first missing or changed event; an untouched copy verifies. On PostgreSQL the app role may
   not DELETE, TRUNCATE, disable or drop the trigger, or set session_replication_role.

One line a probe: PASS or FAIL, its counts and seconds, then the holes found (a request, who
sent it, the answer). The exit status is 1 when any probe found a hole. Shares nothing with the
test suite: its own var dir, database, settings and accounts.

One module a probe (privacy, lockout, kill_nine, crash, tamper), beside what they share: client
(requests and answers, what a probe found), deployment (the throwaway clinic and the oracle),
pages (what a person reads, the forms the crawl keeps) and run (the command, the report).
"""
