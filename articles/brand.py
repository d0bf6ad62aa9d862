"""Draw the site's own pictures: favicon, publisher logo, default sharing image.

    python -m articles.brand        # rewrites the files under static/

They are committed; this only says how they were made, so a new colour or name is
one run away. Drawn with Pillow and DejaVu (Debian's fonts-dejavu-core), no download.
"""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from articles.context_processors import LOGO, LOGO_SIZE, SHARE_IMAGE

STATIC = Path(__file__).resolve().parents[1] / "static"
FONTS = Path("/usr/share/fonts/truetype/dejavu")
# The site's light palette (static/css/site.css).
PAGE, ACCENT, TEXT, MUTED = "#fbf8f2", "#8c4a10", "#1e1a15", "#5d5347"
# Google asks for a publisher logo of at least 112x112 (LOGO_SIZE, which the
# JSON-LD states); OpenGraph cards 1200x630.
SHARE_SIZE = (1200, 630)


def font(name, size):
    return ImageFont.truetype(str(FONTS / name), size)


def mark(size):
    """The square mark: "AES" in white on the accent colour."""
    image = Image.new("RGB", (size, size), ACCENT)
    draw = ImageDraw.Draw(image)
    face = font("DejaVuSerif-Bold.ttf", int(size * 0.36))
    draw.text((size / 2, size / 2), "AES", fill="#ffffff", font=face, anchor="mm")
    return image


def share_card():
    width, height = SHARE_SIZE
    image = Image.new("RGB", SHARE_SIZE, PAGE)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width, 24), fill=ACCENT)
    image.paste(mark(200), (90, 215))
    draw.text(
        (340, 270),
        "AES Newsroom",
        fill=TEXT,
        font=font("DejaVuSerif-Bold.ttf", 86),
        anchor="ls",
    )
    draw.text(
        (344, 345),
        "Reporting on the Alliance of Sahel States",
        fill=MUTED,
        font=font("DejaVuSans.ttf", 38),
        anchor="ls",
    )
    draw.text(
        (344, 400),
        "Mali · Burkina Faso · Niger",
        fill=MUTED,
        font=font("DejaVuSans.ttf", 38),
        anchor="ls",
    )
    return image


def main():
    (STATIC / "img").mkdir(exist_ok=True)
    mark(LOGO_SIZE).save(STATIC / LOGO, optimize=True)
    share_card().save(STATIC / SHARE_IMAGE, optimize=True)
    mark(48).save(STATIC / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])
    for path in (LOGO, SHARE_IMAGE, "favicon.ico"):
        print(f"{path}: {(STATIC / path).stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
