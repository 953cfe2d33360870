from tests.goals.conftest import goal  # noqa: F401  (fixture)
