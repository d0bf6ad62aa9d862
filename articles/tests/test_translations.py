"""Translations: making one, its freshness, corrections crossing languages, and the
desk's and readers' view of them (articles/translations.py, desk/translation_views)."""

from unittest import mock

import pytest
import reversion
from django.db import IntegrityError
from django.urls import reverse
from reversion.models import Version

from articles import history, services, translations
from articles.models import Article, StoryNote
from articles.tests.admin_forms import CHANGELIST, add_inline, change_url, form_data
from articles.tests.factories import (
    ArticleFactory,
    AuthorFactory,
    StoryNoteFactory,
)

pytestmark = pytest.mark.django_db


def translate_url(story, language):
    return reverse("admin:articles_article_translate", args=[story.pk, language])


def up_to_date_url(story):
    return reverse("admin:articles_article_up_to_date", args=[story.pk])


def save_with_version(story, **changes):
    """Save `story` as the desk does: a new version recorded."""
    for name, value in changes.items():
        setattr(story, name, value)
    with reversion.create_revision():
        services.save_story(story=story)
        reversion.add_to_revision(story)
    return story


def translated(source, user, language="fr", **changes):
    draft = translations.translate_story(story=source, language=language, user=user)
    for name, value in changes.items():
        setattr(draft, name, value)
    if changes:
        services.save_story(story=draft)
    return draft


@pytest.fixture
def source():
    story = ArticleFactory(
        headline="Juntas sign a charter",
        slug="juntas-sign-a-charter",
        body="<p>The three juntas signed the charter in Bamako on Saturday.</p>",
        sources="AES communiqué",
        lead_image_alt="The signing",
        lead_image_caption="In Bamako",
        lead_image_credit="Staff",
        topics=["Mali", "AES"],
        authors=[AuthorFactory(slug="amina", name="Amina")],
    )
    return story


# -- making a translation ----------------------------------------------------------


class TestTranslateStory:
    def test_a_linked_prefilled_draft_owned_by_whoever_asked(self, source, editor):
        draft = translations.translate_story(story=source, language="fr", user=editor)
        draft.refresh_from_db()
        assert draft.language == "fr"
        assert draft.translation_of == source
        assert draft.status == Article.Status.DRAFT and draft.published_at is None
        assert draft.created_by == editor
        assert draft.headline == source.headline
        assert draft.body == source.body
        assert draft.sources == "AES communiqué"
        assert (draft.lead_image_alt, draft.lead_image_caption) == (
            "The signing",
            "In Bamako",
        )
        assert draft.lead_image_credit == "Staff"
        assert {t.name for t in draft.tags.all()} == {"Mali", "AES"}
        assert [a.name for a in draft.authors.all()] == ["Amina"]
        assert draft.slug == "juntas-sign-a-charter-fr"
        assert not draft.is_published()

    def test_records_the_source_version_making_one_if_none(self, source, editor):
        assert not Version.objects.get_for_object(source).exists()
        draft = translated(source, editor)
        version = Version.objects.get_for_object(source).get()
        assert draft.source_version == version.pk
        # The draft has its own first version, saying where it came from.
        assert "translation (fr) of" in (
            Version.objects.get_for_object(draft).get().revision.comment
        )

    def test_uses_the_latest_version_when_there_is_one(self, source, editor):
        save_with_version(source, dek="One")
        save_with_version(source, dek="Two")
        latest = Version.objects.get_for_object(source).order_by("-pk").first()
        assert translated(source, editor).source_version == latest.pk

    def test_translating_a_translation_links_to_the_source(
        self, source, editor, settings
    ):
        settings.LANGUAGES = [("en", "English"), ("fr", "French"), ("es", "Spanish")]
        french = translated(source, editor, headline="Les juntes signent")
        spanish = translations.translate_story(story=french, language="es", user=editor)
        assert spanish.translation_of == source
        assert spanish.headline == "Les juntes signent"  # from the one asked
        assert translations.missing_languages(source) == []

    def test_refuses_a_language_the_group_has(self, source, editor):
        translated(source, editor)
        with pytest.raises(ValueError):
            translations.translate_story(story=source, language="fr", user=editor)
        with pytest.raises(ValueError):
            translations.translate_story(story=source, language="en", user=editor)
        with pytest.raises(ValueError):
            translations.translate_story(story=source, language="xx", user=editor)

    def test_slug_never_clashes(self, source, editor):
        ArticleFactory(slug="juntas-sign-a-charter-fr")
        assert translated(source, editor).slug == "juntas-sign-a-charter-fr-2"


