# The rocbap image: one image for the web process (gunicorn + whitenoise), the Celery worker and Celery beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VAR_DIR=/var/lib/rocbap \
    STATIC_ROOT=/app/staticfiles \
    LOG_FORMAT=json

# WeasyPrint needs Pango; the report is set in DejaVu, and the Noto fonts print quotes in every script of the
# region (the same packages as bin/setup.sh). postgresql-client gives pg_dump/pg_restore for backups.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
       fonts-noto-core fonts-noto-cjk postgresql-client \
       gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# Dependencies first, so that a code change does not reinstall them: the pinned versions of the lock file, each
# file checked against its hash (bin/lock writes requirements/runtime.txt from pyproject.toml's ranges).
COPY requirements/pip.txt requirements/runtime.txt requirements/
RUN pip install --require-hashes -r requirements/pip.txt && pip install --require-hashes -r requirements/runtime.txt
COPY . .

# The translations (locale/) are compiled into the image: .mo files are never committed.
RUN SECRET_KEY=compilemessages-only-not-a-secret-0123456789ab VAR_DIR=/tmp/build-var \
    python manage.py compilemessages --ignore=var -v0 \
    && rm -rf /tmp/build-var

# Static files are part of the image (whitenoise serves them); the build needs a key but keeps none.
RUN SECRET_KEY=collectstatic-only-not-a-secret-0123456789abcdef VAR_DIR=/tmp/build-var \
    python manage.py collectstatic --noinput --verbosity 0 \
    && rm -rf /tmp/build-var

RUN useradd --system --uid 10001 --home-dir /app rocbap \
    && mkdir -p "$VAR_DIR" && chown rocbap "$VAR_DIR"
USER rocbap
EXPOSE 8000

# Bind, workers, timeout and the logs (masked like every other log) are in deploy/gunicorn.conf.py.
CMD ["gunicorn", "rocbap.wsgi", "-c", "deploy/gunicorn.conf.py"]
