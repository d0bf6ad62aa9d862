"""The desk's two roles, declared once: what Reporters and Editors may do.

Every `migrate` brings the two groups in line with this declaration (a
post-migrate hook, `ArticlesConfig.ready`), so a model added later reaches the
roles with the migration that creates it, not with a data migration someone has
to remember. Permissions given to a group by hand beyond these are left alone.
"""

from django.contrib.auth.management import create_permissions

EDITORS = "Editors"
REPORTERS = "Reporters"
PUBLISH = "publish_article"


def _crud(*models, actions=("add", "change", "delete", "view")):
    return {f"{action}_{model}" for model in models for action in actions}


# Editors run the desk: every story, topic and byline, the topic tools, notes.
EDITOR_PERMISSIONS = (
    _crud(
        "article",
        "author",
        "topic",
        "topicalias",
        "topicfact",
        "topicevent",
        "relatedstory",
        "relatedexclusion",
        "slugredirect",
        "taggedarticle",
        "storynote",
    )
    | _crud("topicmerge", "topicredirect", "storylink", actions=("view",))
    | {PUBLISH}
)

# Reporters write their own stories and submit them; they never publish.
REPORTER_PERMISSIONS = {
    "add_article",
    "change_article",
    "view_article",
    "view_author",
    "view_topic",
} | _crud("relatedstory", "relatedexclusion", "taggedarticle")

ROLES = {EDITORS: EDITOR_PERMISSIONS, REPORTERS: REPORTER_PERMISSIONS}
# Permissions of other apps, by app: editors read the edge's purge log.
OTHER_APPS = {EDITORS: {"edge": {"view_purge", "view_purgecall"}}}


def sync_roles(using="default", **kwargs):
    """Create the two groups if needed and give each its declared permissions."""
    from django.apps import apps
    from django.contrib.auth.models import Group, Permission

    # Permissions are made after migrate; make them now, so they can be assigned.
    create_permissions(apps.get_app_config("articles"), verbosity=0, using=using)
    for name, codenames in ROLES.items():
        group, _ = Group.objects.using(using).get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.using(using).filter(
                content_type__app_label="articles", codename__in=codenames
            )
        )
        for label, others in OTHER_APPS.get(name, {}).items():
            if not apps.is_installed(label):
                continue
            create_permissions(apps.get_app_config(label), verbosity=0, using=using)
            group.permissions.add(
                *Permission.objects.using(using).filter(
                    content_type__app_label=label, codename__in=others
                )
            )
