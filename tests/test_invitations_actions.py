"""The buttons of the invitations, check-in and roll flows: the wire formats that live outside
the handlers (answer buttons the outbox stores with each invitation, presses tests forge) parse
to the actions that handle them, and no two actions claim the same data."""

from __future__ import annotations

import re

import pytest

from handlers import roll
from handlers.invitations import actions
from handlers.session_header import OpenRoll, PreviewInvitations, ShowGroups, ShowQr
from services.invitations import rsvp_buttons
from ui.actions import Action

ALL: list[type[Action]] = [
    ShowGroups,
    PreviewInvitations,
    ShowQr,
    OpenRoll,
    roll.RefreshRoll,
    roll.OpenManual,
    roll.ManualPage,
    roll.MarkPresent,
    roll.ExportRoll,
    *(
        value
        for value in vars(actions).values()
        if isinstance(value, type) and issubclass(value, Action) and value is not Action
    ),
]


def test_the_answer_buttons_stored_with_an_invitation_are_the_rsvp_actions() -> None:
    ((attend, absent),) = rsvp_buttons(41)
    assert actions.Attend.parse(attend.data) == actions.Attend(41, "y")
    assert actions.Decline.parse(absent.data) == actions.Decline(41, "n")
    assert actions.Attend.parse(absent.data) is None
    assert actions.Decline.parse(attend.data) is None


@pytest.mark.parametrize(
    ("data", "action"),
    [
        ("pc:7", ShowGroups(7)),
        ("pc:r:7:0:0", actions.OpenRoles(7, 0, 0)),
        ("inv:send:7", actions.SendNow(7)),
        ("inv:prev:7", PreviewInvitations(7)),
        ("ck:7", ShowQr(7)),
        ("roll:7", OpenRoll(7)),
        ("roll:x:7", roll.ExportRoll(7)),
        ("pc:w:7:3:5:h", actions.RuleScope(7, 3, 5, actions.Scope.HOST)),
        ("pc:wn:7:5:c", actions.NewByRole(7, 5, actions.Scope.CELLS)),
        ("pc:sc:p", actions.ReachChosen(actions.Reach.PLAN)),
    ],
)
def test_each_press_belongs_to_exactly_one_action(data: str, action: Action) -> None:
    claimed = [cls for cls in ALL if re.match(cls.pattern(), data)]
    assert claimed == [type(action)]
    assert type(action).parse(data) == action
    assert action.pack() == data


@pytest.mark.parametrize(
    "data",
    ["pc:x", "pc:99999999999999999999", "rsvp:1:maybe", "pc:w:1:2:3:z", "roll:mk:1:2", "ck:"],
)
def test_forged_data_is_no_action(data: str) -> None:
    assert [cls for cls in ALL if cls.parse(data) is not None] == []