# -- freshness ---------------------------------------------------------------------


class TestFreshness:
    def test_up_to_date_then_stale_by_the_words_changed(self, source, editor):
        draft = translated(source, editor)
        state = translations.freshness(draft, user=editor)
        assert state.up_to_date and state.compare_url is None
        save_with_version(
            source,
            body="<p>The three juntas signed the new charter in Niamey on Saturday.</p>",
        )
        state = translations.freshness(draft, user=editor)
        assert not state.up_to_date
        # "Bamako" out, "new" and "Niamey" in.
        assert state.words == 3
        latest = Version.objects.get_for_object(source).order_by("-pk").first()
        assert state.compare_url == (
            f"{reverse('admin:articles_article_compare', args=[source.pk])}"
            f"?from={draft.source_version}&to={latest.pk}"
        )

    def test_mark_up_to_date_follows_the_latest_version(self, source, editor):
        draft = translated(source, editor)
        save_with_version(source, dek="A new standfirst entirely")
        translations.mark_up_to_date(translation=draft, user=editor)
        draft.refresh_from_db()
        latest = Version.objects.get_for_object(source).order_by("-pk").first()
        assert draft.source_version == latest.pk
        assert translations.freshness(draft, user=editor).up_to_date

    def test_the_list_annotation_agrees_in_sql(self, source, editor):
        draft = translated(source, editor)
        other = translated(ArticleFactory(), editor)
        save_with_version(source, dek="Changed")
        stories = translations.with_freshness(Article.objects.all())
        assert set(stories.filter(translations.stale_q())) == {draft}
        assert translations.is_stale(stories.get(pk=draft.pk))
        assert not translations.is_stale(stories.get(pk=other.pk))
        assert not translations.is_stale(stories.get(pk=source.pk))

    def test_words_come_from_the_history_comparison(self, source, editor):
        save_with_version(source)
        then = Version.objects.get_for_object(source).first()
        source.headline = "Juntas sign a defence charter"
        assert (
            history.content_words_changed(
                then, history.snapshot_now(source), user=editor
            )
            == 1
        )


# -- corrections across languages --------------------------------------------------


class TestCorrectionsCrossLanguages:
    def test_a_correction_flags_the_published_translations(self, source, editor):
        french = translated(source, editor, status="published")
        draft_es = ArticleFactory(draft=True, translation_of=source, language="es")
        note = translations.add_note(
            story=source, kind=StoryNote.Kind.CORRECTION, text="Bamako, not Niamey."
        )
        french.refresh_from_db()
        draft_es.refresh_from_db()
        assert french.correction_pending == note
        assert draft_es.correction_pending is None
        source.refresh_from_db()
        assert source.correction_pending is None

    def test_a_correction_on_the_translation_flags_the_source(self, source, editor):
        french = translated(source, editor, status="published")
        note = translations.add_note(
            story=french, kind=StoryNote.Kind.RETRACTION, text="Retirée."
        )
        source.refresh_from_db()
        assert source.correction_pending == note

    def test_an_update_flags_nothing(self, source, editor):
        french = translated(source, editor, status="published")
        translations.add_note(story=source, kind=StoryNote.Kind.UPDATE, text="More.")
        french.refresh_from_db()
        assert french.correction_pending is None

    def test_the_matching_note_clears_the_flag_and_flags_nobody(self, source, editor):
        french = translated(source, editor, status="published")
        translations.add_note(story=source, kind="correction", text="Fixed.")
        translations.add_note(story=french, kind="correction", text="Corrigé.")
        french.refresh_from_db()
        source.refresh_from_db()
        assert french.correction_pending is None
        assert source.correction_pending is None

    def test_note_and_flag_are_one_transaction(self, source, editor):
        french = translated(source, editor, status="published")
        with (
            mock.patch.object(
                translations, "group", side_effect=IntegrityError("flag failed")
            ),
            pytest.raises(IntegrityError),
        ):
            translations.add_note(story=source, kind="correction", text="Fixed.")
        assert not StoryNote.objects.exists()
        french.refresh_from_db()
        assert french.correction_pending is None

    def test_the_flag_is_set_before_the_transaction_ends(self, source, editor):
        from django.db import transaction

        french = translated(source, editor, status="published")
        with transaction.atomic():
            note = translations.add_note(story=source, kind="correction", text="F.")
            # Inside the same transaction, no on_commit: the flag is there already.
            assert Article.objects.get(pk=french.pk).correction_pending_id == note.pk


