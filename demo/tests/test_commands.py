import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from reversion.models import Version

from articles import search, services
from articles.models import Article, RelatedStory, StoryNote, Topic
from demo import content, content_fr

pytestmark = pytest.mark.django_db

PUBLISHED = len(content.STORIES) + len(content_fr.STORIES)


def snapshot():
    """Everything load_demo writes, as plain values."""
    return {
        "articles": sorted(
            Article.objects.values_list(
                "slug", "headline", "body", "status", "updated_at", "created_by"
            )
        ),
        "topics": sorted(
            Topic.objects.values_list("slug", "name", "description", "featured_article")
        ),
        "tags": sorted(
            Article.tags.through.objects.values_list("content_object", "tag")
        ),
        "links": sorted(
            RelatedStory.objects.values_list("article", "story", "position")
        ),
        "languages": sorted(
            Article.objects.values_list(
                "slug",
                "language",
                "translation_of",
                "source_version",
                "correction_pending",
            )
        ),
        "versions": sorted(
            Version.objects.values_list("object_id", "content_type", "revision")
        ),
        "notes": sorted(StoryNote.objects.values_list("article", "kind", "text")),
    }


def test_load_demo_builds_a_small_newsroom(capsys):
    call_command("load_demo")
    published = Article.objects.published()
    assert published.count() == PUBLISHED >= 15
    out = capsys.readouterr().out
    assert "11 stories created" in out
    assert "French: 6 stories created (3 translations)" in out
    for slug in [
        "mali",
        "niger",
        "burkina-faso",
        "aes",
        "ecowas",
        "g5-sahel",
        "france",
    ]:
        assert Topic.objects.filter(slug=slug).exists(), slug
    assert RelatedStory.objects.count() >= 5
    for story in published:
        assert story.tags.count() >= 3
        assert story.sources
        assert story.lead_image and story.lead_image_alt
        assert story.authors.exists()


def test_load_demo_twice_changes_nothing(capsys):
    call_command("load_demo")
    before = snapshot()
    call_command("load_demo")
    assert snapshot() == before
    assert "0 stories created" in capsys.readouterr().out


def test_load_demo_keeps_an_editors_changes(client):
    call_command("load_demo")
    story = Article.objects.get(slug=content.STORIES[0]["slug"])
    story.headline = "Edited by the desk"
    story.slug = "edited-by-the-desk"
    services.save_story(story=story)
    call_command("load_demo")
    assert Article.objects.count() == PUBLISHED + len(content.DESK_STORIES)
    assert Article.objects.get(pk=story.pk).headline == "Edited by the desk"


def test_demo_pages_render(client):
    call_command("load_demo")
    for story in Article.objects.published():
        response = client.get(story.get_absolute_url())
        assert response.status_code == 200
        assert 'id="related-stories"' in response.content.decode()
    for topic in Topic.objects.with_published_stories():
        assert client.get(topic.get_absolute_url()).status_code == 200


def test_create_demo_editor_creates_and_resets(capsys):
    call_command("create_demo_editor")
    call_command("create_demo_editor")
    out = capsys.readouterr().out
    assert "Created demo editor" in out and "Reset demo editor" in out
    username, password = out.split("log in at /admin/ as ")[1].split()[0:3:2]
    user = authenticate(username=username, password=password)
    assert user is not None and user.is_staff
    assert user.has_perm("articles.publish_article")


def test_create_demo_editor_also_offers_a_reporter(capsys):
    call_command("create_demo_editor")
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if "demo reporter" in line)
    username, password = line.split("log in at /admin/ as ")[1].split()[0:3:2]
    user = authenticate(username=username, password=password)
    assert user is not None and user.is_staff
    assert user.has_perm("articles.change_article")
    assert not user.has_perm("articles.publish_article")


def test_demo_has_a_correction_and_in_body_links(client, capsys):
    call_command("load_demo")
    assert "5 in-body links and 2 notes added" in capsys.readouterr().out
    page = client.get("/corrections/").content.decode()
    assert "signed in Niamey" in page
    linking = Article.objects.get(slug="sahel-juntas-seal-mutual-defence-pact")
    target = Article.objects.get(slug="inside-the-aes-charter-mutual-defence-clause")
    assert list(linking.links_out.values_list("target_id", flat=True)) == [target.pk]
    body = client.get(linking.get_absolute_url()).content.decode()
    assert (
        f'<a href="{target.get_absolute_url()}">a mutual-defence agreement</a>' in body
    )
    call_command("load_demo")
    assert "0 in-body links and 0 notes added" in capsys.readouterr().out


def test_demo_stories_start_with_a_version():
    from reversion.models import Version

    call_command("load_demo")
    story = Article.objects.get(slug=content.STORIES[0]["slug"])
    (version,) = Version.objects.get_for_object(story)
    assert version.revision.get_comment() == "Loaded by load_demo."
    assert version.field_dict["headline"] == story.headline


class TestDemoReporterDesk:
    """The demo reporter starts with a draft and a story in review of their own."""

    def owned(self):
        return sorted(
            Article.objects.filter(created_by__username="reporter").values_list(
                "slug", "status"
            )
        )

    expected = sorted(
        (story["slug"], story["status"]) for story in content.DESK_STORIES
    )

    @pytest.mark.parametrize(
        "commands",
        [("load_demo", "create_demo_editor"), ("create_demo_editor", "load_demo")],
    )
    def test_either_order_hands_over_the_desk_stories_once(self, commands):
        for command in commands:
            call_command(command)
        assert self.owned() == self.expected
        assert {status for _, status in self.owned()} == {"draft", "review"}
        before = snapshot()
        for command in commands:
            call_command(command)
        assert snapshot() == before
        assert Article.objects.count() == PUBLISHED + 2

    def test_reporter_sees_and_edits_them_in_the_admin(self, client):
        call_command("load_demo")
        call_command("create_demo_editor")
        client.login(username="reporter", password="sahel-desk-reporter")
        listing = client.get("/admin/articles/article/").content.decode()
        for story in content.DESK_STORIES:
            assert story["headline"] in listing
        draft = Article.objects.get(status="draft", created_by__username="reporter")
        page = client.get(f"/admin/articles/article/{draft.pk}/change/")
        assert page.status_code == 200 and b'name="_save"' in page.content

    def test_desk_stories_stay_off_every_public_page(self, client):
        call_command("load_demo")
        call_command("create_demo_editor")
        live = Article.objects.published()
        found = [*search.search(live, "confederation"), *search.search(live, "gourma")]
        assert found
        for story in Article.objects.filter(created_by__username="reporter"):
            assert client.get(story.get_absolute_url()).status_code == 404
            assert story not in found
        assert Article.objects.published().count() == PUBLISHED

    def test_an_editor_owned_story_is_not_taken_over(self, editor):
        call_command("load_demo")
        slug = content.DESK_STORIES[0]["slug"]
        Article.objects.filter(slug=slug).update(created_by=editor)
        call_command("create_demo_editor")
        assert Article.objects.get(slug=slug).created_by == editor
        assert len(self.owned()) == len(content.DESK_STORIES) - 1
