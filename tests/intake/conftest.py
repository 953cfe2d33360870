from tests.browser.conftest import browser, page  # noqa: F401  (fixtures, for the browser tests)
from tests.goals.conftest import goal  # noqa: F401  (fixture)
