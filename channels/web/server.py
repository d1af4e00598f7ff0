"""The web server of the bot (aiohttp, in the bot's event loop): GET and HEAD /f/<id> serve a
stored file to whoever holds a valid signed link; a tampered or foreign link gets 403, an
expired one 410, an unknown file 404, each with a short page in the default language."""

from __future__ import annotations

import html
import logging
from urllib.parse import quote

from aiohttp import web

from channels.web.links import Check, LinkSigner
from core.clock import Clock
from core.i18n import Lang
from services.files import FileStore

log = logging.getLogger(__name__)
DOWNLOADED = ("xlsx", "docx", "pdf", "csv")  # sent as attachments, the rest shown inline


def _page(lang: Lang, status: int, title: str, body: str) -> web.Response:
    text = (
        f'<!doctype html><html lang="{html.escape(lang.locale)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title></head><body>"
        f"<h1>{html.escape(title)}</h1><p>{html.escape(body)}</p></body></html>"
    )
    return web.Response(status=status, text=text, content_type="text/html", charset="utf-8")


def disposition(name: str) -> str:
    kind = "attachment" if name.rsplit(".", 1)[-1].lower() in DOWNLOADED else "inline"
    ascii_name = name.encode("ascii", "replace").decode().replace('"', "_").replace("?", "_")
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


class WebServer:
    def __init__(
        self,
        store: FileStore,
        signer: LinkSigner,
        clock: Clock,
        locale: str,
        listen: str = "127.0.0.1",
        port: int = 8090,
    ) -> None:
        self.store = store
        self.signer = signer
        self.clock = clock
        self.lang = Lang(locale)
        self.listen = listen
        self.port = port
        self._runner: web.AppRunner | None = None

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/f/{file_id}", self.serve)  # aiohttp answers HEAD for GET routes
        return app

    async def start(self) -> None:
        runner = web.AppRunner(self.app())
        await runner.setup()
        site = web.TCPSite(runner, self.listen, self.port)
        await site.start()
        self._runner = runner
        log.info("web: serving files on %s:%s", self.listen, self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def serve(self, request: web.Request) -> web.StreamResponse:
        t = self.lang.t
        file_id = request.match_info["file_id"]
        q = request.query
        check = self.signer.check(
            file_id, q.get("r", ""), q.get("e", ""), q.get("s", ""), self.clock.now()
        )
        if check is Check.TAMPERED:
            return _page(
                self.lang,
                403,
                t("This link is not valid"),
                t("The link was changed or belongs to someone else. Ask the assistant again."),
            )
        if check is Check.EXPIRED:
            return _page(
                self.lang,
                410,
                t("This link has expired"),
                t("Links to files work for a limited time. Ask the assistant for the file again."),
            )
        stored = await self.store.get(file_id)
        if stored is None:
            return _page(
                self.lang,
                404,
                t("File not found"),
                t("The file is no longer kept. Ask the assistant for it again."),
            )
        headers = {
            "Content-Disposition": disposition(stored.name),
            "Cache-Control": "private, max-age=300",
            "X-Content-Type-Options": "nosniff",
        }
        return web.Response(body=stored.data, content_type=stored.mime, headers=headers)
