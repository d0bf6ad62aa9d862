"""Generated lead images for the demo stories.

Everything is drawn with Pillow from the story's ``image`` settings, so the demo needs no
downloads and the same inputs always produce the same picture.
"""

from __future__ import annotations

import hashlib
import io
import math
import random

from PIL import Image, ImageColor, ImageDraw, ImageFilter, ImageFont

MOTIFS = ("map", "flags", "abstract")
KICKER = "AES NEWSROOM"
_FALLBACK_PALETTE = ("#1f3a5f", "#c8813a", "#f2e3c6")


def render_lead_image(
    *, motif: str, palette: list[str], label: str, size=(1200, 675)
) -> bytes:
    """Return JPEG bytes of a generated illustration."""
    if motif not in MOTIFS:
        raise ValueError(
            f"unknown motif {motif!r}; expected one of {', '.join(MOTIFS)}"
        )
    width, height = (int(v) for v in size)
    if width < 64 or height < 64:
        raise ValueError("size must be at least 64x64 pixels")

    colours = _parse_palette(palette)
    rng = random.Random(_seed(motif, colours, label, (width, height)))

    image = _gradient(width, height, colours)
    draw_motif = {"map": _draw_map, "flags": _draw_flags, "abstract": _draw_abstract}[
        motif
    ]
    image = draw_motif(image, colours, rng)
    image = _draw_label(image, label, colours)

    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="JPEG", quality=82, optimize=True)
    return buffer.getvalue()


# --------------------------------------------------------------------------- helpers


def _parse_palette(palette) -> list[tuple[int, int, int]]:
    colours = []
    for value in list(palette or [])[:3]:
        try:
            colours.append(ImageColor.getrgb(str(value))[:3])
        except ValueError:
            continue
    for value in _FALLBACK_PALETTE[len(colours) :]:
        colours.append(ImageColor.getrgb(value)[:3])
    return colours


def _seed(motif, colours, label, size) -> int:
    text = "|".join([motif, repr(colours), label or "", repr(size)])
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


def _mix(a, b, t):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def _shade(colour, factor):
    """factor < 1 darkens, > 1 lightens towards white."""
    if factor <= 1:
        return tuple(round(c * factor) for c in colour)
    return _mix(colour, (255, 255, 255), min(factor - 1, 1))


