"""channel accounts: a person reaches the bot through one or more messengers

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01

Every Telegram id a person had becomes an account ("telegram", "<id>") of that person. An
account may exist before its person does (someone who wrote to the bot and has not joined).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "channel_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("display_name", sa.String(length=200), nullable=True),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("channel", "external_id", name="uq_channel_account_external"),
    )
    op.create_index("ix_channel_account_person_id", "channel_account", ["person_id"])
    op.execute(
        "INSERT INTO channel_account (channel, external_id, person_id, created_at) "
        "SELECT 'telegram', CAST(telegram_id AS VARCHAR(64)), id, created_at FROM person "
        "WHERE telegram_id IS NOT NULL"
    )


def downgrade() -> None:
    op.drop_index("ix_channel_account_person_id", table_name="channel_account")
    op.drop_table("channel_account")
