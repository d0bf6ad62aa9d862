"""ContentGeneration moves here from the articles app; its table and row stay.

State only: the table `articles_contentgeneration` was created by articles'
migration 0006 and keeps its row (the generation number every cached page
carries), so no cached page is mistaken for current and none is dropped for
nothing. articles' migration 0015 lets go of the model in its own state.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        # The table exists from here on.
        ("articles", "0006_perf_page_cache"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ContentGeneration",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("generation", models.BigIntegerField()),
                        (
                            "next_change_us",
                            models.BigIntegerField(blank=True, null=True),
                        ),
                        (
                            "next_change_for",
                            models.BigIntegerField(
                                help_text=(
                                    "The generation `next_change_us` was looked up for."
                                ),
                                null=True,
                            ),
                        ),
                    ],
                    options={"db_table": "articles_contentgeneration"},
                ),
            ],
            database_operations=[],
        ),
    ]
