# syntax=docker/dockerfile:1
# Bosun production image: gunicorn by default; the same image runs the Celery worker, beat and
# migrations (see docker-compose.yml and docs/operations.md).

# --- Front-end assets: pinned by package-lock.json ---------------------------------------------
FROM node:20-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

# --- Application ------------------------------------------------------------------------------
FROM python:3.11-slim AS app

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    WEB_CONCURRENCY=3

RUN groupadd --system bosun \
    && useradd --system --gid bosun --create-home --home-dir /home/bosun \
       --shell /usr/sbin/nologin bosun

WORKDIR /app

# Runtime dependencies only (requirements-dev.txt stays out of the image).
COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY . .
COPY --from=assets /build/node_modules/@picocss/pico/css/pico.min.css static/vendor/pico.min.css
COPY --from=assets /build/node_modules/sortablejs/Sortable.min.js static/vendor/Sortable.min.js

# Production settings refuse to load without SECRET_KEY and ALLOWED_HOSTS. collectstatic needs
# neither a real key nor a database, so throwaway values are given to this one command only;
# they are not left in the image's environment.
RUN SECRET_KEY=collectstatic-only-not-a-secret \
    ALLOWED_HOSTS=localhost \
    DATABASE_URL=sqlite:////tmp/collectstatic.sqlite3 \
    python manage.py collectstatic --no-input \
    && rm -f /tmp/collectstatic.sqlite3 \
    && mkdir -p var/media \
    && chown bosun:bosun var var/media

# The code stays owned by root: the app user can read it but not change it.
USER bosun

EXPOSE 8000

# gunicorn takes its worker count from WEB_CONCURRENCY (default 3 above; ~2 x CPU cores + 1).
CMD ["gunicorn", "config.wsgi:application", \
     "--bind", "0.0.0.0:8000", \
     "--worker-tmp-dir", "/dev/shm", \
     "--access-logfile", "-"]
