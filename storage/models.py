"""SQLModel tables for the organisation tree, people, roles and invite links."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Column, String, UniqueConstraint
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
