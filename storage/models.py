"""SQLModel tables for the organisation tree, people, roles and invite links."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime


class UnitKind(StrEnum):
    COMMITTEE = "committee"  # Đảng ủy / Huyện ủy / Ban Thường vụ
    GRASSROOTS = "grassroots"  # đảng bộ cơ sở
    SUB_COMMITTEE = "sub_committee"  # đảng bộ bộ phận
    CELL = "cell"  # chi bộ


class Role(StrEnum):
    ORGANISER = "organiser"
    LEADER = "leader"
    SECRETARY = "secretary"
    DEPUTY_SECRETARY = "deputy_secretary"
    COMMITTEE_MEMBER = "committee_member"
    MEMBER = "member"


def _enum_col(length: int = 32) -> Column[str]:
    return Column(String(length), nullable=False)


class Unit(SQLModel, table=True):
    __tablename__ = "unit"
    __table_args__ = (UniqueConstraint("parent_id", "name", name="uq_unit_parent_name"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, index=True)
    kind: UnitKind = Field(sa_column=_enum_col())
    parent_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class Person(SQLModel, table=True):
    __tablename__ = "person"

    id: int | None = Field(default=None, primary_key=True)
    telegram_id: int | None = Field(
        default=None, sa_column=Column(BigInteger, unique=True, nullable=True)
    )
    zalo_id: str | None = Field(default=None, max_length=64, unique=True)
    full_name: str = Field(default="", max_length=120)
    position: str = Field(default="", max_length=120)
    locale: str | None = Field(default=None, max_length=8)
    blocked_bot: bool = Field(default=False)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class Membership(SQLModel, table=True):
    __tablename__ = "membership"
    __table_args__ = (
        UniqueConstraint("person_id", "unit_id", "role", name="uq_membership_person_unit_role"),
    )

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    role: Role = Field(sa_column=_enum_col())
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class InviteLink(SQLModel, table=True):
    __tablename__ = "invite_link"

    id: int | None = Field(default=None, primary_key=True)
    token: str = Field(max_length=64, unique=True, index=True)
    # What people type where no link can carry the token (Zalo): see services/short_codes.py.
    code: str | None = Field(default=None, max_length=16, unique=True, index=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    role: Role = Field(sa_column=_enum_col())
    created_by_id: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    expires_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    max_uses: int = Field(default=1)
    uses: int = Field(default=0)
    revoked_at: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True)
    )


# --------------------------------------------------------------------------- plans and sessions


class PlanStatus(StrEnum):
    DRAFT = "draft"
    ISSUED = "issued"
    CLOSED = "closed"


class SessionKind(StrEnum):
    THUONG_KY = "thuong_ky"  # sinh hoạt thường kỳ
    CHUYEN_DE = "chuyen_de"  # sinh hoạt chuyên đề (topic required)
    HOI_THAO = "hoi_thao"  # hội thảo


class SessionStatus(StrEnum):
    TENTATIVE = "tentative"  # only the month is known
    SCHEDULED = "scheduled"
    HELD = "held"
    CANCELLED = "cancelled"


class ContentStatus(StrEnum):
    NONE = "none"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"


class SessionChangeKind(StrEnum):
    CREATED = "created"
    EDITED = "edited"
    RESCHEDULED = "rescheduled"
    FIRMED_UP = "firmed_up"
    CANCELLED = "cancelled"
    HELD = "held"


class RequirementKind(StrEnum):
    REPORT_SESSIONS = "report_sessions"
    DOCUMENT = "document"


class TargetStatus(StrEnum):
    """Stored: pending or submitted. `late` is computed against the clock (never stored)."""

    PENDING = "pending"
    SUBMITTED = "submitted"
    LATE = "late"


class DocumentPurpose(StrEnum):
    THAM_LUAN = "tham_luan"
    AGENDA = "agenda"
    DRAFT_RESOLUTION = "draft_resolution"
    TOPIC_PAPER = "topic_paper"
    OTHER = "other"


class ReviewAction(StrEnum):
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"


class ReportIssuer(StrEnum):
    """Who issues and signs a plan's reports: the Ban Tổ chức of the issuing committee (its
    head signs) or the committee's Ban Thường vụ (its secretary signs on its behalf)."""

    ORGANISING_BOARD = "organising_board"
    STANDING_COMMITTEE = "standing_committee"


