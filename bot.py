"""chibot — entry point.

python bot.py                      run the bot (long polling; webhook with --webhook URL)
python bot.py migrate              bring the database schema up to date
python bot.py invite --unit NAME --role ROLE   print an invite link (bootstrapping)
python bot.py playground           try the bot locally: no token, no network
python bot.py import-plan FILE --json          print the draft of a KẾ HOẠCH document
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

from core.config import ConfigError, Settings, load_settings
from core.logging_setup import setup_logging

NO_TOKEN = """\
Chưa có TELEGRAM_BOT_TOKEN (hay ZALO_BOT_TOKEN cho Zalo: Zalo Bot Manager → Tạo bot).
  • Tạo bot với @BotFather trên Telegram (/newbot), rồi đặt mã vào biến môi trường
    TELEGRAM_BOT_TOKEN hoặc tệp .env:  TELEGRAM_BOT_TOKEN=123456:ABC...
  • Muốn thử ngay trên máy, không cần mã và mạng:  python bot.py playground

TELEGRAM_BOT_TOKEN is not set (nor ZALO_BOT_TOKEN for Zalo: Zalo Bot Manager → Tạo bot).
  • Create a bot with @BotFather in Telegram (/newbot) and put its token in the
    TELEGRAM_BOT_TOKEN environment variable or a .env file.
  • To try the bot locally with no token and no network:  python bot.py playground
