"""The desk: the Django admin where reporters and editors write, review, publish,
compare and restore stories, and look after topics and bylines.

Dependency rule: the desk imports the content app's domain (articles.models,
services, history, translations, policy, topics, related, topic_names, images, uploads,
outage); nothing imports the desk. Django's admin autodiscovery is the only way in:
it imports articles/admin.py, which imports the admin modules below and so
registers them. Who may do what is decided in articles/policy.py, which every
check here calls; it sits outside the desk so that pages outside it (the story
preview) may call it too.

Inside the package imports run one way, from the admins to their parts:

    story_admin ──> forms, story_inlines, story_panels, story_actions,
                    history_views, translation_views, uploads, resilience,
                    widgets
    topic_admin ──> topic_views, resilience, widgets
    other_admins ─> widgets
    forms ────────> widgets

What is where (templates keep Django's admin names, templates/admin/articles/):
  story_admin.py    ArticleAdmin: who sees what, saving and deleting, the list
  forms.py          ArticleAdminForm: body editor, story-link picker, topics typed
                    in order, the check that refuses to overwrite a newer save
  story_inlines.py  curated related stories, exclusions, updates and corrections
  story_panels.py   the list's columns and the form's read-only panels
  story_actions.py  submit for review, publish now, unpublish
  history_views.py  history, compare, restore and recover (the views; the domain
                    is articles.history)
  translation_views.py  "Translate into", "Mark as up to date", the translations
                    panel, and the list's language, freshness and correction-
                    pending columns and filters (the domain: articles.translations)
  topic_admin.py    TopicAdmin and its inlines (aliases, facts, timeline events)
  topic_views.py    merging topics and the topic-health page
  other_admins.py   bylines, old story addresses, the topic-merge log
  uploads.py        the lead-image field that keeps an upload across a form that
                    comes back with an error
  resilience.py     a save the database did not take loses nothing typed
  widgets.py        autocomplete pickers that survive a crafted value
"""
