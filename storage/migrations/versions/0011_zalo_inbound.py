"""zalo inbound: Zalo deliveries seen (de-duplicated on message_id) and the choices on offer

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01

`zalo_inbound` remembers every Zalo message the bot accepted, so a redelivery (a webhook
retried, a poll repeated, a restart in between) is not handled twice; its id is the update id
the message gets in the flows. `zalo_offer` keeps the numbered choices each Zalo chat was last
offered, so a reply "2" picks the same choice after a restart.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "zalo_inbound",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.String(length=128), nullable=False),
        sa.Column("event_name", sa.String(length=64), nullable=False),
        sa.Column("sender_id", sa.String(length=64), nullable=False),
        sa.Column("received_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("message_id", name="uq_zalo_inbound_message"),
    )
    op.create_table(
        "zalo_offer",
        sa.Column("chat_key", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("choices", sa.JSON(), nullable=False),
        sa.Column("expect", sa.String(length=16), nullable=False),
        sa.Column("offered_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("chat_key"),
    )


def downgrade() -> None:
    op.drop_table("zalo_offer")
    op.drop_table("zalo_inbound")
