# The articles suite's isolation (media in a temporary folder, an empty cache) and
# its desk fixtures, for the demo's tests too.
from articles.tests.conftest import (  # noqa: F401
    _empty_cache,
    _media_in_tmp,
    editor,
)