class Plan(SQLModel, table=True):
    """A KẾ HOẠCH issued by a unit."""

    __tablename__ = "plan"
    __table_args__ = (UniqueConstraint("issuer_unit_id", "number", name="uq_plan_issuer_number"),)

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=50)  # "82-KH/ĐU"
    title: str = Field(max_length=300)
    issuer_unit_id: int = Field(foreign_key="unit.id", index=True)
    issued_on: date | None = Field(default=None)
    place: str = Field(default="", max_length=120)
    legal_bases: str = Field(default="", sa_column=Column(Text, nullable=False))  # one per line
    status: PlanStatus = Field(default=PlanStatus.DRAFT, sa_column=_enum_col())
    report_issuer: ReportIssuer = Field(
        default=ReportIssuer.ORGANISING_BOARD,
        sa_column=Column(String(32), nullable=False, server_default="organising_board"),
    )
    report_signer: str = Field(default="", max_length=120)  # the name under the signature
    created_by_id: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class ModelSession(SQLModel, table=True):
    """A model party-cell session (or workshop) of a plan. Not a database session."""

    __tablename__ = "model_session"

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    kind: SessionKind = Field(sa_column=_enum_col())
    topic: str | None = Field(default=None, max_length=300)
    host_unit_id: int = Field(foreign_key="unit.id", index=True)
    starts_at: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True, index=True)
    )
    tentative_year: int | None = Field(default=None)
    tentative_month: int | None = Field(default=None)
    duration_minutes: int = Field(default=120)
    venue: str = Field(default="", max_length=200)
    address: str = Field(default="", max_length=300)
    latitude: float | None = Field(default=None)
    longitude: float | None = Field(default=None)
    status: SessionStatus = Field(default=SessionStatus.TENTATIVE, sa_column=_enum_col())
    cancel_reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    content_status: ContentStatus = Field(default=ContentStatus.NONE, sa_column=_enum_col())
    content_text: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_by_id: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    updated_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class SessionChange(SQLModel, table=True):
    """History of a model session: creation, edits, reschedules, firm-up, cancellation."""

    __tablename__ = "session_change"

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="model_session.id", index=True)
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    by_id: int | None = Field(default=None, foreign_key="person.id")
    kind: SessionChangeKind = Field(sa_column=_enum_col())
    field: str | None = Field(default=None, max_length=32)
    old_value: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    new_value: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class Requirement(SQLModel, table=True):
    """Something a plan asks of units by a deadline."""

    __tablename__ = "requirement"

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    kind: RequirementKind = Field(sa_column=_enum_col())
    description: str = Field(default="", sa_column=Column(Text, nullable=False))
    due_on: date  # local date (Asia/Ho_Chi_Minh)
    due_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))  # end of due_on
    quota_thuong_ky: int = Field(default=0)
    quota_chuyen_de: int = Field(default=0)
    quota_hoi_thao: int = Field(default=0)
    document_purpose: DocumentPurpose | None = Field(
        default=None, sa_column=Column(String(32), nullable=True)
    )
    scope_unit_id: int | None = Field(default=None, foreign_key="unit.id")
    scope_kind: UnitKind | None = Field(default=None, sa_column=Column(String(32), nullable=True))
    created_by_id: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class RequirementTarget(SQLModel, table=True):
    """One unit a requirement applies to, and whether it has delivered."""

    __tablename__ = "requirement_target"
    __table_args__ = (
        UniqueConstraint("requirement_id", "unit_id", name="uq_requirement_target_unit"),
    )

    id: int | None = Field(default=None, primary_key=True)
    requirement_id: int = Field(foreign_key="requirement.id", index=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    status: TargetStatus = Field(default=TargetStatus.PENDING, sa_column=_enum_col())
    submitted_at: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True)
    )


class Document(SQLModel, table=True):
    """Metadata of a file kept on Telegram's servers (fetched again by file_id)."""

    __tablename__ = "document"

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    session_id: int | None = Field(default=None, foreign_key="model_session.id", index=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    requirement_id: int | None = Field(default=None, foreign_key="requirement.id", index=True)
    purpose: DocumentPurpose = Field(sa_column=_enum_col())
    telegram_file_id: str = Field(max_length=256)
    file_unique_id: str = Field(max_length=64)
    file_name: str = Field(max_length=255)
    mime_type: str = Field(default="", max_length=127)
    size: int
    uploaded_by_id: int | None = Field(default=None, foreign_key="person.id")
    uploaded_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class ContentReview(SQLModel, table=True):
    """History of a session's content appraisal (thẩm định)."""

    __tablename__ = "content_review"

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="model_session.id", index=True)
    action: ReviewAction = Field(sa_column=_enum_col())
    by_id: int | None = Field(default=None, foreign_key="person.id")
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    comment: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class ParticipantCategory(SQLModel, table=True):
    """A category of people invited (thành phần tham dự) to a plan's sessions or to one session.

    `label` is the plan's own wording. The optional rule (role, and units: `unit_id` itself, or
    the units of `unit_kind` under it) lets the invitations resolve the category to people."""

    __tablename__ = "participant_category"

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    session_id: int | None = Field(default=None, foreign_key="model_session.id", index=True)
    label: str = Field(sa_column=Column(Text, nullable=False))
    position: int = Field(default=0)
    role: str | None = Field(default=None, sa_column=Column(String(32), nullable=True))
    unit_id: int | None = Field(default=None, foreign_key="unit.id")
    unit_kind: str | None = Field(default=None, sa_column=Column(String(32), nullable=True))
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    # True: the units are the session's host unit (or the units of `unit_kind` under it).
    # Nullable (added in 0005); NULL means False.
    host_unit: bool | None = Field(default=None, sa_column=Column(Boolean, nullable=True))


