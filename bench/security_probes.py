"""The security probes' command (issue 16), kept at this path for scripts/test, the docs and
bench/RESULTS.md; the probes themselves are the package bench/security/ (its docstring says
what each one does).

    .venv/bin/python bench/security_probes.py [--database sqlite|postgres|both] [--patients 6]
                                 [--sample 1] [--rounds 3] [--results bench/RESULTS.md]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.security.run import main

if __name__ == "__main__":
    main()
