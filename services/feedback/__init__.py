"""Delegates' feedback (góp ý) on a model session they attended, and how a session is scored.

Who and when: only people who checked in (a `CheckIn` row) give feedback, from their check-in
until feedback closes: `feedback_days` (per plan, 3 by default) after the session's end
(start + duration). Until then a delegate may give it again: the ratings are replaced and the
three texts can be changed one by one.

What: a rating per criterion and an overall level, each stored as points (1 kém, 2 trung
bình, 3 khá, 4 tốt), and three free texts: mặt làm được, hạn chế, đề xuất (each may be left
empty).

Scoring (per plan, `PlanFeedbackConfig`; defaults after the provincial guidance under
Hướng dẫn 12-HD/BTCTW, which scores a meeting out of 100 — preparation 15, attendance 20,
conduct 45, closing 20 — with Tốt ≥ 90, Khá 70–89, Trung bình 50–69, Kém < 50, and expects
more than 85% attendance and at least 90 minutes):

* each rated criterion earns `weight × average rating / 4` (tốt = full weight, khá = 3/4,
  trung bình = 1/2, kém = 1/4: a session rated "khá" throughout, with the expected attendance,
  scores 75 + …, i.e. lands in the Khá band); criteria nobody rated share their weight with
  the others;
* attendance (from the roll: invitees who checked in / invitees) earns the attendance weight
  in full from the expected rate on, proportionally below it;
* the level follows the thresholds, except that a session with attendance not above the
  expected rate, or shorter than the minimum duration, is at best Khá (`capped`).

The default criteria split "conduct" (45) into procedure and chairing, content, discussion
(15 each) and call "closing" the conclusion and resolution (20).
"""

from __future__ import annotations

from services.feedback.answers import (
    check_comment,
    has_feedback,
    my_score,
    save_ratings,
    set_comment,
)
from services.feedback.config import can_configure, config_for, configure, parse_numbers
from services.feedback.form import Attendance, Form, Saved, attendance, form
from services.feedback.open import OpenSession, open_for
from services.feedback.period import closes_at, closes_at_for, session_end
from services.feedback.scoring import (
    ATTENDANCE_KEY,
    DEFAULT_ATTENDANCE_WEIGHT,
    DEFAULT_CRITERIA,
    DEFAULT_FEEDBACK_DAYS,
    DEFAULT_LABELS,
    DEFAULT_MIN_ATTENDANCE_PCT,
    DEFAULT_MIN_MINUTES,
    DEFAULT_THRESHOLDS,
    LEVEL_LABELS,
    LEVELS_BEST_FIRST,
    MAX_COMMENT,
    MAX_CRITERIA,
    MAX_FEEDBACK_DAYS,
    MAX_POINTS,
    PART_LABELS,
    POINT_LEVELS,
    RATING_POINTS,
    Criterion,
    Level,
    Part,
    Score,
    ScoringConfig,
    averages_from_counts,
    compute_score,
    criterion_label,
    level_for,
)

__all__ = [
    "ATTENDANCE_KEY",
    "DEFAULT_ATTENDANCE_WEIGHT",
    "DEFAULT_CRITERIA",
    "DEFAULT_FEEDBACK_DAYS",
    "DEFAULT_LABELS",
    "DEFAULT_MIN_ATTENDANCE_PCT",
    "DEFAULT_MIN_MINUTES",
    "DEFAULT_THRESHOLDS",
    "LEVELS_BEST_FIRST",
    "LEVEL_LABELS",
    "MAX_COMMENT",
    "MAX_CRITERIA",
    "MAX_FEEDBACK_DAYS",
    "MAX_POINTS",
    "PART_LABELS",
    "POINT_LEVELS",
    "RATING_POINTS",
    "Attendance",
    "Criterion",
    "Form",
    "Level",
    "OpenSession",
    "Part",
    "Saved",
    "Score",
    "ScoringConfig",
    "attendance",
    "averages_from_counts",
    "can_configure",
    "check_comment",
    "closes_at",
    "closes_at_for",
    "compute_score",
    "config_for",
    "configure",
    "criterion_label",
    "form",
    "has_feedback",
    "level_for",
    "my_score",
    "open_for",
    "parse_numbers",
    "save_ratings",
    "session_end",
    "set_comment",
]
