"""Record the size of lead images written before their story (load_demo did), so
loading a story never reads its image file to learn it."""

from django.db import migrations

BATCH = 500


def fill_sizes(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    stories = (
        Article.objects.exclude(lead_image="")
        .filter(lead_image_width__isnull=True)
        .only("pk", "lead_image_renditions")
        .order_by("pk")
    )
    batch = []
    for story in stories.iterator(chunk_size=BATCH):
        renditions = story.lead_image_renditions or {}
        if not renditions.get("width") or not renditions.get("height"):
            continue
        story.lead_image_width = renditions["width"]
        story.lead_image_height = renditions["height"]
        batch.append(story)
        if len(batch) == BATCH:
            Article.objects.bulk_update(
                batch, ["lead_image_width", "lead_image_height"]
            )
            batch = []
    Article.objects.bulk_update(batch, ["lead_image_width", "lead_image_height"])


class Migration(migrations.Migration):
    dependencies = [("articles", "0010_article_body_text")]

    operations = [migrations.RunPython(fill_sizes, migrations.RunPython.noop)]
