"""Turn an outbox row into the text and buttons its recipient reads, in their language."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from core.i18n import Lang
from services.outbox import Button, decode
from services.vn_datetime import format_date_long, format_datetime_long, format_month
from storage.outbox import Notification


def _param(lang: Lang, value: Any, tz: ZoneInfo) -> Any:
    if isinstance(value, dict):
        if "$dt" in value:
            return format_datetime_long(datetime.fromisoformat(value["$dt"]), lang.locale, tz)
        if "$date" in value:
            return format_date_long(date.fromisoformat(value["$date"]), lang.locale, tz)
        if "$month" in value:
            year, month = (int(x) for x in str(value["$month"]).split("-"))
            return format_month(year, month, lang.locale)
        if "$t" in value:
            return lang.t(str(value["$t"]))
    return value


def render_parts(
    lang: Lang, msgid: str, params: dict[str, Any], buttons: list[list[Button]], tz: ZoneInfo
) -> tuple[str, InlineKeyboardMarkup | None]:
    text = lang.t(msgid, **{k: _param(lang, v, tz) for k, v in params.items()})
    markup = (
        InlineKeyboardMarkup(
            [
                [InlineKeyboardButton(lang.t(b.label), callback_data=b.data) for b in row]
                for row in buttons
            ]
        )
        if buttons
        else None
    )
    return text, markup


def render(
    notification: Notification, locale: str, tz: ZoneInfo
) -> tuple[str, InlineKeyboardMarkup | None]:
    msgid, params, buttons = decode(notification)
    return render_parts(Lang(locale), msgid, params, buttons, tz)