# -- restoring leaves the bookkeeping alone -----------------------------------------


def test_restoring_an_old_version_keeps_language_and_links(source, editor):
    french = translated(source, editor, status="published")
    save_with_version(french, headline="Les juntes signent une charte")
    old = Version.objects.get_for_object(french).order_by("pk").first()
    note = translations.add_note(story=source, kind="correction", text="Fixed.")
    save_with_version(source, dek="changed")
    french.refresh_from_db()
    before = (
        french.language,
        french.translation_of_id,
        french.source_version,
        french.correction_pending_id,
    )
    assert before[3] == note.pk
    Article.objects.filter(pk=french.pk).update(source_version=old.pk + 1000)
    history.restore(french, old, user=editor, state=True, address=True)
    french.refresh_from_db()
    assert french.headline == source.headline  # the content came back
    assert (
        french.language,
        french.translation_of_id,
        french.source_version,
        french.correction_pending_id,
    ) == (*before[:2], old.pk + 1000, note.pk)


# -- the desk ----------------------------------------------------------------------


class TestDesk:
    def test_new_story_form_offers_the_languages(self, editor_client):
        page = editor_client.get(reverse("admin:articles_article_add"))
        content = page.content.decode()
        assert 'name="language"' in content
        assert '<option value="fr">' in content

    def test_editor_translates_by_post_only(self, editor_client, editor, source):
        page = editor_client.get(change_url(source)).content.decode()
        assert f'formaction="{translate_url(source, "fr")}"' in page
        assert editor_client.get(translate_url(source, "fr")).status_code == 405
        response = editor_client.post(translate_url(source, "fr"))
        draft = Article.objects.get(translation_of=source)
        assert response.status_code == 302
        assert response.url == change_url(draft)
        assert draft.created_by == editor
        page = editor_client.get(change_url(draft)).content.decode()
        assert "Translation of" in page and "Up to date" in page
        # The group has both languages now: no more "Translate into".
        assert (
            "Translate into"
            not in editor_client.get(change_url(source)).content.decode()
        )

    def test_reporter_translates_a_live_story_but_not_a_hidden_one(
        self, reporter_client, reporter, source
    ):
        response = reporter_client.post(translate_url(source, "fr"))
        draft = Article.objects.get(translation_of=source)
        assert response.url == change_url(draft)
        assert draft.created_by == reporter
        hidden = ArticleFactory(draft=True, headline="Secret draft")
        assert reporter_client.post(translate_url(hidden, "fr")).status_code == 404
        assert not Article.objects.filter(translation_of=hidden).exists()
        # The reporter's translation goes through review like any story.
        form = form_data(reporter_client.get(change_url(draft)))
        form["status"] = "published"
        reporter_client.post(change_url(draft), form)
        draft.refresh_from_db()
        assert draft.status != Article.Status.PUBLISHED

    def test_stale_panel_compare_link_and_mark_up_to_date(
        self, editor_client, editor, source
    ):
        draft = translated(source, editor)
        # "short standfirst." out; "brand new standfirst" in.
        save_with_version(source, dek="A brand new standfirst")
        page = editor_client.get(change_url(draft)).content.decode()
        assert "Source changed since: 5 words" in page
        state = translations.freshness(draft, user=editor)
        assert state.compare_url.replace("&", "&amp;") in page
        assert editor_client.get(state.compare_url).status_code == 200
        source_page = editor_client.get(change_url(source)).content.decode()
        assert "source changed since: 5 words" in source_page
        assert editor_client.get(up_to_date_url(draft)).status_code == 405
        editor_client.post(up_to_date_url(draft))
        assert "Up to date" in editor_client.get(change_url(draft)).content.decode()

    def test_a_save_that_changes_no_word_says_so(self, editor_client, editor, source):
        draft = translated(source, editor)
        save_with_version(source)  # saved again, no word changed
        page = editor_client.get(change_url(draft)).content.decode()
        assert "Source saved since; none of its words changed" in page
        save_with_version(source, dek="A long standfirst.")
        page = editor_client.get(change_url(draft)).content.decode()
        assert "Source changed since: 2 words" in page

    def test_reporter_may_not_mark_someone_elses_translation(
        self, reporter_client, editor, source
    ):
        draft = translated(source, editor)
        save_with_version(source, dek="Changed")
        before = draft.source_version
        assert reporter_client.post(up_to_date_url(draft)).status_code in {403, 404}
        draft.refresh_from_db()
        assert draft.source_version == before

    def test_list_filters_language_staleness_and_pending(
        self, editor_client, editor, source, django_assert_max_num_queries
    ):
        french = translated(source, editor, status="published", headline="Les juntes")
        fresh = translated(
            ArticleFactory(headline="Other one"), editor, headline="Autre"
        )
        save_with_version(source, dek="Changed")
        translations.add_note(story=source, kind="correction", text="Fixed.")

        def listed(query):
            response = editor_client.get(f"{CHANGELIST}?{query}")
            return {story.pk for story in response.context["cl"].result_list}

        assert listed("language=fr") == {french.pk, fresh.pk}
        assert listed("translation=stale") == {french.pk}
        assert listed("translation=fresh") == {fresh.pk}
        assert listed("correction_pending=yes") == {french.pk}
        page = editor_client.get(CHANGELIST).content.decode()
        assert "stale, correction pending" in page

    def test_list_queries_stay_constant(self, editor_client, editor, source):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        translated(source, editor)

        def count():
            with CaptureQueriesContext(connection) as queries:
                editor_client.get(CHANGELIST)
            return len(queries)

        count()  # warm: the session, the content type cache
        few = count()
        for _ in range(3):
            translated(ArticleFactory(), editor)
        save_with_version(source, dek="Changed")
        assert count() == few

    def test_a_correction_through_the_desk_inline_flags_and_clears(
        self, editor_client, editor, source, client
    ):
        french = translated(source, editor, status="published", headline="Les juntes")
        form = form_data(editor_client.get(change_url(source)))
        add_inline(
            form, "notes", kind="correction", text="Bamako, not Niamey.",
            created_at_0="2026-01-02", created_at_1="10:00",
        )  # fmt: skip
        assert editor_client.post(change_url(source), form).status_code == 302
        note = StoryNote.objects.get(article=source)
        french.refresh_from_db()
        assert french.correction_pending == note
        page = editor_client.get(change_url(french)).content.decode()
        assert "Correction pending:" in page
        # Readers of the translation are told, with a link to the note.
        public = client.get(french.get_absolute_url()).content.decode()
        assert f'href="{source.get_absolute_url()}#note-{note.pk}"' in public
        assert (
            f'id="note-{note.pk}"'
            in client.get(source.get_absolute_url()).content.decode()
        )
        # The matching note on the translation clears it.
        form = form_data(editor_client.get(change_url(french)))
        add_inline(
            form, "notes", kind="correction", text="Bamako, pas Niamey.",
            created_at_0="2026-01-02", created_at_1="11:00",
        )  # fmt: skip
        assert editor_client.post(change_url(french), form).status_code == 302
        french.refresh_from_db()
        assert french.correction_pending is None
        source.refresh_from_db()
        assert source.correction_pending is None
        public = client.get(french.get_absolute_url()).content.decode()
        assert "article__correction-pending" not in public


