"""Typed, hierarchical topics with aliases, merges, health, timeline and fact box."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from articles import services
from articles.models import (
    Article,
    TaggedArticle,
    Topic,
    TopicAlias,
    TopicEvent,
    TopicFact,
    TopicMerge,
)
from articles.tests.admin_forms import inline_formset, topic_form_extras
from articles.tests.factories import ArticleFactory, checked_picture
from articles.topics import topic_health

pytestmark = pytest.mark.django_db


def days_ago(n):
    return timezone.now() - timedelta(days=n)


@pytest.fixture
def places():
    mali = Topic.objects.create(name="Mali", kind=Topic.Kind.PLACE)
    menaka = Topic.objects.create(name="Ménaka", kind=Topic.Kind.PLACE, parent=mali)
    return mali, menaka


def story_links(response):
    return response.content.decode()


class TestHierarchy:
    def test_child_stories_roll_up_to_the_parent_page(self, client, places):
        mali, menaka = places
        local = ArticleFactory(headline="Convoy reaches Ménaka", topics=[menaka])
        national = ArticleFactory(headline="Bamako budget", topics=[mali])
        both = ArticleFactory(headline="Tagged twice", topics=[mali, menaka])
        ArticleFactory(draft=True, headline="Draft in Ménaka", topics=[menaka])
        page = client.get(mali.get_absolute_url()).content.decode()
        for story in (local, national, both):
            assert story.headline in page
        # One card, no duplicate through two topics (JSON-LD names it once more).
        assert page.count(">Tagged twice</a>") == 1
        assert "Draft in Ménaka" not in page
        child_page = client.get(menaka.get_absolute_url()).content.decode()
        assert "Bamako budget" not in child_page
        assert 'href="/topics/mali/"' in child_page  # breadcrumb to the parent
        assert 'href="/topics/menaka/"' in page  # child listed on the parent

    def test_parent_page_with_only_child_stories_is_public(self, client, places):
        mali, menaka = places
        ArticleFactory(topics=[menaka])
        assert client.get(mali.get_absolute_url()).status_code == 200

    def test_cycles_refused_with_a_form_error(self, editor_client, places):
        mali, menaka = places
        with pytest.raises(ValidationError) as error:
            mali.parent = menaka
            mali.full_clean()
        assert "parent" in error.value.message_dict
        response = editor_client.post(
            reverse("admin:articles_topic_change", args=[mali.pk]),
            {"name": "Mali", "slug": "mali", "parent": str(menaka.pk),
             **topic_form_extras("place")},
        )  # fmt: skip
        assert response.status_code == 200
        assert "cannot be its own ancestor" in response.content.decode()
        mali.refresh_from_db()
        assert mali.parent is None

    def test_a_topic_cannot_be_its_own_parent(self, places):
        mali, _ = places
        mali.parent = mali
        with pytest.raises(ValidationError):
            mali.full_clean()


class TestNames:
    @pytest.mark.parametrize("typed", ["Tillaberi", "tillabéri", "TILLABÉRI"])
    def test_case_and_accent_variants_are_one_topic(self, typed):
        ArticleFactory(topics=["Tillabéri"])
        story = ArticleFactory(topics=[typed])
        assert Topic.objects.count() == 1
        assert [t.name for t in story.tags.all()] == ["Tillabéri"]

    def test_typing_an_alias_attaches_the_canonical_topic(self):
        aes = Topic.objects.create(name="Alliance of Sahel States")
        TopicAlias.objects.create(topic=aes, name="AES")
        TopicAlias.objects.create(
            topic=aes, name="Alliance des États du Sahel", language="fr"
        )
        story = ArticleFactory(topics=["aes", "alliance des etats du sahel", "Niger"])
        assert sorted(t.name for t in story.tags.all()) == [
            "Alliance of Sahel States",
            "Niger",
        ]
        assert Topic.objects.filter(name__iexact="AES").get() == aes

    def test_alias_typed_in_the_admin_form(self, editor_client):
        aes = Topic.objects.create(name="Alliance of Sahel States")
        TopicAlias.objects.create(topic=aes, name="Confederation of Sahel States")
        story = ArticleFactory(draft=True, topics=["Mali"])
        data = {
            "headline": story.headline, "slug": story.slug, "status": "draft",
            "tags": "Confederation of Sahel States, Mali", "published_at_0": "",
            "published_at_1": "", "unpublish_at_0": "", "unpublish_at_1": "",
            "opened_version": story.updated_at.isoformat(),
        }  # fmt: skip
        for prefix in ["curated_links", "related_exclusions", "notes"]:
            data |= inline_formset(prefix)
        response = editor_client.post(
            reverse("admin:articles_article_change", args=[story.pk]), data
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        assert sorted(t.name for t in story.tags.all()) == [
            "Alliance of Sahel States",
            "Mali",
        ]
        story.refresh_from_db()
        assert story.primary_topic == aes  # first typed, by default

    def test_alias_slug_and_old_slug_answer_301(self, client):
        aes = Topic.objects.create(name="Alliance of Sahel States", slug="aes")
        ArticleFactory(topics=[aes])
        TopicAlias.objects.create(topic=aes, name="Alliance des États du Sahel")
        response = client.get("/topics/alliance-des-etats-du-sahel/?page=1")
        assert response.status_code == 301
        assert response["Location"] == "/topics/aes/?page=1"
        aes.slug = "alliance-of-sahel-states"
        aes.save()
        response = client.get("/topics/aes/timeline/")
        assert response.status_code == 301
        assert response["Location"] == "/topics/alliance-of-sahel-states/timeline/"
        assert client.get("/topics/nothing-here/").status_code == 404

    def test_feed_under_an_alias_or_old_slug_answers_301(self, client):
        aes = Topic.objects.create(name="Alliance of Sahel States", slug="aes")
        story = ArticleFactory(headline="Charter signed", topics=[aes])
        TopicAlias.objects.create(topic=aes, name="Alliance des États du Sahel")
        response = client.get("/topics/alliance-des-etats-du-sahel/feed/")
        assert response.status_code == 301
        assert response["Location"] == "/topics/aes/feed/"
        aes.slug = "alliance-of-sahel-states"
        aes.save()
        for old in ["aes", "alliance-des-etats-du-sahel"]:
            response = client.get(f"/topics/{old}/feed/")
            assert response.status_code == 301
            assert response["Location"] == "/topics/alliance-of-sahel-states/feed/"
            response = client.get(f"/topics/{old}/timeline/")
            assert response.status_code == 301
            assert response["Location"] == "/topics/alliance-of-sahel-states/timeline/"
        feed = client.get(response["Location"].replace("timeline", "feed"))
        assert feed.status_code == 200 and story.headline in feed.content.decode()
        assert client.get("/topics/nothing-here/feed/").status_code == 404

    def test_feed_of_a_merged_topic_answers_301(self, client):
        kept = Topic.objects.create(name="Liptako-Gourma")
        gone = Topic.objects.create(name="Three Borders")
        ArticleFactory(topics=[kept, gone])
        services.merge_topics(source=gone, target=kept)
        response = client.get("/topics/three-borders/feed/")
        assert response.status_code == 301
        assert response["Location"] == "/topics/liptako-gourma/feed/"

    def test_an_alias_may_not_shadow_a_topic(self):
        Topic.objects.create(name="Niger")
        other = Topic.objects.create(name="Nigeria")
        with pytest.raises(ValidationError):
            TopicAlias(topic=other, name="NIGER").full_clean()

    def test_label_is_french_for_french_readers(self):
        topic = Topic(
            name="Alliance of Sahel States", name_fr="Alliance des États du Sahel"
        )
        assert topic.label == "Alliance of Sahel States"
        with translation.override("fr"):
            assert topic.label == "Alliance des États du Sahel"
        with translation.override("fr"):
            assert Topic(name="Mali").label == "Mali"


class TestMerge:
    @pytest.fixture
    def pair(self):
        a = Topic.objects.create(name="Liptako-Gourma", kind=Topic.Kind.PLACE)
        b = Topic.objects.create(
            name="Liptako Gourma region", name_fr="Liptako-Gourma (région)"
        )
        only_b = [ArticleFactory(topics=[b]) for _ in range(3)]
        both = [ArticleFactory(topics=[a, b]) for _ in range(2)]
        only_a = [ArticleFactory(topics=[a])]
        TopicEvent.objects.create(
            topic=b, date=date(2023, 9, 16), text="Charter signed"
        )
        primary = only_b[0]
        primary.primary_topic = b
        primary.save()
        return a, b, only_a, only_b, both

    def test_merge_moves_every_story_once(self, pair, editor):
        a, b, only_a, only_b, both = pair
        taggings_before = TaggedArticle.objects.count()
        record = services.merge_topics(source=b, target=a, user=editor)
        assert (record.stories_moved, record.stories_already_tagged) == (3, 2)
        for story in only_a + only_b + both:
            assert [t.name for t in story.tags.all()] == ["Liptako-Gourma"]
        assert TaggedArticle.objects.count() == taggings_before - 2
        assert not Topic.objects.filter(pk=b.pk).exists()
        assert Article.objects.get(pk=only_b[0].pk).primary_topic == a
        assert a.events.count() == 1
        assert {alias.name for alias in a.aliases.all()} == {
            "Liptako Gourma region",
            "Liptako-Gourma (région)",
        }
        assert record.merged_by == editor and record.source_name == b.name
        assert record.target == a and record.merged_at is not None

    def test_merged_topic_redirects_and_its_name_still_attaches(self, pair, client):
        a, b, *_ = pair
        services.merge_topics(source=b, target=a)
        response = client.get(f"/topics/{b.slug}/")
        assert (
            response.status_code == 301
            and response["Location"] == "/topics/liptako-gourma/"
        )
        story = ArticleFactory(topics=["liptako gourma REGION"])
        assert list(story.tags.all()) == [a]

    def test_admin_action_confirms_then_merges(self, pair, editor_client):
        a, b, *_ = pair
        changelist = reverse("admin:articles_topic_changelist")
        response = editor_client.post(
            changelist,
            {"action": "merge_selected", "_selected_action": [a.pk, b.pk]},
        )
        assert response.status_code == 302
        confirm = editor_client.get(response["Location"] + f"&target={a.pk}")
        page = confirm.content.decode()
        assert "<strong>3</strong> stories move" in page
        assert "2 already carry both" in page
        assert Topic.objects.filter(pk=b.pk).exists()  # nothing happens before yes
        done = editor_client.post(
            reverse("admin:articles_topic_merge"),
            {"ids": f"{a.pk},{b.pk}", "target": a.pk, "confirm": "yes"},
        )
        assert done.status_code == 302
        assert not Topic.objects.filter(pk=b.pk).exists()
        assert TopicMerge.objects.get().merged_by.username == "ed"

    def test_reporters_cannot_merge(self, pair, reporter_client):
        a, b, *_ = pair
        response = reporter_client.post(
            reverse("admin:articles_topic_merge"),
            {"ids": f"{a.pk},{b.pk}", "target": a.pk, "confirm": "yes"},
        )
        assert response.status_code in (302, 403)
        assert Topic.objects.filter(pk=b.pk).exists()


class TestHealth:
    def test_lists_duplicates_singletons_and_common_topics(self, editor_client):
        common = Topic.objects.create(name="Sahel")
        for n in range(24):
            ArticleFactory(topics=[common, f"Topic number {n % 6}"])
        ArticleFactory(topics=["Tilaberi"])
        ArticleFactory(topics=["Tillabéri", "Tillabéri region"])
        ArticleFactory(topics=["Tillabéri"])
        Topic.objects.create(name="G5 Sahel")
        Topic.objects.create(name="G7 Sahel")
        health = topic_health()
        pairs = {frozenset((a.name, b.name)) for a, b in health["near_duplicates"]}
        assert frozenset(("Tilaberi", "Tillabéri")) in pairs
        assert frozenset(("G5 Sahel", "G7 Sahel")) not in pairs
        assert frozenset(("Topic number 1", "Topic number 2")) not in pairs
        assert {t.name for t in health["used_once"]} == {"Tilaberi", "Tillabéri region"}
        assert [t.name for t in health["too_common"]] == ["Sahel"]
        page = editor_client.get(
            reverse("admin:articles_topic_health")
        ).content.decode()
        assert "Merge…" in page and "split them" in page and "Tilaberi" in page


class TestTopicPage:
    def test_shows_kind_facts_featured_children_and_related_topics(
        self, client, places
    ):
        mali, menaka = places
        mali.description = "A Sahel country."
        mali.save()
        lead = ArticleFactory(headline="The lead story", topics=[mali, "Niger"])
        ArticleFactory(topics=[mali, "Niger"])
        ArticleFactory(topics=[menaka, "Gao"])
        Topic.objects.filter(pk=mali.pk).update(featured_article=lead)
        TopicFact.objects.create(
            topic=mali, label="Capital", value="Bamako", as_of=date(2024, 1, 1),
            source="Demo source",
        )  # fmt: skip
        page = client.get(mali.get_absolute_url()).content.decode()
        assert "Place" in page and "A Sahel country." in page
        assert "Capital" in page and "Bamako" in page and "as of 1 Jan 2024" in page
        assert "Featured" in page and "The lead story" in page
        related = page.split("Often covered with")[1]
        assert related.index("Niger") < related.index("Gao")
        assert "/topics/mali/feed/" in page and "/topics/mali/timeline/" in page

    def test_deep_pages_and_primary_topic_kicker(self, client, places):
        mali, _ = places
        stories = [
            ArticleFactory(published_at=days_ago(n), topics=[mali]) for n in range(45)
        ]
        for story in stories:
            story.primary_topic = mali
            story.save()
        last = client.get(mali.get_absolute_url() + "?page=3")
        assert [s.pk for s in last.context["stories"]] == [s.pk for s in stories[40:]]
        assert (
            '<p class="kicker"><a href="/topics/mali/">Mali</a></p>'
            in last.content.decode()
        )
        assert client.get(mali.get_absolute_url() + "?page=4").status_code == 404
        assert client.get(mali.get_absolute_url() + "?page=x").status_code == 404


class TestTimeline:
    def test_grouped_by_year_and_month_with_pinned_events(self, client):
        aes = Topic.objects.create(name="AES", slug="aes")
        sept = ArticleFactory(
            headline="Charter signed in Bamako",
            published_at=timezone.make_aware(timezone.datetime(2023, 9, 17, 9)),
            topics=[aes],
        )
        ArticleFactory(
            headline="Summit in Niamey",
            published_at=timezone.make_aware(timezone.datetime(2024, 7, 6, 9)),
            topics=[aes],
        )
        draft = ArticleFactory(draft=True, headline="Unpublished draft", topics=[aes])
        TopicEvent.objects.create(
            topic=aes, date=date(2023, 9, 16), text="Liptako-Gourma Charter signed",
            story=sept,
        )  # fmt: skip
        TopicEvent.objects.create(
            topic=aes, date=date(2023, 7, 26), text="Coup in Niger", story=draft
        )
        response = client.get("/topics/aes/timeline/")
        assert response.status_code == 200
        years = response.context["years"]
        assert [y["year"] for y in years] == [2024, 2023]
        months_2023 = [m["month"].month for m in years[1]["months"]]
        assert months_2023 == [9, 7]
        september = [entry["kind"] for entry in years[1]["months"][0]["items"]]
        assert september == ["story", "event"]  # 17 Sep story, then 16 Sep event
        page = response.content.decode()
        assert (
            f'<a href="{sept.get_absolute_url()}">Liptako-Gourma Charter signed</a>'
            in page
        )
        assert "Coup in Niger" in page and draft.get_absolute_url() not in page
        assert "Unpublished draft" not in page

    def test_unknown_or_empty_timeline_is_404(self, client):
        Topic.objects.create(name="Empty", slug="empty")
        assert client.get("/topics/empty/timeline/").status_code == 404
        assert client.get("/topics/none/timeline/").status_code == 404


class TestArticlePage:
    def test_breadcrumbs_and_shares_explanation(self, client, places):
        mali, menaka = places
        story = ArticleFactory(topics=[menaka, "Drought"])
        story.primary_topic = menaka
        story.save()
        ArticleFactory(topics=[menaka, "Drought"])
        page = client.get(story.get_absolute_url()).content.decode()
        crumbs = page.split('class="breadcrumbs"')[1].split("</nav>")[0]
        assert crumbs.index("Mali") < crumbs.index("Ménaka")
        related = page.split('id="related-stories"')[1].split("</ol>")[0]
        assert "Shares:" in related and "Ménaka" in related and "Drought" in related


def test_demo_content_has_kinds_parents_aliases_timeline_and_facts(client, monkeypatch):
    from io import StringIO

    from django.core.management import call_command

    from articles.tests.factories import image_file

    tiny = image_file(image_format="JPEG").read()
    monkeypatch.setattr(
        "demo.pictures.checked", lambda *settings: checked_picture(tiny)
    )
    call_command("load_demo", stdout=StringIO())
    aes = Topic.objects.get(slug="aes")
    assert aes.kind == "organisation"
    assert Topic.objects.get(slug="bamako").parent.slug == "mali"
    assert {"AES", "Alliance des États du Sahel"} <= {a.name for a in aes.aliases.all()}
    assert (
        Topic.objects.filter(name__iexact="Confederation of Sahel States").get() == aes
    )
    assert client.get("/topics/alliance-des-etats-du-sahel/").status_code == 301
    timeline = client.get("/topics/aes/timeline/").content.decode()
    assert "Liptako-Gourma Charter signed" in timeline
    page = client.get("/topics/aes/").content.decode()
    assert "Key facts" in page and "Mali, Burkina Faso, Niger" in page
    assert "Bamako" in client.get("/topics/mali/").content.decode()  # a child topic


def test_seed_corpus_fills_the_public_window_on_every_tagging_row():
    from io import StringIO

    from django.core.management import call_command

    call_command("seed_corpus", articles=300, tags=12, stdout=StringIO())
    for row in TaggedArticle.objects.select_related("content_object"):
        assert (row.live_from, row.live_until) == row.content_object.live_window()
    live = {row.content_object_id for row in TaggedArticle.live()}
    assert live == set(
        Article.objects.published()
        .filter(tagged_items__isnull=False)
        .values_list("pk", flat=True)
    )


def test_primary_topic_must_be_one_of_the_storys_topics(editor_client):
    from articles.tests.admin_forms import form_data

    story = ArticleFactory(draft=True, topics=["Mali", "Niger"])
    niger = Topic.objects.get(name="Niger")
    url = reverse("admin:articles_article_change", args=[story.pk])
    data = form_data(editor_client.get(url))
    data.update(tags="Niger", primary_topic=str(Topic.objects.get(name="Mali").pk))
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "Pick one of the story" in response.content.decode()
    data.update(primary_topic=str(niger.pk))
    assert editor_client.post(url, data).status_code == 302
    story.refresh_from_db()
    assert story.primary_topic == niger
    # Removing the primary topic from the story falls back to the first typed.
    data = form_data(editor_client.get(url))
    data.update(tags="Chad, Mali")
    assert editor_client.post(url, data).status_code == 302
    story.refresh_from_db()
    assert story.primary_topic.name == "Chad"


def test_topic_counts_are_counted_once_a_generation_even_with_no_shared_cache(
    settings, django_assert_max_num_queries
):
    from articles.topics import topic_stats

    # What a worker sees while Redis is away: every shared-cache read misses.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    }
    mali = ArticleFactory(topics=["Mali"]).tags.get()
    assert topic_stats()[1][mali.pk] == 1
    with django_assert_max_num_queries(1):  # the content generation, no recount
        assert topic_stats()[1][mali.pk] == 1
    ArticleFactory(topics=["Mali"])
    assert topic_stats() == (2, {mali.pk: 2})


def test_an_edit_that_changes_no_count_spares_the_recount(
    django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    """Statistics are kept by the last change to any count (the `topics-*` keys
    edge.changes records), not by every change: a corrected headline costs no
    recount; a publish does."""
    from articles.topics import topic_stats

    with django_capture_on_commit_callbacks(execute=True):
        story = ArticleFactory(topics=["Mali"])
    mali = story.tags.get()
    assert topic_stats() == (1, {mali.pk: 1})
    story = Article.objects.get(pk=story.pk)  # as the desk loads it
    with django_capture_on_commit_callbacks(execute=True):
        story.headline = "Corrected: a headline, not a count"
        services.save_story(story=story)
    # The content generation, and when the counts last changed: no recount.
    with django_assert_max_num_queries(2):
        assert topic_stats() == (1, {mali.pk: 1})
    with django_capture_on_commit_callbacks(execute=True):
        ArticleFactory(topics=["Mali"])
    assert topic_stats() == (2, {mali.pk: 2})
    with django_capture_on_commit_callbacks(execute=True):
        story.status = Article.Status.DRAFT
        services.save_story(story=story)
    assert topic_stats() == (1, {mali.pk: 1})
