"""Merge translations into the catalogs: `python locales/fill.py` after `locales/update.sh`.

English msgstrs mirror the source strings (so the English catalog is complete); Vietnamese
msgstrs come from locales/vi.json and locales/vi-*.json (one file per feature), which
translators edit."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

HERE = Path(__file__).resolve().parent


def main() -> int:
    vi_text: dict[str, str] = {}
    for source in sorted(HERE.glob("vi*.json")):
        vi_text.update(json.loads(source.read_text(encoding="utf-8")))
    missing = []
    for loc in ("vi", "en"):
        path = HERE / loc / "LC_MESSAGES" / "messages.po"
        with path.open("rb") as fh:
            catalog = read_po(fh, locale=loc)
        for message in catalog:
            if not message.id:
                continue
            key = message.id if isinstance(message.id, str) else message.id[0]
            if loc == "en":
                message.string = message.id if isinstance(message.id, str) else tuple(message.id)
            elif key in vi_text:
                value = vi_text[key]
                message.string = value if isinstance(message.id, str) else tuple(value)
            else:
                missing.append(key)
            message.flags.discard("fuzzy")
        with path.open("wb") as fh:
            write_po(fh, catalog, width=100, omit_header=False, sort_output=True)
    for key in missing:
        print(f"missing vi translation: {key!r}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
