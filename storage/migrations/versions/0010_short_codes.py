"""short codes: an invite code beside each invite link, and codes that link a messenger

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("invite_link") as batch:
        batch.add_column(sa.Column("code", sa.String(length=16), nullable=True))
        batch.create_index("ix_invite_link_code", ["code"], unique=True)
    op.create_table(
        "account_link_code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("used_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_account_link_code_code", "account_link_code", ["code"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_account_link_code_code", table_name="account_link_code")
    op.drop_table("account_link_code")
    with op.batch_alter_table("invite_link") as batch:
        batch.drop_index("ix_invite_link_code")
        batch.drop_column("code")
