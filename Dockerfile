# The bot as a container image: `docker compose up -d --build` runs it beside PostgreSQL (compose.yaml).
# The README ("Deploying for many schools") lists these commands; a test keeps the two in step.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PORT=3000

WORKDIR /src
# The pinned dependencies first, in a layer of their own: rebuilt only when requirements.txt changes.
COPY requirements.txt ./
RUN pip install -r requirements.txt
# Then the bot, with its question bank and migrations inside the package (pyproject's force-include).
COPY pyproject.toml README.md LICENSE ./
COPY bot ./bot
COPY content ./content
COPY migrations ./migrations
RUN pip install --no-deps .

# It runs as a user of its own, never root, from its home folder (no source tree beside it).
RUN useradd --create-home --uid 10001 studybot
USER studybot
WORKDIR /home/studybot

EXPOSE 3000
# Liveness: /healthz answers while the process does (readiness, /readyz, is for the host's router).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
    CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ['PORT'], timeout=4)"
# Every front end whose token is set; the database is upgraded at start (compose also runs
# `python -m bot db upgrade` first, as the Procfile's release phase does).
CMD ["python", "-m", "bot"]
