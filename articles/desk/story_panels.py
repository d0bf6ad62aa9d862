"""The story list's columns and the story form's read-only panels: in-body links
out and in, the automatic related list, the lead-image preview, old addresses.
A panel names other stories only as far as the desk member may read them."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from articles import policy, related
from articles.models import Article


class StoryPanelsMixin:
    """For ArticleAdmin: its columns and read-only fields."""

    def warn_about_links(self, request, obj):
        obj.desk_viewer = request.user
        broken = [label for _, label, ok in self.story_link_rows(obj) if not ok]
        if not broken:
            return
        warning = (
            "This story links to stories readers cannot see yet; those links show "
            "as plain text until they are published: " + "; ".join(broken)
        )
        # "Save and continue" warns on saving, then opens the form again: once.
        if any(str(m) == warning for m in messages.get_messages(request)):
            return
        self.message_user(request, warning, messages.WARNING)

    @staticmethod
    def visible_stories(obj):
        """The stories the desk member looking at `obj` may read about."""
        viewer = getattr(obj, "desk_viewer", None)
        if viewer is None:
            return Article.objects.none()
        return policy.readable_stories(viewer)

    def story_link_rows(self, obj):
        """(url, label, is_public) for each story `obj` links to in its body.

        A story the viewer may not read is named by its number alone, whether it
        exists or not: its headline and state are not theirs to learn.
        """
        if obj is None or obj.pk is None:
            return []
        ids = list(obj.links_out.values_list("target_id", flat=True))
        targets = self.visible_stories(obj).in_bulk(ids)
        can_see_all = getattr(obj, "desk_viewer", None) is not None and (
            policy.sees_every_story(obj.desk_viewer)
        )
        rows = []
        for pk in sorted(ids):
            target = targets.get(pk)
            if target is None:
                why = "deleted" if can_see_all else "not public"
                rows.append(("", f"story #{pk} ({why})", False))
                continue
            url = reverse("admin:articles_article_change", args=[pk])
            state = target.state
            label = f"{target.headline} ({target.get_state_display().lower()})"
            rows.append((url, label, state == "published"))
        return rows

    @admin.display(description="links to")
    def links_to(self, obj):
        rows = self.story_link_rows(obj)
        if not rows:
            return "No in-body links to other stories."
        return format_html(
            "<ul class='story-links'>{}</ul>",
            format_html_join(
                "",
                "<li class='{}'>{}</li>",
                (
                    (
                        "" if ok else "story-links__warning",
                        format_html("<a href='{}'>{}</a>", url, label)
                        if url
                        else label,
                    )
                    for url, label, ok in rows
                ),
            ),
        )

    @admin.display(description="linked from")
    def linked_from(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        sources = (
            self.visible_stories(obj).filter(links_out__target=obj).order_by("headline")
        )
        if not sources:
            return "No story links here yet."
        return format_html(
            "<ul class='story-links'>{}</ul>",
            format_html_join(
                "",
                "<li><a href='{}'>{}</a> ({})</li>",
                (
                    (
                        reverse("admin:articles_article_change", args=[source.pk]),
                        source.headline,
                        source.get_state_display().lower(),
                    )
                    for source in sources
                ),
            ),
        )

    @admin.display(description="automatic list (after the curated picks)")
    def automatic_related(self, obj):
        if obj is None or obj.pk is None:
            return "Save the story with its topics to see the list readers will get."
        stories = related.automatic_stories(obj)
        if not stories:
            return "None yet: no live story shares a topic within the age limit."
        return format_html(
            "<ol>{}</ol>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a> ({}) <small>Shares: {}</small></li>',
                (
                    (
                        reverse("admin:articles_article_change", args=[story.pk]),
                        story.headline,
                        story.published_at.strftime("%d %b %Y"),
                        ", ".join(topic.name for topic in story.shared_topics),
                    )
                    for story in stories
                ),
            ),
        )

    @admin.display(description="state", ordering="status")
    def state_label(self, obj):
        return format_html(
            '<span class="state state--{}">{}</span>',
            obj.state,
            obj.get_state_display(),
        )

    @admin.display(description="topics")
    def topic_list(self, obj):
        return ", ".join(topic.name for topic in sorted(obj.tags.all()))

    @admin.display(description="byline")
    def byline(self, obj):
        return ", ".join(author.name for author in obj.authors.all())

    @admin.display(description="started by", ordering="created_by__username")
    def owner(self, obj):
        return obj.created_by.get_username() if obj.created_by else "—"

    @admin.display(description="preview")
    def lead_image_preview(self, obj):
        if not obj.lead_image:
            return "No image yet."
        return format_html(
            '<img src="{}" alt="{}" style="max-width:320px;height:auto">',
            obj.lead_image.url,
            obj.lead_image_alt,
        )

    @admin.display(description="old addresses (redirect here)")
    def old_addresses(self, obj):
        slugs = [redirect.old_slug for redirect in obj.old_slugs.all()]
        return ", ".join(slugs) or "None"