def test_article_page_queries_stay_constant_with_a_pending_note(
    client, editor, source, django_assert_num_queries, settings
):
    settings.PREPARED_PAGE_SECONDS = 0  # what rendering costs (prepared/: 2)
    french = translated(source, editor, status="published", headline="Les juntes")
    plain = ArticleFactory(topics=["Mali", "AES"])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(story):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(story.get_absolute_url()).status_code == 200
        return len(queries)

    from pagecache.generation import bump

    count(french)  # topic statistics counted, as for any page after a publish
    bump()  # a change elsewhere: what a page costs on the next generation
    before = count(french)
    translations.add_note(story=source, kind="correction", text="Fixed.")
    assert count(french) == before
    assert count(plain) <= before


def test_unpublished_translation_never_reaches_readers(client, editor, source):
    draft = translated(source, editor)
    assert client.get(draft.get_absolute_url()).status_code == 404
    StoryNoteFactory(article=source)
    assert draft.slug not in client.get("/").content.decode()


def test_reporter_never_reads_a_hidden_translation_on_the_desk(
    reporter_client, reporter, editor
):
    own = ArticleFactory(headline="Reporter's own live story", created_by=reporter)
    translated(own, editor, headline="Brouillon secret de la rédaction")
    page = reporter_client.get(change_url(own)).content.decode()
    assert "Brouillon secret" not in page
    assert "No translations yet." in page
    # Nor in the list, whatever the filter.
    for query in ["language=fr", "translation=fresh", "translation=stale"]:
        listed = reporter_client.get(f"{CHANGELIST}?{query}").content.decode()
        assert "Brouillon secret" not in listed
