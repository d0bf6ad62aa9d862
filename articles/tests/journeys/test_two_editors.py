"""Two editors save the same story at the same moment: exactly one save wins, every
time, and the other editor keeps their text with a clear explanation."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from articles.tests.journeys.conftest import PASSWORDS, demo_story

ROUNDS = 5


def test_exactly_one_of_two_simultaneous_saves_wins(desk):
    colleague = get_user_model().objects.create_user(
        "second-editor", password="second-editor-pw-4321", is_staff=True
    )
    colleague.groups.add(Group.objects.get(name="Editors"))
    PASSWORDS["second-editor"] = "second-editor-pw-4321"
    first, second = desk("editor"), desk("second-editor")
    story = demo_story("Three Sahel juntas seal a mutual-defence pact")

    for round_number in range(ROUNDS):
        texts = {}
        for person, name in [(first, "first"), (second, "second")]:
            person.open_story(story)
            texts[name] = f"Round {round_number}: the {name} editor's dek."
            person.page.fill("#id_dek", texts[name])
        # Both press Save without waiting for the other's answer.
        first.page.click("input[name=_continue]", no_wait_after=True)
        second.page.click("input[name=_continue]", no_wait_after=True)
        outcomes = {}
        for person, name in [(first, "first"), (second, "second")]:
            person.page.wait_for_selector(".messagelist li, .errornote")
            saved = person.page.locator(".messagelist .success").count() > 0
            outcomes[name] = saved
            if not saved:
                assert "after you opened it" in person.page.content()
                assert person.page.input_value("#id_dek") == texts[name]
        assert sorted(outcomes.values()) == [False, True], (round_number, outcomes)
        story.refresh_from_db()
        winner = next(name for name, saved in outcomes.items() if saved)
        assert story.dek == texts[winner]
