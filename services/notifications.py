"""What state-changing services hand back besides their result: notices for other people and
warnings for the actor. Pure values: nothing here sends anything.

A `Notice` is channel-free: a person id, a catalog message id and its parameters. Parameter
values follow one convention so any channel renders them the same way (see `render`):

* `Msgid` values are translated in the recipient's language;
* `datetime` values (aware UTC) are shown as a long local date and time;
* `date` values as a long date, `MonthOnly` values as "tháng 5 năm 2025";
* anything else is shown as it is (unit names, plan numbers, reasons typed by people).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from core.i18n import Lang
from services.vn_datetime import MonthOnly, format_date_long, format_datetime_long, format_month

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Notice:
    """A message to deliver to one person."""

    person_id: int
    msgid: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Button:
    """A choice sent with a notice: a catalog message id and the action it stands for."""

    label: str  # catalog message id
    data: str  # action data (callback data on Telegram)


Buttons = tuple[tuple[Button, ...], ...]


@dataclass(frozen=True, slots=True)
class Delivery:
    """How the notices of one change reach people through the outbox."""

    kind: str
    subject_type: str
    subject_id: int
    buttons: Buttons = ()
    useful_until: datetime | None = None  # never sent late after this moment
    batch: str | None = None  # rows watched together (e.g. a progress display)
    key: str | None = None  # a stable key (planning twice sends once); else one per notice


@dataclass(frozen=True, slots=True)
class Queued:
    """Notices recorded on a unit of work, written to the outbox before it commits."""

    notices: tuple[Notice, ...]
    delivery: Delivery


@dataclass(frozen=True, slots=True)
class Advice:
    """A warning for the actor: the change was made, but something deserves a second look."""

    msgid: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Outcome(Generic[T]):
    """The result of a state change, the notices it causes and warnings for the actor."""

    value: T
    notices: list[Notice] = field(default_factory=list)
    warnings: list[Advice] = field(default_factory=list)


def notices_for(
    person_ids: Iterable[int],
    msgid: str,
    params: Mapping[str, Any],
    *,
    exclude: int | None = None,
) -> list[Notice]:
    """One notice per distinct person (in first-seen order), leaving out `exclude` (the actor)."""
    seen: set[int] = set()
    out: list[Notice] = []
    for pid in person_ids:
        if pid in seen or pid == exclude:
            continue
        seen.add(pid)
        out.append(Notice(pid, msgid, dict(params)))
    return out


def render_params(params: Mapping[str, Any], locale: str) -> dict[str, Any]:
    """Format dates and months for `locale`; `Msgid` values are left for `Lang.t`."""
    out: dict[str, Any] = {}
    for key, value in params.items():
        if isinstance(value, datetime):
            out[key] = format_datetime_long(value, locale)
        elif isinstance(value, date):
            out[key] = format_date_long(value, locale)
        elif isinstance(value, MonthOnly):
            out[key] = format_month(value.year, value.month, locale)
        else:
            out[key] = value
    return out


def render(lang: Lang, msgid: str, params: Mapping[str, Any]) -> str:
    """The text of a notice, an advice or a service error in `lang`."""
    return lang.t(msgid, **render_params(params, lang.locale))
