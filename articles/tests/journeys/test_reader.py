"""What a reader sees of the demo, on a desktop and on a phone."""

import pytest

from articles.tests.journeys.conftest import demo_story


@pytest.mark.parametrize("width", [1280, 360], ids=["desktop", "phone"])
def test_related_stories_read_as_a_list_with_their_reasons(reader, width):
    story = demo_story("Three Sahel juntas seal a mutual-defence pact")
    reader.page.set_viewport_size({"width": width, "height": 800})
    assert reader.go(story.get_absolute_url()) == 200
    items = reader.page.locator("#related-stories li")
    assert items.count() >= 3
    for index in range(items.count()):
        item = items.nth(index)
        link = item.locator("a").bounding_box()
        why = item.locator(".related__why").bounding_box()
        # The reason sits under the headline, in the text column, not squeezed
        # into the number column a few letters a line.
        assert why["x"] == pytest.approx(link["x"], abs=1)
        assert why["y"] >= link["y"] + link["height"] - 1
        assert why["height"] < 3 * 20, item.inner_text()