# --------------------------------------------------------------------------- invitations, check-in


class InvitationStatus(StrEnum):
    INVITED = "invited"  # no answer yet
    ACCEPTED = "accepted"
    DECLINED = "declined"


class CheckinMethod(StrEnum):
    QR = "qr"  # the deep link of the QR code shown at the door
    CODE = "code"  # /diemdanh CODE
    MANUAL = "manual"  # recorded by an organiser
    GUEST = "guest"  # not invited, admitted because the session allows guests


class ParticipantCategoryRole(SQLModel, table=True):
    """The roles a participant category names (a category may name several)."""

    __tablename__ = "participant_category_role"
    __table_args__ = (UniqueConstraint("category_id", "role", name="uq_participant_category_role"),)

    id: int | None = Field(default=None, primary_key=True)
    category_id: int = Field(foreign_key="participant_category.id")
    role: Role = Field(sa_column=_enum_col())


class CategoryPerson(SQLModel, table=True):
    """A person named in a participant category."""

    __tablename__ = "category_person"
    __table_args__ = (UniqueConstraint("category_id", "person_id", name="uq_category_person"),)

    id: int | None = Field(default=None, primary_key=True)
    category_id: int = Field(foreign_key="participant_category.id")
    person_id: int = Field(foreign_key="person.id", index=True)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class Invitation(SQLModel, table=True):
    """A giấy mời to one person for one session, and their answer."""

    __tablename__ = "invitation"
    __table_args__ = (
        UniqueConstraint("session_id", "person_id", name="uq_invitation_session_person"),
    )

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="model_session.id")
    person_id: int = Field(foreign_key="person.id", index=True)
    category_id: int | None = Field(default=None, foreign_key="participant_category.id", index=True)
    status: InvitationStatus = Field(default=InvitationStatus.INVITED, sa_column=_enum_col(16))
    decline_reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    invited_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    invited_by_id: int | None = Field(default=None, foreign_key="person.id")
    answered_at: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True)
    )


class CheckinConfig(SQLModel, table=True):
    """How people check in to one session: the window around its start, guests, and the
    secrets of the QR deep link (`token`) and of `/diemdanh CODE` (`code`)."""

    __tablename__ = "checkin_config"

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="model_session.id", unique=True)
    token: str = Field(max_length=32, unique=True)
    code: str = Field(max_length=6, index=True)
    opens_before_minutes: int = Field(default=30)
    closes_after_minutes: int = Field(default=60)
    late_after_minutes: int = Field(default=15)
    allow_guests: bool = Field(default=False)
    created_by_id: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class CheckIn(SQLModel, table=True):
    """A person present at a session (at most once)."""

    __tablename__ = "checkin"
    __table_args__ = (
        UniqueConstraint("session_id", "person_id", name="uq_checkin_session_person"),
    )

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="model_session.id")
    person_id: int = Field(foreign_key="person.id", index=True)
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    late: bool = Field(default=False)
    method: CheckinMethod = Field(sa_column=_enum_col(16))
    guest: bool = Field(default=False)
    by_id: int | None = Field(default=None, foreign_key="person.id")  # manual check-ins


