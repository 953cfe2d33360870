"""`python -m bench.security`, the same as bench/security_probes.py."""

from bench.security.run import main

main()
