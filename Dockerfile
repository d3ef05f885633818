# Production-like image: gunicorn serving Django, whitenoise serving the static files.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
# WeasyPrint needs Pango; fonts are embedded in the PDFs it writes.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
      libharfbuzz-subset0 fonts-liberation curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 1000 earlyhelp \
 && mkdir -p /data/media && chown earlyhelp /data/media

WORKDIR /app
COPY requirements.lock pyproject.toml ./
RUN pip install -r requirements.lock
COPY . .
RUN DJANGO_ENV=build python manage.py collectstatic --no-input -v 0

USER earlyhelp
EXPOSE 8000
# --preload: the application is loaded once and its start-up objects frozen before the workers
# fork (config/process.py), so they share those pages and are all ready together.
# The access log writes the path alone (%(U)s): a query string or a referrer can hold a person
# search (names, dates of birth), which must never reach the logs.
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--preload", \
     "--access-logfile", "-", "--forwarded-allow-ips", "*", \
     "--access-logformat", "%(h)s %(t)s \"%(m)s %(U)s\" %(s)s %(B)s %(M)sms"]
