from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed file names once `collectstatic` has run; plain names before.

    Without a manifest (a fresh clone started with debug off) every `{% static %}`
    would otherwise raise; whitenoise then serves the files from the app folders.
    """

    def stored_name(self, name):
        if not self.hashed_files:
            return name
        return super().stored_name(name)
