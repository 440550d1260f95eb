"""SQLAlchemy models, engine set-up and queries. Only the service and bootstrap import this."""
