#!/usr/bin/env python3
"""Makes the stand-in photographs of data/zhongzhan-2020.toml.

The real photos of the 2020 page are not ours to ship, so each caption gets a
stand-in: a 1600 × 1067 JPEG (a landscape of soft shapes, different for every
photo) marked "示意图 STAND-IN" across the middle, with its caption. Nothing is
random: the same script and Pillow give the same files.

    pip install pillow
    python3 data/photos/make_standins.py
"""
import math
import pathlib
import tomllib

from PIL import Image, ImageDraw, ImageFont

HERE = pathlib.Path(__file__).resolve().parent
REPORT = HERE.parent / "zhongzhan-2020.toml"
FONT = HERE.parent.parent / "fonts" / "NotoSansCJKsc-Bold.otf"
WIDTH, HEIGHT = 1600, 1067
# The brochure's cover is printed full bleed on A4 (216 × 303 mm with
# bleed): this one is made large enough for 200 ppi there (2600 × 2400).
LARGE = "photos/04-xidajing.jpg"

# Sky and ground colours per photo, cycled.
PALETTES = [
    ((96, 140, 190), (214, 190, 150)),
    ((60, 70, 110), (120, 110, 90)),
    ((150, 180, 200), (90, 120, 80)),
    ((200, 160, 120), (110, 90, 80)),
    ((30, 30, 70), (200, 120, 60)),
    ((120, 170, 210), (150, 160, 100)),
]


def lerp(a, b, t):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b))


def scene(index, width=WIDTH, height=HEIGHT):
    sky, ground = PALETTES[index % len(PALETTES)]
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    horizon = 620 + 60 * math.sin(index * 1.7)
    for y in range(height):
        if y < horizon:
            colour = lerp(sky, (235, 235, 230), y / horizon)
        else:
            colour = lerp(ground, (40, 40, 40), (y - horizon) / (height - horizon))
        draw.line([(0, y), (width, y)], fill=colour)
    # Buildings: a skyline whose rhythm depends on the photo's index.
    x = 0
    k = 0
    while x < width:
        w = 80 + (37 * (k + index * 3)) % 140
        h = 120 + (53 * (k * 7 + index)) % 330
        shade = lerp(ground, (70, 70, 80), 0.5 + 0.4 * math.sin(k + index))
        draw.rectangle([x, horizon - h, x + w - 8, horizon + 4], fill=shade)
        for wy in range(int(horizon - h + 20), int(horizon - 10), 34):
            for wx in range(x + 12, x + w - 24, 26):
                lit = (wx * 13 + wy * 7 + index) % 5 == 0
                draw.rectangle([wx, wy, wx + 12, wy + 18], fill=(250, 220, 150) if lit else lerp(shade, (0, 0, 0), 0.2))
        x += w
        k += 1
    return image


def label(image, caption):
    WIDTH, HEIGHT = image.size
    draw = ImageDraw.Draw(image, "RGBA")
    big = ImageFont.truetype(str(FONT), 150)
    small = ImageFont.truetype(str(FONT), 54)
    draw.rectangle([0, HEIGHT / 2 - 150, WIDTH, HEIGHT / 2 + 150], fill=(0, 0, 0, 110))
    draw.text((WIDTH / 2, HEIGHT / 2 - 30), "示意图 STAND-IN", font=big, anchor="mm", fill=(255, 255, 255))
    draw.text((WIDTH / 2, HEIGHT / 2 + 95), caption[:30], font=small, anchor="mm", fill=(255, 235, 200))
    # A frame of diagonal stripes, so no one mistakes it for the real photo.
    for i in range(-HEIGHT, WIDTH, 60):
        draw.line([(i, 0), (i + 40, 40)], fill=(255, 200, 0, 200), width=14)
        draw.line([(i, HEIGHT - 40), (i + 40, HEIGHT)], fill=(255, 200, 0, 200), width=14)


def main():
    report = tomllib.loads(REPORT.read_text(encoding="utf-8"))
    for index, photo in enumerate(report["photos"]):
        large = photo["file"] == LARGE
        image = scene(index, *((2600, 2400) if large else (WIDTH, HEIGHT)))
        label(image, photo["caption"].rstrip("。"))
        path = HERE.parent / photo["file"]
        image.save(path, "JPEG", quality=82, optimize=True)
        print(path.relative_to(HERE.parent), image.size, path.stat().st_size // 1024, "KiB")


if __name__ == "__main__":
    main()
