"""QR codes as PNG images (channel-neutral: every channel shows a picture)."""

from __future__ import annotations

from io import BytesIO

import qrcode
from qrcode.constants import ERROR_CORRECT_M


def qr_png(data: str) -> bytes:
    """A QR code of `data`, large enough to scan from a printed page or a projector."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=12, border=4)
    code.add_data(data)
    code.make(fit=True)
    out = BytesIO()
    code.make_image(fill_color="black", back_color="white").save(out)
    return out.getvalue()
