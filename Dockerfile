# MitraSehat production image: gunicorn serving config.wsgi, static files by whitenoise.
# The same image runs the web, worker and beat services of docker-compose.yml.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# WeasyPrint (PDF reports) needs Pango and fonts with Indonesian glyphs.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first, so code changes reuse this layer (psycopg2-binary needs no libpq here).
COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY . .

# Static files are collected at build time (whitenoise's manifest storage). The key is a
# throwaway: nothing signed at build time outlives the build.
RUN DJANGO_SETTINGS_MODULE=config.settings.production \
    DJANGO_SECRET_KEY=build-only-dummy-secret-key-never-used-at-run-time-0123456789 \
    DJANGO_ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput

RUN useradd --system --uid 1000 --user-group --home-dir /app --no-create-home app \
    && mkdir -p /app/media \
    && chown app:app /app/media
USER app

ENV DJANGO_SETTINGS_MODULE=config.settings.production \
    MEDIA_ROOT=/app/media

EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", "--access-logfile", "-"]
