"""What the /gopy buttons carry and what the conversation keeps between steps."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from core.i18n import N_
from services.feedback import Part
from ui.actions import Action

RATING, WENT_WELL, SHORTCOMINGS, PROPOSALS = range(4)
PART_STATE = {Part.WENT_WELL: WENT_WELL, Part.SHORTCOMINGS: SHORTCOMINGS, Part.PROPOSALS: PROPOSALS}
PARTS = list(Part)
CHOSEN = re.compile(r"^r[1-4]{0,9}$")  # the levels chosen so far, as a Rate press carries them
RETRY = N_("Please type it again, or /huy to stop.")


@dataclass(frozen=True, slots=True)
class StartFeedback(Action, prefix="fb"):
    """The scheduler's button and the picker: open the rating card."""

    session_id: int


@dataclass(frozen=True, slots=True)
class Rate(Action, prefix="fbr"):
    """One more level chosen, or one taken back: `chosen` is "r" and the points so far."""

    session_id: int
    chosen: str


class SkipHow(StrEnum):
    SKIP = "s"  # leave the part empty
    KEEP = "k"  # keep what was written before


@dataclass(frozen=True, slots=True)
class SkipPart(Action, prefix="fbs"):
    session_id: int
    part: Part
    how: SkipHow


@dataclass(slots=True)
class FeedbackDraft:
    """The session being given feedback on, and the text part asked (None: the ratings)."""

    session_id: int
    part: Part | None = None
