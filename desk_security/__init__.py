"""The desk's defences: login throttling, two-factor authentication, session
lifetime and the security headers every answer carries.

Nothing here imports the articles app: it guards the admin and the site as a whole.
"""