class CheckinAttempt(SQLModel, table=True):
    """A wrong check-in code typed by a person (the guessing limit counts these)."""

    __tablename__ = "checkin_attempt"
    __table_args__ = (Index("ix_checkin_attempt_person_at", "person_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id")
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    code: str = Field(default="", max_length=16)


# --------------------------------------------------------------------------- feedback (góp ý)


class PlanFeedbackConfig(SQLModel, table=True):
    """How a plan's sessions are rated and when feedback closes (one row per plan; a plan
    without a row uses the defaults of services.feedback).

    `criteria` is a JSON list of {"key", "label", "weight"} objects, in the order delegates
    rate them; `label` is empty for the default criteria (translated by the bot) or the
    plan's own wording. Thresholds are scores out of 100."""

    __tablename__ = "plan_feedback_config"

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", unique=True)
    criteria: list[dict[str, Any]] = Field(sa_column=Column(JSON, nullable=False))
    attendance_weight: int = Field(default=20)
    good_from: int = Field(default=90)  # Tốt: score >= good_from
    fair_from: int = Field(default=70)  # Khá
    average_from: int = Field(default=50)  # Trung bình; below: Kém
    min_attendance_pct: int = Field(default=85)
    min_minutes: int = Field(default=90)
    feedback_days: int = Field(default=3)  # feedback closes this many days after the end
    show_names: bool = Field(default=False)  # comments shown with names (else anonymised)
    updated_by_id: int | None = Field(default=None, foreign_key="person.id")
    updated_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class Feedback(SQLModel, table=True):
    """A delegate's feedback on a session they attended: their overall level (1 kém … 4 tốt)
    and the three free-text parts. The ratings per criterion are `FeedbackRating` rows."""

    __tablename__ = "feedback"
    __table_args__ = (
        UniqueConstraint("session_id", "person_id", name="uq_feedback_session_person"),
    )

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="model_session.id")
    person_id: int = Field(foreign_key="person.id", index=True)
    overall: int  # 1 kém, 2 trung bình, 3 khá, 4 tốt
    went_well: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    shortcomings: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    proposals: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    revisions: int = Field(default=0)  # times the ratings were given again
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    updated_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class FeedbackRating(SQLModel, table=True):
    """One criterion rated in one feedback (1 kém … 4 tốt). `session_id` repeats the
    feedback's session so that summaries group ratings without a join."""

    __tablename__ = "feedback_rating"
    __table_args__ = (
        UniqueConstraint("feedback_id", "criterion", name="uq_feedback_rating_criterion"),
        Index("ix_feedback_rating_session_criterion", "session_id", "criterion", "value"),
    )

    id: int | None = Field(default=None, primary_key=True)
    feedback_id: int = Field(foreign_key="feedback.id")
    session_id: int = Field(foreign_key="model_session.id")
    criterion: str = Field(max_length=32)
    value: int


# One metadata for every table: the outbox lives in its own module.
from storage.outbox import NoticeState, Notification  # noqa: E402, F401


class ConversationState(SQLModel, table=True):
    """What python-telegram-bot keeps between updates (see storage.persistence): one row per
    person's `user_data` (scope "user") or per open conversation (scope "conv:<name>"). The value
    is pickled so that any dataclass typed into a half-finished conversation survives."""

    __tablename__ = "conversation_state"
    __table_args__ = (UniqueConstraint("scope", "key", name="uq_conversation_state_scope_key"),)

    id: int | None = Field(default=None, primary_key=True)
    scope: str = Field(max_length=120)
    key: str = Field(max_length=200)
    value: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    updated_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class Channel(StrEnum):
    TELEGRAM = "telegram"
    ZALO = "zalo"


class ChannelAccount(SQLModel, table=True):
    """How a person (or someone not yet joined: person_id None) reaches the bot on one channel.
    `external_id` is the channel's own id as text (Zalo ids are strings)."""

    __tablename__ = "channel_account"
    __table_args__ = (
        UniqueConstraint("channel", "external_id", name="uq_channel_account_external"),
    )

    id: int | None = Field(default=None, primary_key=True)
    channel: Channel = Field(sa_column=Column(String(16), nullable=False))
    external_id: str = Field(max_length=64)
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    display_name: str | None = Field(default=None, max_length=200)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    last_seen_at: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True)
    )


class AccountLinkCode(SQLModel, table=True):
    """A short code a person types on a second messenger to link it to their account."""

    __tablename__ = "account_link_code"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=16, unique=True, index=True)
    person_id: int = Field(foreign_key="person.id")
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    expires_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    used_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class ZaloInbound(SQLModel, table=True):
    """A Zalo message the bot accepted (a redelivery of the same message_id is dropped); its id
    is the update id the message has in the flows."""

    __tablename__ = "zalo_inbound"
    __table_args__ = (UniqueConstraint("message_id", name="uq_zalo_inbound_message"),)

    id: int | None = Field(default=None, primary_key=True)
    message_id: str = Field(max_length=128)
    event_name: str = Field(max_length=64)
    sender_id: str = Field(max_length=64)
    received_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class ZaloOffer(SQLModel, table=True):
    """The numbered choices a Zalo chat was last offered: [[label, packed action], ...]."""

    __tablename__ = "zalo_offer"

    chat_key: int = Field(sa_column=Column(BigInteger(), primary_key=True, autoincrement=False))
    choices: list[Any] = Field(sa_column=Column(JSON(), nullable=False))
    expect: str = Field(max_length=16)
    offered_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
