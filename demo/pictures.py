"""The demo's lead images as uploads: drawn and checked once per process.

Drawing a picture (demo/images.py) and checking it with its renditions
(articles/images.py) is most of what loading the demo costs. The same settings
always give the same picture, so a process that loads the demo again (the test
suite does, dozens of times) reuses the bytes and renditions of the first load
and only writes them to storage again.
"""

import dataclasses
from functools import cache

from django.core.files.base import ContentFile

from articles import images
from demo.images import render_lead_image


@cache
def checked(motif, palette, label):
    """The drawn picture, checked and with its renditions (`images.CleanImage`)."""
    picture = render_lead_image(motif=motif, palette=list(palette), label=label)
    return images.clean_upload(ContentFile(picture, name="demo.jpg"))


def lead_image_upload(image, *, name):
    """An upload of the demo picture `image` describes (its motif, palette and
    label), already checked: saving the story stores it and its renditions under
    new names, as it would a fresh upload."""
    clean = checked(image["motif"], tuple(image["palette"]), image["label"])
    upload = ContentFile(clean.content, name=name)
    setattr(upload, images.CLEAN_ATTRIBUTE, dataclasses.replace(clean, stored=None))
    return upload
