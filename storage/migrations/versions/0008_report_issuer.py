"""who issues and signs a plan's reports: plan.report_issuer (the Ban Tổ chức by default, or
the Ban Thường vụ) and plan.report_signer (the name printed under the signature)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'report_issuer',
                sa.String(length=32),
                nullable=False,
                server_default='organising_board',
            )
        )
        batch_op.add_column(
            sa.Column(
                'report_signer',
                sqlmodel.sql.sqltypes.AutoString(length=120),
                nullable=False,
                server_default='',
            )
        )


def downgrade() -> None:
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.drop_column('report_signer')
        batch_op.drop_column('report_issuer')
