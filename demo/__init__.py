"""The AES demo newsroom and the seeding tools: content and loaders, not the product.

    python manage.py load_demo            # the AES demo stories, topics and bylines
    python manage.py create_demo_editor   # the demo desk accounts, printed
    python manage.py seed_corpus --articles N   # a synthetic archive for benchmarks

Dependencies run one way: `demo` imports `articles` (its models and services), and
nothing in `articles` imports `demo`: no module of the app, none of its tests (the
browser journeys aside: they log in with the demo accounts `make run` prints).
A production site leaves this app out of INSTALLED_APPS with `DJANGO_DEMO=0`
(newsroom/settings.py), and runs exactly the same.

- `content.py`: the stories, topics, bylines, timelines and notes, as data, in our
  own words with their sources credited.
- `content_fr.py`: the French stories: translations of English ones (one left
  stale on purpose, one with a correction pending) and French-only stories.
- `images.py`: each story's lead image, drawn with Pillow (no download).
- `desk.py`: the demo accounts and the reporter's unpublished stories.
- `management/commands/`: `load_demo`, `create_demo_editor`, `seed_corpus`.
"""
