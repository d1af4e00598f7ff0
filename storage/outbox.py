"""The durable outbox: every planned message to a person is a row, written in the same
transaction as the change that causes it, and sent by the scheduler when due."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, Index, String, Text
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime


class NoticeState(StrEnum):
    PENDING = "pending"  # waiting for its due time
    SENDING = "sending"  # claimed; the request to Telegram is about to go or went out
    SENT = "sent"
    FAILED = "failed"  # final: blocked by the user, bad request, or retries exhausted
    CANCELLED = "cancelled"  # re-planned away (reschedule, cancel, declined…)
    DROPPED = "dropped"  # its moment passed while the bot was down and it is no longer useful
    UNCERTAIN = "uncertain"  # the process died while the request was on the wire: not re-sent


class Notification(SQLModel, table=True):
    __tablename__ = "notification"
    __table_args__ = (Index("ix_notification_state_due", "state", "due_at"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=200, unique=True)
    kind: str = Field(sa_column=Column(String(40), nullable=False))
    person_id: int = Field(foreign_key="person.id", index=True)
    subject_type: str = Field(sa_column=Column(String(20), nullable=False))
    subject_id: int = Field(default=0)
    due_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    useful_until: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True)
    )
    state: str = Field(
        default=NoticeState.PENDING.value, sa_column=Column(String(16), nullable=False)
    )
    attempts: int = Field(default=0)
    last_error: str | None = Field(default=None, max_length=500)
    payload: str = Field(default="{}", sa_column=Column(Text, nullable=False))
    batch: str | None = Field(default=None, max_length=64, index=True)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    claimed_at: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True)
    )
    sent_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    tg_message_id: int | None = Field(default=None)