"""

ROLE_NAMES = ("organiser", "leader", "secretary", "deputy_secretary", "committee_member", "member")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="bot.py", description="chibot: sinh hoạt chi bộ mẫu")
    p.add_argument("--webhook", metavar="URL", help="run with a webhook at this public URL")
    sub = p.add_subparsers(dest="command")
    sub.add_parser("run", help="run the bot (default)")
    sub.add_parser("migrate", help="upgrade the database schema")
    inv = sub.add_parser("invite", help="print an invite link for a unit and role")
    inv.add_argument("--unit", required=True, help="unit name, e.g. 'Đảng ủy'")
    inv.add_argument("--role", required=True, choices=ROLE_NAMES)
    inv.add_argument("--uses", type=int, default=1)
    inv.add_argument("--days", type=int, default=7)
    inv.add_argument("--bot-username", help="skip asking Telegram for the bot's username")
    pg = sub.add_parser("playground", help="local Bot API stub + bot + terminal chat")
    pg.add_argument("--db", default="playground.db", help="SQLite file for the playground")
    pg.add_argument("--port", type=int, default=0)
    pg.add_argument("--story", action="store_true", help="start with the demo (:story)")
    pg.add_argument(
        "--channel", choices=("telegram", "zalo"), default="telegram", help="which stub to chat on"
    )
    sub.add_parser("outbox", help="show pending, sent and failed notification counts")
    imp = sub.add_parser("import-plan", help="extract a draft plan from a document")
    imp.add_argument("file", type=Path)
    imp.add_argument("--json", action="store_true", help="print the draft as JSON")
    return p


def _settings() -> Settings:
    try:
        return load_settings()
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        raise SystemExit(2) from None


def _secrets(settings: Settings) -> list[str]:
    webhook = settings.webhook_secret.get_secret_value() if settings.webhook_secret else ""
    return [
        settings.token() or "",
        webhook,
        settings.zalo_token() or "",
        settings.zalo_secret() or "",
    ]


async def _upgrade_schema(settings: Settings) -> None:
    from core.first_run import database_step
    from storage.engine import make_engine
    from storage.migrate import upgrade

    with database_step(settings.database_url):
        engine = make_engine(settings.database_url)
        try:
            await upgrade(engine)
        finally:
            await engine.dispose()


def run(settings: Settings, webhook_url: str | None) -> None:
    from core.first_run import bot_api_step
    from handlers.application import build_application

    if not settings.token() and not settings.zalo_token():
        print(NO_TOKEN, file=sys.stderr)
        raise SystemExit(2)
    asyncio.run(_upgrade_schema(settings))  # a database that cannot be used stops us here
    app = build_application(settings)
    if settings.zalo_token():
        from channels.zalo.serve import serve_with_zalo

        with bot_api_step(
            settings.telegram_base_url if settings.token() else settings.zalo_base_url
        ):
            asyncio.run(serve_with_zalo(app, settings, webhook_url or settings.webhook_url))
        return
    with bot_api_step(settings.telegram_base_url):
        _run_app(app, settings, webhook_url)


def _run_app(app: Any, settings: Settings, webhook_url: str | None) -> None:
    webhook_url = webhook_url or settings.webhook_url
    if webhook_url:
        from urllib.parse import urlparse

        secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
        app.run_webhook(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            url_path=urlparse(webhook_url).path.lstrip("/"),
            webhook_url=webhook_url,
            secret_token=secret,
            allowed_updates=["message", "callback_query"],
        )
    else:
        app.run_polling(allowed_updates=["message", "callback_query"])


async def _migrate(settings: Settings) -> None:
    from core.first_run import database_step
    from storage.engine import make_engine
    from storage.migrate import current_revision

    await _upgrade_schema(settings)
    with database_step(settings.database_url):
        engine = make_engine(settings.database_url)
        try:
            print(f"schema at revision {await current_revision(engine)}")
        finally:
            await engine.dispose()


async def _invite(settings: Settings, args: argparse.Namespace) -> int:
    from channels.telegram.links import start_link
    from core.clock import SystemClock
    from core.first_run import bot_api_step
    from services import invites, units
    from services.bootstrap import bootstrap
    from services.context import Ctx
    from services.errors import ServiceError
    from services.short_codes import shown
    from storage.engine import make_engine, make_session_factory
    from storage.models import Role

    username = args.bot_username
    if not username:
        token = settings.token()
        if not token:
            print("Set TELEGRAM_BOT_TOKEN or pass --bot-username.", file=sys.stderr)
            return 2
        from telegram import Bot

        with bot_api_step(settings.telegram_base_url):
            async with Bot(token, base_url=settings.telegram_base_url) as bot:
                username = bot.username
    await _upgrade_schema(settings)
    engine = make_engine(settings.database_url)
    try:
        async with make_session_factory(engine)() as session:
            ctx = Ctx(session, SystemClock())
            await bootstrap(ctx, settings.root_unit_name, settings.bootstrap_admin_ids)
            found = await units.find_by_name(ctx, args.unit)
            if len(found) != 1:
                names = ", ".join(u.name for u in await units.all_units(ctx))
                what = "No unit is" if not found else "More than one unit is"
                print(f"{what} called '{args.unit}'. Units: {names}", file=sys.stderr)
                return 2
            try:
                link = await invites.create_invite(
                    ctx,
                    None,
                    found[0].id,  # type: ignore[arg-type]
                    Role(args.role),
                    max_uses=args.uses,
                    ttl=timedelta(days=args.days),
                )
            except ServiceError as exc:
                print(exc.msgid.format(**exc.params), file=sys.stderr)
                return 2
            await session.commit()
        print(start_link(username, link.token))
        if link.code:
            print(f"Mã mời (Zalo) / invite code: {shown(link.code)}")
        return 0
    finally:
        await engine.dispose()


async def _outbox(settings: Settings) -> int:
    from core.clock import SystemClock
    from services import outbox
    from services.context import Ctx
    from storage.engine import make_engine, make_session_factory

    await _upgrade_schema(settings)
    engine = make_engine(settings.database_url)
    try:
        async with make_session_factory(engine)() as session:
            ctx = Ctx(session, SystemClock())
            counts = await outbox.counts(ctx)
            problems = await outbox.problems(ctx)
        for state, n in counts.items():
            print(f"{state:>10}: {n}")
        for p in problems:
            print(
                f"  {p.due_at:%Y-%m-%d %H:%M} UTC {p.kind} to {p.person_name}: {p.state} ({p.error})"
            )
        return 0
    finally:
        await engine.dispose()


def _import_plan(args: argparse.Namespace) -> int:
    from core.i18n import lang
    from services.plan_import import PlanImportError, extract_plan, read_plan_file
    from services.plan_import.plain import draft_lines

    vi = lang("vi")
    try:
        text = read_plan_file(args.file)
    except PlanImportError as exc:
        print(f"Cannot read {args.file}: {exc.detail}", file=sys.stderr)
        return 2
    draft = extract_plan(text)
    if args.json:
        print(json.dumps(draft.to_json(), ensure_ascii=False, indent=2))
        return 0 if not draft.is_empty() else 1
    if draft.is_empty():
        print(
            vi.t(
                "Nothing in {file} looks like a plan (no number, title, sessions or deadlines).",
                file=args.file,
            ),
            file=sys.stderr,
        )
        return 1
    print("\n".join(draft_lines(draft, vi)))
    return 0


def main(argv: list[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    command = args.command or "run"
    if command == "import-plan":
        raise SystemExit(_import_plan(args))
    settings = _settings()
    setup_logging(settings.log_level, _secrets(settings))
    from core.first_run import StartupProblem, fail

    try:
        _command(command, settings, args)
    except StartupProblem as problem:
        fail(problem)


def _command(command: str, settings: Settings, args: argparse.Namespace) -> None:
    if command == "run":
        run(settings, args.webhook)
    elif command == "migrate":
        asyncio.run(_migrate(settings))
    elif command == "outbox":
        raise SystemExit(asyncio.run(_outbox(settings)))
    elif command == "invite":
        raise SystemExit(asyncio.run(_invite(settings, args)))
    elif command == "playground":
        if args.channel == "zalo":
            from playground.zalo_console import main as zalo_playground

            raise SystemExit(zalo_playground(args.db, args.port))
        from playground.console import main as playground_main

        raise SystemExit(playground_main(args.db, args.port, story=args.story))


if __name__ == "__main__":
    main()
