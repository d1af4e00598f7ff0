"""What a command-line start says when the Bot API or the database cannot be used: one line,
in Vietnamese and English, with what is wrong and what to do (the details and the traceback
go to the log at DEBUG). Secrets never appear: the token is masked, passwords are hidden."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from core.logging_setup import mask_tokens

log = logging.getLogger("chibot.first_run")

BOT_API_UNREACHABLE = (
    "Không kết nối được tới Bot API ({url}): kiểm tra mạng, tường lửa hoặc TELEGRAM_BASE_URL "
    "rồi chạy lại. / Cannot reach the Bot API ({url}): check the network, the firewall or "
    "TELEGRAM_BASE_URL, then run again. ({detail})"
)
TOKEN_REJECTED = (
    "Telegram từ chối mã bot (TELEGRAM_BOT_TOKEN): lấy lại mã đúng từ @BotFather (/token) và "
    "đặt vào TELEGRAM_BOT_TOKEN hoặc tệp .env. / Telegram rejected the bot token: get the right "
    "token from @BotFather (/token) and put it in TELEGRAM_BOT_TOKEN or the .env file."
)
DATABASE_UNUSABLE = (
    "Không dùng được cơ sở dữ liệu DATABASE_URL={url}: kiểm tra địa chỉ, tên người dùng, mật "
    "khẩu và máy chủ cơ sở dữ liệu (hoặc bỏ DATABASE_URL để dùng tệp SQLite chibot.db). / "
    "Cannot use the database DATABASE_URL={url}: check the address, user, password and that the "
    "database server runs (or unset DATABASE_URL to use the SQLite file chibot.db). ({detail})"
)


class StartupProblem(Exception):
    """A start-up failure explained in one line (see `fail`)."""

    def __init__(self, line: str) -> None:
        super().__init__(line)
        self.line = line


def _detail(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    first = text[0] if text else ""
    return mask_tokens(f"{type(exc).__name__}: {first}"[:200])


def safe_url(url: str) -> str:
    """The database URL with its password hidden."""
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # not even a URL: show it without what could be a password
        return url.split("@")[-1] if "@" in url else url


def bot_api_problem(exc: BaseException, base_url: str) -> StartupProblem | None:
    """The Bot API refused the token or could not be reached; None for any other error."""
    from telegram.error import InvalidToken, NetworkError

    if isinstance(exc, InvalidToken):
        return StartupProblem(TOKEN_REJECTED)
    if isinstance(exc, NetworkError):
        url = mask_tokens(base_url.removesuffix("/bot"))
        return StartupProblem(BOT_API_UNREACHABLE.format(url=url, detail=_detail(exc)))
    return None


def database_problem(exc: BaseException, url: str) -> StartupProblem:
    return StartupProblem(DATABASE_UNUSABLE.format(url=safe_url(url), detail=_detail(exc)))


@contextmanager
def bot_api_step(base_url: str) -> Iterator[None]:
    """Turn a rejected token or an unreachable Bot API inside the block into a StartupProblem."""
    try:
        yield
    except Exception as exc:
        problem = bot_api_problem(exc, base_url)
        if problem is None:
            raise
        log.debug("the Bot API could not be used", exc_info=True)
        raise problem from exc


@contextmanager
def database_step(url: str) -> Iterator[None]:
    """Turn any failure inside the block (which only opens/migrates the database) into a
    StartupProblem about DATABASE_URL."""
    try:
        yield
    except StartupProblem:
        raise
    except Exception as exc:
        log.debug("the database could not be used", exc_info=True)
        raise database_problem(exc, url) from exc


def _quiet_thread_end(args: threading.ExceptHookArgs) -> None:
    log.debug("a worker thread ended while exiting", exc_info=args.exc_value)


def fail(problem: StartupProblem) -> None:
    """Print the one line and exit with status 2 (the traceback is in the DEBUG log).

    A database driver's worker thread (aiosqlite's) that failed to connect may still try to
    hand its answer to the event loop that has closed: we are exiting, so that is logged at
    DEBUG rather than printed as a second traceback."""
    threading.excepthook = _quiet_thread_end
    print(problem.line, file=sys.stderr)
    raise SystemExit(2) from None
