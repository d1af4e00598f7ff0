"""The preamble every handler shares, in one place.

A flow step is an async function of a `Turn`: it reads the input, calls services inside the
turn's unit of work, and `show`s screens. `@step` opens the unit of work, finds who is asking,
parses the pressed action (a forged or stale press gets a polite answer, never the function),
renders a `ServiceError` politely after rolling back, acknowledges the press, and draws the
screens after the commit::

    @step(action=RenamePicked, on_error=END)
    async def rename_picked(turn: Turn, pressed: RenamePicked) -> int | None:
        unit = await units.get_unit(turn.ctx, pressed.unit_id)
        turn.put(RenameDraft(unit.id))
        turn.show(Screen.of(turn.lang.t("Type the new name for “{name}”.", name=unit.name)))
        return TYPE_RENAME

The return value is the conversation's next state (None: stay where it is).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar, overload

from telegram import Message, Update
from telegram.error import TelegramError
from telegram.ext import ConversationHandler

from channels import route
from channels.telegram import render
from channels.telegram.links import start_link
from core.clock import Clock
from core.config import Settings
from core.i18n import Lang
from handlers.common import Context, Who, error_text, lang_only, who
from handlers.deps import deps
from handlers.router import menu_for
from services.context import Ctx
from services.errors import Conflict, InvalidInput, ServiceError
from ui.actions import Action
from ui.screen import Choice, Expect, Mode, Screen

log = logging.getLogger(__name__)
END = ConversationHandler.END
STAY = None
Where = render.Shown  # where a screen was drawn (opaque to flows; picklable)
Redraw = Callable[[Screen], Awaitable[bool]]  # update a drawn screen; False if it could not
Later = Callable[[], Awaitable[None]]
A = TypeVar("A", bound=Action)
S = TypeVar("S")


@dataclass(slots=True)
class Turn:
    """One update being handled: who asks, in which language, the unit of work, the replies."""

    update: Update
    context: Context
    ctx: Ctx
    me: Who
    screens: list[Screen] = field(default_factory=list)
    later: list[Later] = field(default_factory=list)  # run after the screens are drawn

    @property
    def lang(self) -> Lang:
        return self.me.lang

    @property
    def settings(self) -> Settings:
        return deps(self.context).settings

    @property
    def clock(self) -> Clock:
        return self.ctx.clock

    @property
    def text(self) -> str:
        """The typed text ('' for a press, a file or a photo)."""
        message = self.update.effective_message
        return (message.text or "") if message is not None and self.update.message else ""

    def show(self, *screens: Screen) -> None:
        self.screens.extend(screens)

    def say(self, text: str, **screen: Any) -> None:
        self.screens.append(Screen.of(text, **screen))

    def drop_choices(self) -> None:
        """The message pressed keeps its text and loses its buttons (a question answered: a
        second press would do it twice). Nothing happens for a typed message."""
        query = self.update.callback_query
        message = query.message if query is not None else None
        text = getattr(message, "text", None) or getattr(message, "caption", None)
        if text:
            self.screens.append(Screen(text=text, mode=Mode.REPLACE))

    def swap_choices(
        self, rows: Sequence[Sequence[Choice]], expect: Expect = Expect.CHOICE
    ) -> None:
        """The message pressed keeps its text and shows `rows` instead of its buttons (a page
        of a picker turned). Nothing happens for a typed message."""
        query = self.update.callback_query
        message = query.message if query is not None else None
        text = getattr(message, "text", None) or getattr(message, "caption", None)
        if text:
            self.screens.append(Screen.of(text, rows=rows, mode=Mode.REPLACE, expect=expect))

    def here(self) -> Where | None:
        """Where the screen whose button was pressed is drawn (to update it from a later
        step, see `redraw`); None for a typed message."""
        query = self.update.callback_query
        message = query.message if query is not None else None
        return render.shown(message) if isinstance(message, Message) else None

    def redraw(self, where: Where, screen: Screen) -> None:
        """Update a screen drawn earlier (not the one answered: that is `Mode.REPLACE`),
        after this step's screens; one that can no longer be changed stays as it was."""
        update = redrawing(self.context, where)

        async def later() -> None:
            await update(screen)

        self.later.append(later)

    def show_progress(self, screen: Screen, watch: Callable[[Redraw | None], None]) -> None:
        """Show a progress report (a new message) after this step's screens and hand `watch`
        the way to update it (from a background task), or None when it could not be drawn."""
        chat, context = self.update.effective_chat, self.context

        async def later() -> None:
            drawn = await route.current().send(context.bot, chat.id, screen) if chat else None
            where = render.shown(drawn)
            watch(redrawing(context, where) if where is not None else None)

        self.later.append(later)

    def start_link(self, payload: str) -> str:
        """The link that opens this bot with `payload` (invite links, check-in QR codes)."""
        return start_link(self.context.bot.username, payload)

    # Typed conversation state: one dataclass per flow, kept under its class name.
    def get(self, kind: type[S]) -> S | None:
        data = self.context.user_data
        value = data.get(kind.__name__) if data is not None else None
        return value if isinstance(value, kind) else None

    def put(self, value: object) -> None:
        if self.context.user_data is not None:
            self.context.user_data[type(value).__name__] = value

    def drop(self, kind: type) -> None:
        if self.context.user_data is not None:
            self.context.user_data.pop(kind.__name__, None)


def redrawing(context: Context, where: Where) -> Redraw:
    """A function that updates the screen drawn at `where` (failures are logged, never raised)."""
    bot = context.bot

    async def redraw(screen: Screen) -> bool:
        try:
            await route.current().edit(bot, where, screen)
        except TelegramError as exc:
            log.info("screen at %s not updated: %s", where, exc)
            return False
        return True

    return redraw


