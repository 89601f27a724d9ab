"""Learners and what they did: SQLAlchemy 2 async models, engines, Alembic migrations."""
