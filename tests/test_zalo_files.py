"""The bot's file server: signed links bound to one file and one recipient, expiring; what it
answers to a tampered, foreign or expired link; and the file store behind it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest

from channels.web.links import Check, LinkSigner
from channels.web.publish import Publisher, publisher_from
from channels.web.server import WebServer
from core.clock import FrozenClock
from core.config import Settings
from playground.zalo_harness import free_port
from services.files import FileStore

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[tuple[Publisher, FrozenClock, str]]:
    clock = FrozenClock(NOW)
    port = free_port()
    signer = LinkSigner(b"k" * 32, f"http://127.0.0.1:{port}")
    publisher = Publisher(FileStore(tmp_path / "files"), signer, clock)
    server = WebServer(publisher.store, signer, clock, "vi", "127.0.0.1", port)
    await server.start()
    try:
        yield publisher, clock, f"http://127.0.0.1:{port}"
    finally:
        await server.stop()


def tamper(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()} | changes
    return parts._replace(query=urlencode(query)).geturl()


async def test_a_signed_link_serves_the_file_by_get_and_head(
    served: tuple[Publisher, FrozenClock, str],
) -> None:
    publisher, _clock, _base = served
    url = await publisher.link(b"PK\x03\x04 sheet", "Báo cáo chi bộ.xlsx", XLSX, "9000000000000001")
    async with httpx.AsyncClient() as http:
        got = await http.get(url)
        head = await http.head(url)
    assert got.status_code == 200 and got.content == b"PK\x03\x04 sheet"
    assert got.headers["content-type"].startswith(XLSX)
    assert got.headers["content-length"] == str(len(b"PK\x03\x04 sheet"))
    disposition = got.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''B%C3%A1o%20c%C3%A1o%20chi%20b%E1%BB%99.xlsx" in disposition
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == got.headers["content-length"]


async def test_a_picture_is_shown_inline(served: tuple[Publisher, FrozenClock, str]) -> None:
    publisher, _clock, _base = served
    url = await publisher.link(b"\x89PNG\r\n", "chart.png", "image/png", "7")
    async with httpx.AsyncClient() as http:
        got = await http.get(url)
    assert got.headers["content-type"] == "image/png"
    assert got.headers["content-disposition"].startswith("inline;")


@pytest.mark.parametrize(
    "change",
    [
        {"r": "9000000000000002"},  # another recipient's chat
        {"s": "0" * 64},  # a forged signature
        {"e": str(int((NOW + timedelta(days=30)).timestamp()))},  # a longer life
        {"e": "soon"},
    ],
)
async def test_a_tampered_or_foreign_link_is_refused_with_a_page_in_vietnamese(
    served: tuple[Publisher, FrozenClock, str], change: dict[str, str]
) -> None:
    publisher, _clock, _base = served
    url = await publisher.link(
        b"secret minutes", "bien-ban.docx", "application/x", "9000000000000001"
    )
    async with httpx.AsyncClient() as http:
        got = await http.get(tamper(url, **change))
    assert got.status_code == 403
    assert got.headers["content-type"].startswith("text/html")
    assert "Liên kết không hợp lệ" in got.text
    assert "secret minutes" not in got.text


async def test_another_file_id_with_a_valid_signature_is_refused(
    served: tuple[Publisher, FrozenClock, str],
) -> None:
    publisher, _clock, base = served
    mine = await publisher.link(b"mine", "a.png", "image/png", "1")
    other = await publisher.store.put(b"someone else's", "b.png", "image/png")
    query = urlsplit(mine).query
    async with httpx.AsyncClient() as http:
        got = await http.get(f"{base}/f/{other}?{query}")
    assert got.status_code == 403 and "someone else" not in got.text


async def test_an_expired_link_is_gone_after_24_hours(
    served: tuple[Publisher, FrozenClock, str],
) -> None:
    publisher, clock, _base = served
    url = await publisher.link(b"chart", "chart.png", "image/png", "1")
    async with httpx.AsyncClient() as http:
        clock.set(NOW + timedelta(hours=23, minutes=59))
        assert (await http.get(url)).status_code == 200
        clock.set(NOW + timedelta(hours=24))
        got = await http.get(url)
    assert got.status_code == 410
    assert "Liên kết đã hết hạn" in got.text


async def test_an_unknown_file_gets_404_and_a_malformed_id_reads_nothing(
    served: tuple[Publisher, FrozenClock, str],
) -> None:
    publisher, _clock, _base = served
    url = publisher.signer.link("0" * 32, "1", NOW)
    async with httpx.AsyncClient() as http:
        got = await http.get(url)
    assert got.status_code == 404 and "Không tìm thấy" in got.text
    assert await publisher.store.get("../../etc/passwd") is None


def test_the_signature_covers_file_recipient_and_expiry() -> None:
    signer = LinkSigner(b"key", "https://bot.example")
    expires = int((NOW + timedelta(hours=1)).timestamp())
    good = signer.signature("f" * 32, "1", expires)
    assert signer.check("f" * 32, "1", str(expires), good, NOW) is Check.OK
    assert signer.check("e" * 32, "1", str(expires), good, NOW) is Check.TAMPERED
    assert signer.check("f" * 32, "2", str(expires), good, NOW) is Check.TAMPERED
    assert signer.check("f" * 32, "1", str(expires + 1), good, NOW) is Check.TAMPERED
    other = LinkSigner(b"another key", "https://bot.example")
    assert other.check("f" * 32, "1", str(expires), good, NOW) is Check.TAMPERED


def test_without_a_signing_key_a_random_one_is_used_and_the_key_is_never_logged(
    caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    clock = FrozenClock(NOW)
    quiet = Settings(_env_file=None, file_store_dir=str(tmp_path))  # type: ignore[call-arg]
    a, b = publisher_from(quiet, clock), publisher_from(quiet, clock)
    assert a.signer.key != b.signer.key
    assert "LINK_SIGNING_KEY is not set" in caplog.text
    caplog.clear()
    keyed = Settings(  # type: ignore[call-arg]
        _env_file=None,
        link_signing_key="very-secret-signing-key",
        public_base_url="https://bot.example",
        file_store_dir=str(tmp_path),
    )
    made = publisher_from(keyed, clock)
    assert made.signer.key == b"very-secret-signing-key"
    assert "very-secret-signing-key" not in caplog.text
    assert "very-secret-signing-key" not in repr(keyed)


async def test_the_file_store_keeps_bytes_name_and_type(tmp_path: Path) -> None:
    store = FileStore(tmp_path / "store")
    file_id = await store.put(b"\x00\x01", "a/b.png", "image/png")
    stored = await store.get(file_id)
    assert stored is not None
    assert (stored.data, stored.name, stored.mime) == (b"\x00\x01", "a_b.png", "image/png")
    assert await store.get("f" * 32) is None
