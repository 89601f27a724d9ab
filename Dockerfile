# The tutor bot: CPU-only PyTorch, a non-root user. The Devanagari font ships inside the package.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    MPLBACKEND=Agg

WORKDIR /app

# torch first, from the CPU index, so the image carries no CUDA libraries and this layer is cached; its
# own dependencies come with the rest, at their locked versions.
RUN pip install --no-deps --index-url https://download.pytorch.org/whl/cpu torch==2.13.0+cpu

COPY pyproject.toml requirements.lock README.md alembic.ini ./
COPY alembic ./alembic
COPY content ./content
COPY bot ./bot
# Editable install: content/ and alembic/ are found next to the bot package, as in a checkout. Every
# dependency at the version in requirements.lock (scripts/lock.sh), the one the tests ran with.
RUN pip install -c requirements.lock -e . \
    && useradd --create-home --uid 1000 tutor \
    && mkdir -p /app/data /app/out \
    && chown tutor:tutor /app/data /app/out

USER tutor
VOLUME ["/app/data"]

HEALTHCHECK --interval=30s --timeout=15s --start-period=90s --retries=3 \
    CMD ["python", "-m", "bot", "health"]

CMD ["sh", "-c", "python -m bot db upgrade && exec python -m bot"]
