# syntax=docker/dockerfile:1.7
# One image for every process; the command picks the role:
#   docker run IMAGE api | relay | consumer notification|recurring|audit | migrate
#   (also: audit verify, dlq replay <topic>)

ARG PYTHON_IMAGE=python:3.11.11-slim-bookworm
ARG UV_IMAGE=ghcr.io/astral-sh/uv:0.5.11

FROM ${UV_IMAGE} AS uv

# ---- build: resolve nothing, install the pinned lock into a venv, then the project ----------
FROM ${PYTHON_IMAGE} AS build
COPY --from=uv /uv /usr/local/bin/uv
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_NO_CACHE=1 \
    VIRTUAL_ENV=/opt/venv
RUN uv venv /opt/venv --python /usr/local/bin/python3.11
WORKDIR /src
# Dependencies first: this layer changes only when the lock does.
COPY requirements-runtime.lock ./
RUN uv pip install --python /opt/venv/bin/python -r requirements-runtime.lock
COPY pyproject.toml README.md ./
COPY core ./core
COPY domain ./domain
COPY transport ./transport
COPY tools ./tools
COPY skills ./skills
COPY graph ./graph
COPY consumers ./consumers
COPY api ./api
COPY runtime ./runtime
COPY prompts ./prompts
COPY system_prompts ./system_prompts
RUN uv pip install --python /opt/venv/bin/python --no-deps . \
    && /opt/venv/bin/todo-agent --help >/dev/null

# ---- runtime: the venv and nothing else; no compilers, no uv, non-root ---------------------
FROM ${PYTHON_IMAGE} AS runtime
ARG APP_UID=10001
RUN groupadd --system --gid ${APP_UID} app \
    && useradd --system --uid ${APP_UID} --gid app --home-dir /nonexistent --no-create-home \
       --shell /usr/sbin/nologin app
COPY --from=build /opt/venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH \
    VIRTUAL_ENV=/opt/venv \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    HOME=/tmp \
    HOST=0.0.0.0 \
    PORT=8000 \
    HTTP_PORT=8080 \
    LOG_JSON=true
WORKDIR /tmp
# Numeric user, so Kubernetes can verify runAsNonRoot.
USER 10001:10001
EXPOSE 8000 8080
ENTRYPOINT ["todo-agent"]
CMD ["api"]
