"""Short codes people can type on a phone: an invite code (Zalo passes no link parameter) and
a code that links a second messenger to one's account.

Eight letters from an alphabet without look-alikes (no I, O), shown as "ABCD-EFGH"; typed in
any case, with or without the dash or spaces. Letters only, so a code never looks like a
6-digit check-in code. 24**8 ≈ 1.1·10**11 codes, each valid for a limited time and uses.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ"
LENGTH = 8
_SHAPE = re.compile(rf"[{ALPHABET}]{{{LENGTH}}}")


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(text: str | None) -> str | None:
    """The code a person typed ("abcd efgh", "ABCD-EFGH"), or None if it is not one."""
    folded = re.sub(r"[\s\-–.]", "", (text or "").upper())
    return folded if _SHAPE.fullmatch(folded) else None


def shown(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"
