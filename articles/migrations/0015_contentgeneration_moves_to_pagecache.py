"""ContentGeneration now belongs to the page cache app (pagecache/models.py).

State only: its table and row stay as they are; pagecache's migration 0001 takes
the model into its own state under the same table name.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0014_article_revised_at"),
        ("pagecache", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ContentGeneration")],
            database_operations=[],
        ),
    ]
