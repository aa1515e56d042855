# Production image: the web UI is built in a Node stage, the Python package installed in a slim stage.
FROM node:20-bookworm-slim AS frontend
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci
COPY frontend/ ./
RUN npm run build

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 HF_HUB_OFFLINE=1
WORKDIR /app
RUN pip install 'torch==2.13.0' --index-url https://download.pytorch.org/whl/cpu
COPY pyproject.toml README.md ./
COPY domain/ domain/
COPY application/ application/
COPY adapters/ adapters/
COPY entrypoints/ entrypoints/
RUN pip install '.[local]'
COPY --from=frontend /src/frontend/dist /app/frontend/dist
RUN useradd --create-home --uid 10001 ragchat && mkdir -p /data && chown ragchat /data
USER ragchat
ENV RAGCHAT_FRONTEND_DIST=/app/frontend/dist
EXPOSE 8000
CMD ["ragchat", "serve", "--host", "0.0.0.0", "--port", "8000"]