async def draw(update: Update, screens: list[Screen]) -> None:
    """Acknowledge the press (with the first toast) and draw the screens in order."""
    toast = next((s.toast for s in screens if s.toast), None)
    renderer = route.current()
    await renderer.ack(update, toast)
    for screen in screens:
        if screen.text or screen.attachments:
            await renderer.show(update, screen)


StepFn = Callable[..., Awaitable[int | None]]


OnError = int | None | Callable[[ServiceError], int | None]
Handler = Callable[[Update, Context], Awaitable[int | None]]
Retry = str | Callable[[Lang], str] | None  # a msgid, or a hint with parameters


def retry_or_end(exc: ServiceError) -> int | None:
    """Input that broke a rule may be typed again; anything else ends the flow."""
    return STAY if isinstance(exc, InvalidInput | Conflict) else END


def retry_if_invalid(exc: ServiceError) -> int | None:
    """Only input that broke a rule may be typed again; anything else (a conflict, a refusal)
    ends the flow."""
    return STAY if isinstance(exc, InvalidInput) else END


@overload
def step(fn: StepFn, /) -> Handler: ...
@overload
def step(
    *,
    action: type[Action] | None = ...,
    needs: type | None = ...,
    on_error: OnError = ...,
    retry: Retry = ...,
    hold_sending: bool = ...,
    recover: StepFn | None = ...,
) -> Callable[[StepFn], Handler]: ...


def step(
    fn: StepFn | None = None,
    /,
    *,
    action: type[Action] | None = None,
    needs: type | None = None,
    on_error: OnError = STAY,
    retry: Retry = None,
    hold_sending: bool = False,
    recover: StepFn | None = None,
) -> Any:
    """Wrap a flow step (see the module docstring).

    `action`: the press this step answers; the step gets it parsed as its next argument.
    `needs`: the flow's state dataclass; the step gets it as its last argument, and a step
    whose state is gone (dropped by /start) is treated as if no flow were open.
    `on_error`: the state after a ServiceError (STAY: the question stands; END: the flow is
    over, its state dropped; or a function of the error, e.g. `retry_or_end`). `retry`: a msgid
    added to the error when the question stands ("Please type the name again…"), or a function
    of the reader's language that writes the hint (one with parameters).
    `hold_sending`: the outbox sender is not woken at commit (the step wakes it itself once
    it watches the sending, see `Turn.show_progress`).
    `recover`: for a flow whose answers change when a rule refuses them. After a ServiceError
    rolled the unit of work back, `recover(turn, exc, *args)` runs in a fresh one instead of
    the standard error screen and returns the next state; if it raises the error again, the
    standard error screen follows.
    """

    def wrap(inner: StepFn) -> Callable[[Update, Context], Awaitable[int | None]]:
        @functools.wraps(inner)
        async def handler(update: Update, context: Context) -> int | None:
            args: list[Any] = []
            if action is not None:
                query = update.callback_query
                pressed = action.parse(query.data if query is not None else None)
                if pressed is None:
                    _forget(context, needs)
                    await stale(update, context)
                    return END
                args.append(pressed)
            if needs is not None:
                data = context.user_data.get(needs.__name__) if context.user_data else None
                if not isinstance(data, needs):
                    await gone(update, context)
                    return END
                args.append(data)
            screens: list[Screen] = []
            later: list[Later] = []
            hold = {"hold_sending": True} if hold_sending else {}
            try:
                async with deps(context).ctx(**hold) as ctx:
                    me = await who(ctx, update, context)
                    result = await inner(Turn(update, context, ctx, me, screens, later), *args)
            except ServiceError as exc:
                if recover is not None:
                    try:
                        return await _recovered(update, context, recover, exc, args)
                    except ServiceError:
                        pass  # (not one it mends: the standard error screen)
                lang = await lang_only(update, context)
                state = on_error(exc) if callable(on_error) else on_error
                if needs is not None and not isinstance(
                    (context.user_data or {}).get(needs.__name__), needs
                ):
                    state = END  # the step had let go of its answers: the flow is over
                text = error_text(lang, exc)
                if state is STAY and retry:
                    text += "\n" + (retry(lang) if callable(retry) else lang.t(retry))
                if state == END:
                    _forget(context, needs)
                await draw(update, [Screen.of(text)])
                return state
            await draw(update, screens)
            for job in later:
                await job()
            return result

        return handler

    return wrap(fn) if fn is not None else wrap


async def _recovered(
    update: Update, context: Context, recover: StepFn, exc: ServiceError, args: list[Any]
) -> int | None:
    screens: list[Screen] = []
    async with deps(context).ctx() as ctx:
        me = await who(ctx, update, context)
        result = await recover(Turn(update, context, ctx, me, screens), exc, *args)
    await draw(update, screens)
    return result


def _forget(context: Context, kind: type | None) -> None:
    if kind is not None and context.user_data is not None:
        context.user_data.pop(kind.__name__, None)


async def gone(update: Update, context: Context) -> None:
    """A step whose answers were dropped (by /start): as if no conversation were open."""
    async with deps(context).ctx() as ctx:
        me = await who(ctx, update, context)
    await draw(
        update,
        [
            Screen.of(
                me.lang.t(
                    "I didn't understand that. Please use the buttons below, or tap ❓ Help."
                ),
                menu=menu_for(me),
            )
        ],
    )


async def stale(update: Update, context: Context) -> None:
    """A press whose button belongs to a finished step, or data that is not ours."""
    lang = await lang_only(update, context)
    await route.current().ack(update, lang.t("This button is no longer active."))
    await route.current().show(
        update,
        Screen.of(
            lang.t("That button belongs to a finished step. Please start again from the menu.")
        ),
    )