def _luminance(colour):
    r, g, b = colour
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _gradient(width, height, colours):
    """Diagonal gradient from the first to the second colour, with a soft glow of the third."""
    base = min(colours[:2], key=_luminance)
    other = max(colours[:2], key=_luminance)
    horizontal = Image.linear_gradient("L").rotate(90).resize((width, height))
    vertical = Image.linear_gradient("L").resize((width, height))
    mask = Image.blend(horizontal, vertical, 0.45)
    image = Image.composite(
        Image.new("RGB", (width, height), _shade(base, 0.8)),
        Image.new("RGB", (width, height), _mix(base, other, 0.75)),
        mask,
    ).convert("RGBA")

    glow = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    gd = ImageDraw.Draw(glow)
    r = int(max(width, height) * 0.45)
    cx, cy = int(width * 0.78), int(height * 0.2)
    gd.ellipse((cx - r, cy - r, cx + r, cy + r), fill=colours[2] + (70,))
    glow = glow.filter(ImageFilter.GaussianBlur(radius=max(width, height) // 10))
    return Image.alpha_composite(image, glow)


def _layer(image):
    return Image.new("RGBA", image.size, (0, 0, 0, 0))


def _jagged_ray(rng, centre, angle, length, steps, wobble):
    """Points from the centre outwards along an angle, with a little sideways wobble."""
    cx, cy = centre
    points = [centre]
    nx, ny = -math.sin(angle), math.cos(angle)
    offset = 0.0
    for i in range(1, steps + 1):
        d = length * i / steps
        offset = max(-wobble, min(wobble, offset + rng.uniform(-wobble, wobble) * 0.6))
        points.append(
            (
                cx + math.cos(angle) * d + nx * offset,
                cy + math.sin(angle) * d + ny * offset,
            )
        )
    return points


def _draw_map(image, colours, rng):
    """Three landlocked shapes meeting at one point, with towns, roads and a marker."""
    width, height = image.size
    unit = min(width, height)
    centre = (width * 0.67, height * 0.45)
    radius = unit * 0.5
    start = rng.uniform(0, 2 * math.pi)
    angles = [
        start,
        start + math.radians(rng.uniform(105, 130)),
        start + math.radians(rng.uniform(235, 255)),
    ]
    rays = [_jagged_ray(rng, centre, a, radius, 9, unit * 0.035) for a in angles]

    fills = [
        _shade(colours[1], 1.15),
        _shade(colours[2], 1.0),
        _shade(_mix(colours[0], colours[2], 0.5), 1.25),
    ]
    shapes = _layer(image)
    sd = ImageDraw.Draw(shapes)
    polygons = []
    for i in range(3):
        a0 = angles[i]
        a1 = angles[(i + 1) % 3] + (2 * math.pi if i == 2 else 0)
        outline = list(rays[i])
        arc_steps = 14
        for s in range(1, arc_steps):
            a = a0 + (a1 - a0) * s / arc_steps
            rr = radius * rng.uniform(0.82, 1.0)
            outline.append((centre[0] + math.cos(a) * rr, centre[1] + math.sin(a) * rr))
        outline.extend(reversed(rays[(i + 1) % 3][1:]))
        polygons.append(outline)
        sd.polygon(outline, fill=fills[i] + (150,))

    shadow = shapes.filter(ImageFilter.GaussianBlur(radius=unit // 60))
    shadow_dark = Image.new("RGBA", image.size, (0, 0, 0, 0))
    shadow_dark.putalpha(shadow.getchannel("A").point(lambda v: v // 3))
    image = Image.alpha_composite(
        image,
        shadow_dark.transform(
            image.size,
            Image.Transform.AFFINE,
            (1, 0, -unit * 0.012, 0, 1, -unit * 0.018),
        ),
    )
    image = Image.alpha_composite(image, shapes)

    lines = _layer(image)
    ld = ImageDraw.Draw(lines)
    border = (255, 255, 255, 210)
    for ray in rays:
        ld.line(ray, fill=border, width=max(2, unit // 220), joint="curve")
    for poly in polygons:
        ld.line(poly + [poly[0]], fill=(255, 255, 255, 90), width=max(1, unit // 400))

    # Towns: a few dots per shape, linked by dashed "roads" towards the meeting point.
    dot = max(4, unit // 90)
    for i in range(3):
        a0 = angles[i]
        a1 = angles[(i + 1) % 3] + (2 * math.pi if i == 2 else 0)
        towns = []
        for _ in range(3):
            a = rng.uniform(a0 + 0.25, a1 - 0.25)
            d = radius * rng.uniform(0.25, 0.7)
            towns.append((centre[0] + math.cos(a) * d, centre[1] + math.sin(a) * d))
        for x, y in towns:
            _dashed_line(
                ld,
                (x, y),
                centre,
                fill=(255, 255, 255, 150),
                width=max(1, unit // 300),
                dash=unit // 45,
            )
        for x, y in towns:
            ld.ellipse(
                (x - dot, y - dot, x + dot, y + dot),
                fill=colours[0] + (255,),
                outline=(255, 255, 255, 235),
                width=max(2, dot // 2),
            )

    # The tri-point marker.
    cx, cy = centre
    for k, alpha in ((4.5, 60), (3.0, 110)):
        rr = dot * k
        ld.ellipse(
            (cx - rr, cy - rr, cx + rr, cy + rr),
            outline=(255, 255, 255, alpha),
            width=max(2, dot // 2),
        )
    rr = dot * 1.6
    ld.ellipse((cx - rr, cy - rr, cx + rr, cy + rr), fill=(255, 255, 255, 255))
    return Image.alpha_composite(image, lines)


def _dashed_line(draw, start, end, *, fill, width, dash):
    x0, y0 = start
    x1, y1 = end
    length = math.hypot(x1 - x0, y1 - y0)
    if length == 0 or dash <= 0:
        return
    steps = int(length // dash)
    for s in range(0, steps, 2):
        t0, t1 = s * dash / length, min((s + 1) * dash / length, 1)
        draw.line(
            (
                x0 + (x1 - x0) * t0,
                y0 + (y1 - y0) * t0,
                x0 + (x1 - x0) * t1,
                y0 + (y1 - y0) * t1,
            ),
            fill=fill,
            width=width,
        )


def _draw_flags(image, colours, rng):
    """Three banded panels standing side by side (abstract, not real national flags)."""
    width, height = image.size
    unit = min(width, height)
    panel_w, panel_h = int(width * 0.19), int(height * 0.42)
    gap = int(width * 0.035)
    total = 3 * panel_w + 2 * gap
    left = int(width * 0.93) - total
    top = int(height * 0.14)
    band_sets = [
        [colours[1], colours[2], colours[0]],
        [colours[2], colours[0], colours[1]],
        [colours[0], colours[1], colours[2]],
    ]
    image = image.copy()
    for i, bands in enumerate(band_sets):
        x = left + i * (panel_w + gap)
        y = top + int(rng.uniform(-0.04, 0.04) * height)
        horizontal = i == 1
        panel = Image.new("RGBA", (panel_w, panel_h), (0, 0, 0, 0))
        pd = ImageDraw.Draw(panel)
        for b, colour in enumerate(bands):
            fill = _shade(colour, 1.08 if b == 1 else 0.95) + (255,)
            if horizontal:
                pd.rectangle(
                    (0, b * panel_h // 3, panel_w, (b + 1) * panel_h // 3), fill=fill
                )
            else:
                pd.rectangle(
                    (b * panel_w // 3, 0, (b + 1) * panel_w // 3, panel_h), fill=fill
                )
        # a small geometric emblem in the middle band
        ex, ey, er = panel_w / 2, panel_h / 2, unit * 0.03
        emblem = (255, 255, 255, 220)
        if i == 0:
            pd.ellipse((ex - er, ey - er, ex + er, ey + er), fill=emblem)
        elif i == 1:
            pd.polygon(_star(ex, ey, er * 1.2, er * 0.5, 5), fill=emblem)
        else:
            pd.polygon(
                [(ex, ey - er), (ex + er, ey), (ex, ey + er), (ex - er, ey)],
                fill=emblem,
            )
        pd.rectangle(
            (0, 0, panel_w - 1, panel_h - 1),
            outline=(255, 255, 255, 170),
            width=max(2, unit // 300),
        )

        mask = Image.new("L", (panel_w, panel_h), 0)
        ImageDraw.Draw(mask).rounded_rectangle(
            (0, 0, panel_w - 1, panel_h - 1), radius=unit // 70, fill=255
        )
        panel.putalpha(mask)

        shadow = Image.new("RGBA", image.size, (0, 0, 0, 0))
        ImageDraw.Draw(shadow).rounded_rectangle(
            (
                x + unit * 0.015,
                y + unit * 0.02,
                x + panel_w + unit * 0.015,
                y + panel_h + unit * 0.02,
            ),
            radius=unit // 70,
            fill=(0, 0, 0, 90),
        )
        image = Image.alpha_composite(
            image, shadow.filter(ImageFilter.GaussianBlur(radius=unit // 80))
        )

        # flagpole-like stem under each panel
        stem = _layer(image)
        ImageDraw.Draw(stem).rectangle(
            (x, y, x + max(3, unit // 160), y + int(panel_h * 1.45)),
            fill=(255, 255, 255, 140),
        )
        image = Image.alpha_composite(image, stem)
        image.alpha_composite(panel, (x, y))
    return image


def _star(cx, cy, outer, inner, points):
    coords = []
    for k in range(points * 2):
        r = outer if k % 2 == 0 else inner
        a = -math.pi / 2 + k * math.pi / points
        coords.append((cx + math.cos(a) * r, cy + math.sin(a) * r))
    return coords


def _draw_abstract(image, colours, rng):
    """Overlapping circles, triangles and stripes."""
    width, height = image.size
    unit = min(width, height)
    layer = _layer(image)
    d = ImageDraw.Draw(layer)

    # diagonal stripes
    stripe = unit // 26
    for k in range(-height, width, stripe * 3):
        d.polygon(
            [
                (k, height),
                (k + stripe, height),
                (k + stripe + height * 0.6, 0),
                (k + height * 0.6, 0),
            ],
            fill=(255, 255, 255, 14),
        )

    # concentric rings
    cx, cy = width * rng.uniform(0.62, 0.75), height * rng.uniform(0.35, 0.5)
    for k in range(6, 0, -1):
        r = unit * 0.07 * k
        colour = colours[k % 3]
        d.ellipse(
            (cx - r, cy - r, cx + r, cy + r),
            outline=colour + (170,),
            width=max(3, unit // 120),
        )
    r = unit * 0.1
    d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=colours[2] + (230,))

    # triangles
    for _ in range(5):
        tx, ty = width * rng.uniform(0.35, 0.95), height * rng.uniform(0.05, 0.6)
        s = unit * rng.uniform(0.08, 0.18)
        a = rng.uniform(0, 2 * math.pi)
        pts = [
            (
                tx + math.cos(a + j * 2 * math.pi / 3) * s,
                ty + math.sin(a + j * 2 * math.pi / 3) * s,
            )
            for j in range(3)
        ]
        d.polygon(pts, fill=rng.choice(colours) + (120,), outline=(255, 255, 255, 120))

    # a band of small dots
    for j in range(14):
        x = width * 0.38 + j * unit * 0.04
        y = height * 0.12
        rr = unit * 0.006
        d.ellipse((x - rr, y - rr, x + rr, y + rr), fill=(255, 255, 255, 150))
    return Image.alpha_composite(image, layer)


def _font(size):
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, AttributeError, OSError, ImportError):
        return ImageFont.load_default()


def _text_width(draw, text, font):
    left, _, right, _ = draw.textbbox((0, 0), text, font=font)
    return right - left


def _draw_label(image, label, colours):
    width, height = image.size
    unit = min(width, height)
    label = " ".join((label or "").upper().split()) or "AES"
    draw = ImageDraw.Draw(image)

    max_width = int(width * 0.86)
    size = int(unit * 0.15)
    font = _font(size)
    while size > 12 and _text_width(draw, label, font) > max_width:
        size = int(size * 0.92)
        font = _font(size)
    kicker_font = _font(max(10, int(unit * 0.035)))

    # dark band along the bottom for legibility
    band_top = int(height * 0.64)
    band = Image.new("L", (1, 256), 0)
    for y in range(256):
        band.putpixel((0, y), int(200 * (y / 255) ** 1.4))
    band = band.resize((width, height - band_top))
    shade = Image.new(
        "RGBA", (width, height - band_top), _shade(colours[0], 0.25) + (0,)
    )
    shade.putalpha(band)
    image = image.copy()
    image.alpha_composite(shade, (0, band_top))

    draw = ImageDraw.Draw(image)
    margin = int(width * 0.06)
    _, top, _, bottom = draw.textbbox((0, 0), label, font=font)
    baseline_y = height - int(height * 0.09)
    text_y = baseline_y - bottom
    kicker_y = text_y + top - int(unit * 0.075)

    accent = colours[2] if _luminance(colours[2]) > 110 else _shade(colours[2], 1.6)
    draw.rectangle(
        (
            margin,
            kicker_y - int(unit * 0.02),
            margin + int(unit * 0.09),
            kicker_y - int(unit * 0.012),
        ),
        fill=accent + (255,),
    )
    draw.text((margin, kicker_y), KICKER, font=kicker_font, fill=(255, 255, 255, 220))
    draw.text(
        (margin + max(2, unit // 250), text_y + max(2, unit // 250)),
        label,
        font=font,
        fill=(0, 0, 0, 110),
    )
    draw.text((margin, text_y), label, font=font, fill=(255, 255, 255, 255))
    return image
