"""The topic list's tools: merging topics (confirm, then fold each into the one kept)
and the topic-health page."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from articles import services, topics
from articles.models import TopicMerge


class TopicToolsMixin:
    """For TopicAdmin: the merge action and pages, and the health page."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("merge/", view(self.merge_view), name="articles_topic_merge"),
            path("health/", view(self.health_view), name="articles_topic_health"),
            *super().get_urls(),
        ]

    @admin.action(description="Merge selected topics…", permissions=["delete"])
    def merge_selected(self, request, queryset):
        ids = ",".join(str(pk) for pk in queryset.values_list("pk", flat=True))
        return HttpResponseRedirect(
            f"{reverse('admin:articles_topic_merge')}?ids={ids}"
        )

    def merge_view(self, request):
        """Confirm, then fold every selected topic into the one the editor keeps."""
        if not (
            self.has_change_permission(request) and self.has_delete_permission(request)
        ):
            raise PermissionDenied
        raw = request.POST.get("ids") or request.GET.get("ids") or ""
        ids = [int(part) for part in raw.split(",") if part.strip().isdigit()]
        chosen = list(self.get_queryset(request).filter(pk__in=ids))
        changelist = reverse("admin:articles_topic_changelist")
        if len(chosen) < 2:
            self.message_user(
                request, "Select at least two topics to merge.", messages.WARNING
            )
            return redirect(changelist)
        chosen.sort(key=lambda topic: (-topic.story_count, topic.name_key))
        target_id = request.POST.get("target") or request.GET.get("target")
        target = next((t for t in chosen if str(t.pk) == target_id), chosen[0])
        sources = [topic for topic in chosen if topic.pk != target.pk]
        if request.method == "POST" and "confirm" in request.POST:
            for source in sources:
                record = services.merge_topics(
                    source=source, target=target, user=request.user
                )
                self.message_user(
                    request,
                    f"Merged “{record.source_name}” into “{target.name}”: "
                    f"{record.stories_moved} stories moved, "
                    f"{record.stories_already_tagged} already had both.",
                    messages.SUCCESS,
                )
            return redirect(reverse("admin:articles_topic_change", args=[target.pk]))
        previews = [
            (source, services.merge_preview(source=source, target=target))
            for source in sources
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Merge topics into “{target.name}”",
            "chosen": chosen,
            "target": target,
            "previews": previews,
            "ids": ",".join(str(topic.pk) for topic in chosen),
            "recent_merges": TopicMerge.objects.select_related("merged_by")[:10],
        }
        return TemplateResponse(request, "admin/articles/topic/merge.html", context)

    def health_view(self, request):
        """Near-duplicates, topics used once, topics too common to help."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Topic health",
            "health": topics.topic_health(),
            "merge_url": reverse("admin:articles_topic_merge"),
        }
        return TemplateResponse(request, "admin/articles/topic/health.html", context)
