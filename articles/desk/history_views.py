"""A story's history on the desk: the list of versions, the comparison of two, the
confirmation page that restores one, and the recovery of deleted stories. Views
only: what a version holds and what a restore does is articles.history's."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from reversion.models import Version

from articles import history, policy


class StoryHistoryMixin:
    """For ArticleAdmin (a VersionAdmin): its history pages, listed before
    VersionAdmin among the bases so they replace reversion's own."""

    def get_urls(self):
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(self.compare_view),
                name=f"{info}_compare",
            ),
            path(
                "<path:object_id>/history/<int:version_id>/restore/",
                self.admin_site.admin_view(self.restore_view),
                name=f"{info}_restore",
            ),
        ] + super().get_urls()

    def _editable_version(self, request, object_id, version_id):
        """Restoring is an editor's act, on a story this desk member can reach."""
        if not policy.may_restore(request.user):
            raise PermissionDenied
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404("No such story.")
        version = get_object_or_404(Version.objects.get_for_object(obj), pk=version_id)
        return obj, version

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # Reversion's own "revert" form rolls every followed row back, notes
        # included; the confirmation page restores the content and says so.
        obj, version = self._editable_version(request, object_id, version_id)
        return redirect("admin:articles_article_restore", obj.pk, version.pk)

    def recover_view(self, request, version_id, extra_context=None):
        """Confirm, then bring a deleted story back whole (history.recover)."""
        if not policy.may_restore(request.user):
            raise PermissionDenied
        version = history.deleted_version(version_id)
        if version is None:
            # A second press of "Recover", or a colleague was quicker: say so.
            back = history.story_of_version(version_id)
            if back is None:
                raise Http404("No deleted story with that version.")
            self.message_user(
                request, f"“{back}” is not deleted (any more).", messages.INFO
            )
            return redirect("admin:articles_article_change", back.pk)
        if request.method == "POST":
            republish = bool(request.POST.get("republish"))
            try:
                story = history.recover(version, user=request.user, republish=republish)
            except history.NotRecoverableError as error:
                self.message_user(request, str(error), messages.WARNING)
                return redirect("admin:articles_article_changelist")
            self.message_user(
                request,
                f"Recovered “{story.headline}” with its topics, links, notes and "
                f"image; it is {story.get_state_display().lower()} now.",
                messages.SUCCESS,
            )
            return redirect("admin:articles_article_change", story.pk)
        plan = history.recovery_plan(version, user=request.user)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Recover “{plan.headline}”",
            "plan": plan,
        }
        return TemplateResponse(request, "admin/articles/article/recover.html", context)

    def recoverlist_view(self, request, extra_context=None):
        if not policy.may_restore(request.user):
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise Http404("No such story.")
        versions = list(
            Version.objects.get_for_object(obj)
            .select_related("revision__user")
            .order_by("-revision__date_created", "-pk")
        )
        comments = history.history_comments(
            [version.revision for version in versions], user=request.user
        )
        action_list = [
            {
                "revision": version.revision,
                "comment": comments[version.revision_id],
                "version_id": version.pk,
                "url": reverse(
                    "admin:articles_article_restore", args=[obj.pk, version.pk]
                ),
            }
            for version in versions
        ]
        context = {
            "action_list": action_list,
            "can_restore": policy.may_restore(request.user),
            **(extra_context or {}),
        }
        # Skip reversion's own list: ours carries version ids for comparing.
        return admin.ModelAdmin.history_view(self, request, object_id, context)

    def compare_view(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise Http404("No such story.")
        versions = Version.objects.get_for_object(obj).select_related("revision__user")
        try:
            old = versions.get(pk=int(request.GET.get("from", "")))
            new = versions.get(pk=int(request.GET.get("to", "")))
        except (ValueError, Version.DoesNotExist):
            raise Http404("Choose two versions of this story.") from None
        if old.revision.date_created > new.revision.date_created:
            old, new = new, old
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "title": f"Changes to “{obj}”",
            "old": old,
            "new": new,
            "rows": history.compare(old, new, user=request.user),
            "can_restore": policy.may_restore(request.user),
        }
        return TemplateResponse(request, "admin/articles/article/compare.html", context)

    def restore_view(self, request, object_id, version_id):
        """GET: what restoring this version would change. POST: restore it."""
        obj, version = self._editable_version(request, object_id, version_id)
        then = history.when(version.revision.date_created)
        if request.method == "POST":
            try:
                history.restore(
                    obj,
                    version,
                    user=request.user,
                    state=bool(request.POST.get("restore_state")),
                    address=bool(request.POST.get("restore_address")),
                    opened=request.POST.get("opened_version", ""),
                )
            except history.StaleError as error:
                self.message_user(
                    request,
                    f"{error}, after you opened this page; nothing was restored. "
                    "Here is what a restore would change now.",
                    messages.WARNING,
                )
                obj = self.get_object(request, unquote(object_id)) or obj
            else:
                self.message_user(
                    request,
                    f"Restored the content of the version of {then}.",
                    messages.SUCCESS,
                )
                return redirect("admin:articles_article_change", obj.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "title": f"Restore the version of {then}?",
            "plan": history.restore_plan(obj, version, user=request.user),
        }
        return TemplateResponse(request, "admin/articles/article/restore.html", context)
