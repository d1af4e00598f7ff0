"""Files made for one person (a chart, a QR code, an export) kept in the file store and
published as a signed link only that person's chat was given; and how the web server is built
from the settings."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from channels.web.links import LinkSigner
from channels.web.server import WebServer
from core.clock import Clock
from core.config import Settings
from services.files import FileStore

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Publisher:
    store: FileStore
    signer: LinkSigner
    clock: Clock

    async def link(self, data: bytes, name: str, mime: str, recipient: str) -> str:
        file_id = await self.store.put(data, name, mime)
        return self.signer.link(file_id, recipient, self.clock.now())


def publisher_from(settings: Settings, clock: Clock) -> Publisher:
    key = settings.signing_key()
    if key is None:
        log.warning(
            "LINK_SIGNING_KEY is not set: file links use a random key and stop working "
            "when the bot restarts"
        )
        key = LinkSigner.random_key()
    base = settings.public_base_url
    if not base:
        base = f"http://{settings.web_listen}:{settings.web_port}"
        log.warning(
            "PUBLIC_BASE_URL is not set: file links point to %s, which Zalo cannot "
            "reach from the internet",
            base,
        )
    signer = LinkSigner(key, base, timedelta(hours=settings.link_lifetime_hours))
    return Publisher(FileStore(settings.file_store_dir), signer, clock)


def web_server_from(settings: Settings, publisher: Publisher) -> WebServer:
    return WebServer(
        publisher.store,
        publisher.signer,
        publisher.clock,
        settings.default_locale,
        settings.web_listen,
        settings.web_port,
    )
