"""What a host needs to run the bot for many schools: its health, its numbers and its log lines.

    health.py   /healthz (the process answers), /readyz (the database answers, every front end is
                connected) and /metrics, on $PORT: their own small server, or Slack's in HTTP mode
    metrics.py  Prometheus counters and timings by platform, use case and outcome (never a name or an id),
                and `observed`, which wraps each use case of the service facade in them
    logs.py     one line per event, key=value or JSON, with the platform, community and use case of the
                call under way; the configured secrets are masked in every line

It knows no front end, no database and no use case: the cli hands it what to check (import-linter).
"""
