"""Persistence: SQLAlchemy models, sessions, repositories, migrations and the service API."""
