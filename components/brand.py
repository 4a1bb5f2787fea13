"""The app's icon, drawn here so the browser never fetches one from a font or emoji CDN."""

from functools import lru_cache

from PIL import Image, ImageDraw


@lru_cache(maxsize=1)
def app_icon() -> Image.Image:
    icon = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    draw = ImageDraw.Draw(icon)
    draw.rounded_rectangle((4, 4, 60, 60), radius=14, fill=(79, 70, 229))
    draw.rounded_rectangle((14, 16, 50, 44), radius=4, outline=(255, 255, 255), width=4)
    draw.ellipse((38, 34, 56, 52), fill=(234, 88, 12), outline=(255, 255, 255), width=3)
    return icon
