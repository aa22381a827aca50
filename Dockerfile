# The one image for every role: `reception run` serves all of them; compose (and later
# issues) start the same image with --web, --bot or --worker for scale.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /srv/reception

# Dependencies change less often than code: install them in their own layer.
COPY pyproject.toml README.md ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt

COPY reception ./reception
COPY storage ./storage
COPY bot ./bot
COPY console ./console
COPY locales ./locales
COPY app ./app
RUN pip install --no-deps . \
    && useradd --system --uid 10001 --home-dir /var/lib/reception reception \
    && mkdir -p /var/lib/reception \
    && chown reception:reception /var/lib/reception

USER reception
ENV RECEPTION_DATA_DIR=/var/lib/reception \
    RECEPTION_HOST=0.0.0.0 \
    RECEPTION_PORT=8080
VOLUME ["/var/lib/reception"]
EXPOSE 8080

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=4)"]

CMD ["reception", "run"]
