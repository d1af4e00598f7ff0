"""Persistence: SQLModel tables, the async engine and Alembic migrations."""
