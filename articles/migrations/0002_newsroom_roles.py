"""Create the desk's two roles: reporters write, editors also publish."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_PERMISSIONS = [
    f"{action}_{model}"
    for model in ["article", "author", "topic", "relatedstory", "slugredirect", "taggedarticle"]
    for action in ["add", "change", "delete", "view"]
] + ["publish_article"]

REPORTER_PERMISSIONS = [
    "add_article", "change_article", "view_article",
    "view_author", "view_topic",
    "add_relatedstory", "change_relatedstory", "delete_relatedstory", "view_relatedstory",
    "add_taggedarticle", "change_taggedarticle", "delete_taggedarticle", "view_taggedarticle",
]  # fmt: skip


def create_roles(apps, schema_editor):
    # Permissions are normally made after migrate; make them now to assign them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in [("Editors", EDITOR_PERMISSIONS), ("Reporters", REPORTER_PERMISSIONS)]:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
        )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editors", "Reporters"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
