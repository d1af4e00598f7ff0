"""Pictures made for channels that send images by link (Zalo): a QR code with its check-in
code printed large beneath it, to read aloud or type where scanning is awkward."""

from __future__ import annotations

from io import BytesIO

from PIL import Image, ImageDraw, ImageFont

from ui.qr import qr_png

CODE_FONT_PX = 96


def qr_with_code_png(link: str, code: str | None) -> bytes:
    qr = qr_png(link)
    if not code:
        return qr
    image = Image.open(BytesIO(qr)).convert("RGB")
    shown = f"{code[:3]} {code[3:]}" if len(code) == 6 else code
    font = ImageFont.load_default(size=CODE_FONT_PX)
    left, top, right, bottom = font.getbbox(shown)
    band = bottom - top + CODE_FONT_PX // 2
    canvas = Image.new("RGB", (image.width, image.height + band), "white")
    canvas.paste(image, (0, 0))
    x = max(0, (image.width - (right - left)) // 2 - left)
    ImageDraw.Draw(canvas).text((x, image.height - top), shown, fill="black", font=font)
    out = BytesIO()
    canvas.save(out, format="PNG")
    return out.getvalue()
