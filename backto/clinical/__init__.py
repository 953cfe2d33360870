"""BackTo's clinical core: the science, in plain Python.

Instrument definitions and scoring, Goal Attainment Scaling, reliable change and screening rules.
Nothing here imports Django or another BackTo app (an import contract enforces it): plain data in,
plain data out, so every number can be checked by hand against the sources in CLINICAL.md and
docs/instruments.md.
"""

from backto.clinical.scoring import ENGINE_VERSION

__all__ = ["ENGINE_VERSION"]
