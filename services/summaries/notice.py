"""The summary the scheduler sends to leaders and organisers when feedback on a session closes
(the preparer of its notification kind)."""

from __future__ import annotations

import asyncio

from core.i18n import Lang
from services.context import Ctx
from services.preparers import Due, Prepared, prepares, reach_late_joiners
from services.reminders import SUMMARY, current_session, summary_readers
from services.sessions.held import hold_ended
from services.summaries.charts import session_ratings_chart
from services.summaries.session import build_session_summary
from services.summaries.session_text import render_session_summary

# --------------------------------------------------------------------------- the scheduler


async def summary_message(ctx: Ctx, session_id: int, locale: str) -> tuple[str, bytes | None]:
    """The text of a session's summary in `locale` and its rating chart (PNG, None without
    ratings). Called when feedback on the session closes; no permission check (the caller
    sends it to the session's readers)."""
    lang = Lang(locale)
    summary = await build_session_summary(ctx, session_id)
    text = render_session_summary(lang, summary)
    chart = await asyncio.to_thread(session_ratings_chart, lang, summary)
    return text, chart


@prepares(SUMMARY)
async def _prepare_summary(ctx: Ctx, due: Due) -> Prepared | None:
    """The summary row of a session, written when feedback closes (unless the session was
    cancelled or moved since it was planned). Its readers are resolved now: whoever joined
    the issuer's organisers or leaders since it was planned gets it too."""
    session = await current_session(ctx, due.row)
    if session is None:
        return None
    await hold_ended(ctx, session_id=session.id)
    await reach_late_joiners(ctx, due.row, await summary_readers(ctx, session))
    text, photo = await summary_message(ctx, session.id, due.locale)  # type: ignore[arg-type]
    return Prepared(text=text, photo=photo)
