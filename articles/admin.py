"""Django's admin autodiscovery imports this module. The desk lives in
articles/desk/ (its __init__ says what is where and which way imports run);
importing its admin modules registers them."""

from articles.desk import other_admins, story_admin, topic_admin  # noqa: F401
