"""Notice parameters as JSON in an outbox row, and back: datetimes, dates, months and catalog
messages keep their type so the row is worded in the recipient's language when it is sent."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from core.i18n import Msgid
from services.vn_datetime import MonthOnly


def dt_param(value: datetime) -> dict[str, str]:
    """A datetime parameter, formatted in the recipient's language when sent."""
    return {"$dt": value.isoformat()}


def msg_param(msgid: str) -> dict[str, str]:
    """A parameter that is itself a catalog message, translated when sent."""
    return {"$t": msgid}


def encode_params(params: dict[str, Any]) -> dict[str, Any]:
    """Notice parameters (see services.notifications) as JSON-safe values."""
    out: dict[str, Any] = {}
    for key, value in params.items():
        if isinstance(value, Msgid):
            out[key] = msg_param(value)
        elif isinstance(value, datetime):
            out[key] = dt_param(value)
        elif isinstance(value, date):
            out[key] = {"$date": value.isoformat()}
        elif isinstance(value, MonthOnly):
            out[key] = {"$month": f"{value.year:04d}-{value.month:02d}"}
        else:
            out[key] = value
    return out


def decode_params(params: dict[str, Any]) -> dict[str, Any]:
    """The inverse of `encode_params`."""
    out: dict[str, Any] = {}
    for key, value in params.items():
        if isinstance(value, dict) and len(value) == 1:
            ((tag, raw),) = value.items()
            if tag == "$dt":
                value = datetime.fromisoformat(raw)
            elif tag == "$date":
                value = date.fromisoformat(raw)
            elif tag == "$month":
                year, month = (int(x) for x in str(raw).split("-"))
                value = MonthOnly(year, month)
            elif tag == "$t":
                value = Msgid(raw)
        out[key] = value
    return out
