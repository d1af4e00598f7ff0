"""One persistent conversation of a feature: built once by the feature's `handlers()`, with the
fallbacks every flow shares, and the router callbacks that start it from a press or a command
handed over by another flow::

    FLOW = Conversation("feedback", FeedbackDraft)
    router.press(Rate, FLOW.enter())

    def handlers() -> list[BaseHandler]:
        return FLOW.build(entry_points=[...], states={...})
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from telegram.ext import BaseHandler, ConversationHandler

from handlers import router
from handlers.flow import enter, fallbacks, stale_button

Handlers = Sequence[BaseHandler]  # type: ignore[type-arg]


class Conversation:
    def __init__(self, name: str, *states: type) -> None:
        self.name = name
        self.states = states  # the flow's state dataclasses, dropped when it ends
        self.handler: ConversationHandler | None = None  # type: ignore[type-arg]

    def enter(self, otherwise: router.Callback = stale_button) -> router.Callback:
        """A router callback that starts the conversation from one of its entry points
        (`otherwise` when the update is none of them)."""
        return enter(lambda: self.handler, otherwise)

    def build(
        self, *, entry_points: Handlers, states: Mapping[object, Handlers]
    ) -> list[BaseHandler]:  # type: ignore[type-arg]
        self.handler = ConversationHandler(
            name=self.name,
            persistent=True,
            entry_points=list(entry_points),
            states={state: list(found) for state, found in states.items()},  # type: ignore[misc]
            fallbacks=fallbacks(*self.states),
            allow_reentry=True,
        )
        return [self.handler]
