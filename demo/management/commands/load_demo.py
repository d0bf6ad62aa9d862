from datetime import date, datetime

import reversion
from django.core.management.base import BaseCommand
from django.db import transaction
from reversion.models import Version

from articles import edge_keys, richtext, services
from articles.models import (
    Article,
    Author,
    RelatedStory,
    SlugRedirect,
    StoryNote,
    Topic,
    TopicAlias,
    TopicEvent,
    TopicFact,
)
from demo import content, content_fr
from demo.desk import hand_over_desk_stories
from demo.pictures import lead_image_upload
from pagecache import generation


class Command(BaseCommand):
    help = (
        "Load the AES demo newsroom: authors, topics, stories with lead images and "
        "curated links. Running it again leaves what is already there untouched."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            # One revision for the English load: every demo story starts with a
            # version.
            with reversion.create_revision():
                reversion.set_comment("Loaded by load_demo.")
                authors = self.load_authors()
                topics_created = self.load_topics()
                stories, created = self.load_stories(authors)
                links = self.load_related(stories, created)
                featured = self.load_featured(stories)
                profiled = self.load_topic_profiles(stories)
                body_links = self.load_body_links(stories, created)
                notes = self.load_notes(stories)
                desk = self.load_desk_stories(authors)
                handed = hand_over_desk_stories()
            # The French stories in the next: a translation records the saved
            # version of its source, which exists once the revision above is closed.
            with reversion.create_revision():
                reversion.set_comment("Loaded by load_demo.")
                french, french_created = self.load_french_stories(authors, stories)
                self.load_related(
                    {**stories, **french}, french_created, content_fr.STORIES
                )
            # And one English source revised since (a revision of its own).
            stale = self.revise_stale_source(stories, french, french_created)
            generation.bump()  # load_featured writes with update(), which sends no signal
            edge_keys.everything(reason="demo loaded")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content: {len(created)} stories created, "
                f"{len(stories) - len(created)} already present; {topics_created} topics, "
                f"{links} curated links, {featured} featured stories, {body_links} "
                f"in-body links and {notes} notes added; {profiled} aliases, key "
                "events and facts added."
            )
        )
        translations = sum(
            1
            for data in content_fr.STORIES
            if data["slug"] in french_created and "translation_of" in data
        )
        self.stdout.write(
            f"French: {len(french_created)} stories created ({translations} "
            f"translations), {len(french) - len(french_created)} already present; "
            f"{stale} English source revised since its translation."
        )
        self.stdout.write(
            f"Desk: {desk} unpublished stories created, {handed} handed to the demo "
            "reporter (run create_demo_editor to make the account)."
        )

    def load_authors(self):
        authors = {}
        for data in content.AUTHORS:
            author, _ = Author.objects.get_or_create(
                slug=data["slug"], defaults={"name": data["name"], "bio": data["bio"]}
            )
            authors[data["slug"]] = author
        return authors

    def load_topics(self):
        created = 0
        for data in [*content.TOPICS, *content.EXTRA_TOPICS]:
            if Topic.objects.filter(name__iexact=data["name"]).exists():
                continue
            Topic.objects.create(
                name=data["name"], slug=data["slug"], description=data["description"]
            )
            created += 1
        return created

    def load_stories(self, authors):
        """Create the stories that are not there yet, keyed by their original slug."""
        stories, created = {}, set()
        total = len(content.STORIES)
        for number, data in enumerate(content.STORIES, start=1):
            existing = self.existing(data["slug"])
            if existing:
                stories[data["slug"]] = existing
                continue
            article = self.build_story(data, content.SOURCES)
            self.save_new_story(article, data, authors)
            stories[data["slug"]] = article
            created.add(data["slug"])
            self.stdout.write(f"  [{number}/{total}] {article.headline}")
        return stories, created

    def load_french_stories(self, authors, stories):
        """The French stories not there yet: translations linked to their English
        source and to the version of it they were made from, keyed by slug."""
        french, created = {}, set()
        for data in content_fr.STORIES:
            existing = self.existing(data["slug"])
            if existing:
                french[data["slug"]] = existing
                continue
            article = self.build_story(data, content_fr.SOURCES, language="fr")
            source = stories.get(data.get("translation_of"))
            if source is not None:
                article.translation_of = source
                article.source_version = latest_version(source)
                if not data["image"].get("motif") and source.lead_image:
                    # The source's picture, already stored with its renditions.
                    article.lead_image = source.lead_image.name
                    article.lead_image_width = source.lead_image_width
                    article.lead_image_height = source.lead_image_height
                    article.lead_image_renditions = source.lead_image_renditions
                if data.get("correction_pending"):
                    article.correction_pending = (
                        source.notes.filter(
                            kind__in=[
                                StoryNote.Kind.CORRECTION,
                                StoryNote.Kind.RETRACTION,
                            ]
                        )
                        .order_by("-created_at", "-id")
                        .first()
                    )
            self.save_new_story(article, data, authors)
            french[data["slug"]] = article
            created.add(data["slug"])
            self.stdout.write(f"  [fr] {article.headline}")
        return french, created

    def revise_stale_source(self, stories, french, created):
        """Revise the English source of the stale translation, in a revision of
        its own after the translation's, when that translation is new: the desk
        then shows "source changed since". Returns how many were revised."""
        revision = content_fr.STALE_SOURCE_REVISION
        source = stories[revision["story"]]
        translation = next(
            (
                french[data["slug"]]
                for data in content_fr.STORIES
                if data.get("stale") and data["slug"] in created
            ),
            None,
        )
        if translation is None or translation.translation_of_id != source.pk:
            return 0
        if revision["added"] in source.body or revision["after"] not in source.body:
            return 0
        with reversion.create_revision():
            reversion.set_comment(revision["comment"])
            source.body = source.body.replace(
                revision["after"], revision["after"] + revision["added"], 1
            )
            services.save_story(story=source)
        return 1

    @staticmethod
    def existing(slug):
        """The demo story first loaded under `slug`, wherever it lives now."""
        return Article.objects.filter(slug=slug).first() or next(
            (r.article for r in SlugRedirect.objects.filter(old_slug=slug)), None
        )

    @staticmethod
    def build_story(data, sources, **fields):
        slug = data["slug"]
        article = Article(
            headline=data["headline"],
            slug=slug,
            dek=data["dek"],
            body=data["body"],
            status=Article.Status.PUBLISHED,
            published_at=datetime.fromisoformat(data["published_at"]),
            sources="\n".join(sources[key] for key in data["sources"]),
            **fields,
        )
        image = data.get("image")
        if image:
            article.lead_image_alt = image["alt"]
            article.lead_image_caption = image["caption"]
            article.lead_image_credit = image["credit"]
        if image and image.get("motif"):
            # Saved as an upload: checked, stored under its content-hashed name, sized.
            article.lead_image = lead_image_upload(image, name=f"{slug}.jpg")
        return article

    @staticmethod
    def save_new_story(article, data, authors):
        services.save_story(story=article)
        article.authors.set([authors[key] for key in data["authors"]])
        # A translation has its source's places too.
        places = content.EXTRA_STORY_TOPICS.get(
            data.get("translation_of", data["slug"]), []
        )
        names = [*data["topics"], *places]
        article.tags.set([Topic.objects.get(name__iexact=name) for name in names])
        article.primary_topic = Topic.objects.get(name__iexact=data["topics"][0])
        services.save_story(story=article, update_fields=["primary_topic"])

    def load_related(self, stories, created, data_list=content.STORIES):
        links = 0
        for data in data_list:
            if data["slug"] not in created:
                continue
            for position, target in enumerate(data.get("related", [])):
                RelatedStory.objects.create(
                    article=stories[data["slug"]],
                    story=stories[target],
                    position=position,
                )
                links += 1
        return links

    def load_featured(self, stories):
        featured = 0
        for data in content.TOPICS:
            slug = data.get("featured")
            if not slug or slug not in stories:
                continue
            featured += Topic.objects.filter(
                name__iexact=data["name"], featured_article__isnull=True
            ).update(featured_article=stories[slug])
        return featured

    def load_topic_profiles(self, stories):
        """Kinds, parents and French names where still unset; aliases, the
        timelines and fact boxes where missing. Editors' changes stay."""
        added = 0
        topics = {topic.slug: topic for topic in Topic.objects.all()}
        for slug, profile in content.TOPIC_PROFILES.items():
            topic = topics.get(slug)
            if topic is None:
                continue
            changed = []
            if topic.kind == Topic.Kind.THEME and profile["kind"] != topic.kind:
                topic.kind, changed = profile["kind"], [*changed, "kind"]
            parent = topics.get(profile.get("parent"))
            if parent and topic.parent_id is None:
                topic.parent, changed = parent, [*changed, "parent"]
            if profile.get("name_fr") and not topic.name_fr:
                topic.name_fr, changed = profile["name_fr"], [*changed, "name_fr"]
            if changed:
                topic.save(update_fields=changed)
            for name, language in profile.get("aliases", []):
                if not Topic.objects.filter(name__iexact=name).exists():
                    TopicAlias.objects.create(topic=topic, name=name, language=language)
                    added += 1
        for slug, events in content.TIMELINES.items():
            topic = topics.get(slug)
            if topic is None or topic.events.exists():
                continue
            for day, text, story in events:
                TopicEvent.objects.create(
                    topic=topic, date=date.fromisoformat(day), text=text,
                    story=stories.get(story),
                )  # fmt: skip
                added += 1
        for slug, facts in content.FACT_BOXES.items():
            topic = topics.get(slug)
            if topic is None or topic.facts.exists():
                continue
            for position, (label, value, as_of, source) in enumerate(facts):
                TopicFact.objects.create(
                    topic=topic, label=label, value=value, position=position,
                    as_of=date.fromisoformat(as_of), source=content.SOURCES[source],
                )  # fmt: skip
                added += 1
        return added

    def load_body_links(self, stories, created):
        """Link words of new demo stories to other stories, by identity."""
        linked = 0
        for slug, words, target in content.BODY_LINKS:
            story = stories[slug]
            if slug not in created or words not in story.body:
                continue
            href = richtext.story_href(stories[target].pk)
            story.body = story.body.replace(words, f'<a href="{href}">{words}</a>', 1)
            services.save_story(story=story)
            linked += 1
        return linked

    def load_desk_stories(self, authors):
        """The unpublished stories of the demo reporter's desk, where missing."""
        created = 0
        for data in content.DESK_STORIES:
            slug = data["slug"]
            if (
                Article.objects.filter(slug=slug).exists()
                or SlugRedirect.objects.filter(old_slug=slug).exists()
            ):
                continue
            article = services.save_story(
                story=Article(
                    headline=data["headline"],
                    slug=slug,
                    dek=data["dek"],
                    body=data["body"],
                    status=data["status"],
                )
            )
            article.authors.set([authors[key] for key in data["authors"]])
            topics = [Topic.objects.get(name__iexact=name) for name in data["topics"]]
            article.tags.set(topics)
            article.primary_topic = topics[0]
            services.save_story(story=article, update_fields=["primary_topic"])
            created += 1
        return created

    def load_notes(self, stories):
        added = 0
        for data in content.NOTES:
            _, made = StoryNote.objects.get_or_create(
                article=stories[data["story"]],
                kind=data["kind"],
                text=data["text"],
                defaults={"created_at": datetime.fromisoformat(data["created_at"])},
            )
            added += made
        return added


def latest_version(story):
    """The id of the newest saved version of `story` (django-reversion)."""
    return (
        Version.objects.get_for_object(story)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
