"""Signed links to one stored file for one recipient, until an expiry.

The signature is HMAC-SHA256 over "file id, recipient, expiry" with LINK_SIGNING_KEY (a
secret from the environment; without it a random key per process, so links die with it).
Changing any of the three, or the signature, makes the link invalid (403); a valid link past
its expiry is gone (410)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from urllib.parse import urlencode

DEFAULT_LIFETIME = timedelta(hours=24)


class Check(StrEnum):
    OK = "ok"
    TAMPERED = "tampered"
    EXPIRED = "expired"


@dataclass(frozen=True, slots=True)
class LinkSigner:
    key: bytes
    base_url: str
    lifetime: timedelta = DEFAULT_LIFETIME

    @staticmethod
    def random_key() -> bytes:
        return secrets.token_bytes(32)

    def signature(self, file_id: str, recipient: str, expires: int) -> str:
        message = f"{file_id}\n{recipient}\n{expires}".encode()
        return hmac.new(self.key, message, hashlib.sha256).hexdigest()

    def link(self, file_id: str, recipient: str, now: datetime) -> str:
        expires = int((now + self.lifetime).timestamp())
        query = urlencode(
            {"r": recipient, "e": expires, "s": self.signature(file_id, recipient, expires)}
        )
        return f"{self.base_url.rstrip('/')}/f/{file_id}?{query}"

    def check(
        self, file_id: str, recipient: str, expires: str, signature: str, now: datetime
    ) -> Check:
        if not expires.isdigit() or len(expires) > 12 or len(recipient) > 64:
            return Check.TAMPERED
        wanted = self.signature(file_id, recipient, int(expires))
        if not hmac.compare_digest(wanted, signature):
            return Check.TAMPERED
        if now.timestamp() >= int(expires):
            return Check.EXPIRED
        return Check.OK
