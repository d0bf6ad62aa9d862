from datetime import timedelta

import factory
from django.utils import timezone

from articles import services
from articles.models import Article, Author, RelatedStory, Topic


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Reporter {n}")
    slug = factory.Sequence(lambda n: f"reporter-{n}")


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"Topic {n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    """A published story by default; `draft`, `review` and `scheduled` variants."""

    class Meta:
        model = Article
        skip_postgeneration_save = True

    headline = factory.Sequence(lambda n: f"Story number {n} from the Sahel")
    slug = factory.Sequence(lambda n: f"story-{n}")
    dek = "A short standfirst."
    body = "<p>The body of the story.</p>"
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))

    class Params:
        draft = factory.Trait(status=Article.Status.DRAFT, published_at=None)
        review = factory.Trait(status=Article.Status.REVIEW, published_at=None)
        scheduled = factory.Trait(
            status=Article.Status.PUBLISHED,
            published_at=factory.LazyFunction(
                lambda: timezone.now() + timedelta(days=1)
            ),
        )

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """Saved the way every route saves a story: lead image, story links and old
        addresses included."""
        return services.save_story(story=model_class(*args, **kwargs))

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.add(*extracted)

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        """`authors=[...]`: the byline (the desk publishes nothing without one)."""
        if create and extracted:
            self.authors.add(*extracted)


def signed():
    """A byline for a story the desk is about to publish."""
    return [AuthorFactory(slug="staff-desk", name="Staff desk")]


class RelatedStoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RelatedStory

    article = factory.SubFactory(ArticleFactory)
    story = factory.SubFactory(ArticleFactory)
    position = 0


def image_file(name="lead.png", size=(40, 30), image_format="PNG", exif=None):
    """An uploaded picture made with Pillow, as a browser would send it."""
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = BytesIO()
    extra = {"exif": exif} if exif is not None else {}
    Image.new("RGB", size, (200, 120, 40)).save(buffer, image_format, **extra)
    content_type = f"image/{image_format.lower()}"
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


def checked_picture(data):
    """These picture bytes checked as an upload, with their renditions: what
    `demo.pictures.checked` gives the demo loader for a drawn picture."""
    from django.core.files.base import ContentFile

    from articles import images

    return images.clean_upload(ContentFile(data, name="picture.jpg"))


class StoryNoteFactory(factory.django.DjangoModelFactory):
    """A correction by default; pass `kind` for an update, clarification or retraction."""

    class Meta:
        model = "articles.StoryNote"

    article = factory.SubFactory(ArticleFactory)
    kind = "correction"
    text = "An earlier version gave the wrong date for the summit."


def gps_exif():
    """EXIF naming a camera and the place a photo was taken (near Gao)."""
    from PIL import Image

    exif = Image.Exif()
    exif[0x010F] = "Sahel Camera Co"  # Make
    exif[0x8825] = {1: "N", 2: (16.0, 16.0, 0.0), 3: "W", 4: (0.0, 3.0, 0.0)}
    return exif.tobytes()
