#!/usr/bin/env bash
# `npm run platform`: install, reuse or start PostgreSQL and Redis, build, migrate, seed the network
# coordinator, then run ingest, worker and portal in the foreground under a supervisor that restarts one that dies. Ctrl-C stops what this started.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/services.sh
ensure_node_modules
ensure_services

SUPERVISOR_PID=
BANNER=$(mktemp)
shutdown() {
  trap - INT TERM EXIT
  say "stopping"
  [ -n "$SUPERVISOR_PID" ] && kill -TERM "$SUPERVISOR_PID" 2>/dev/null && wait "$SUPERVISOR_PID" 2>/dev/null
  rm -f "$BANNER"
  stop_started_services
}
trap shutdown INT TERM EXIT

say "building"; npm run -s build
say "migrating"; node dist/libs/database/src/cli/migrate.js
# The coordinator's first-login hint (a generated password is shown once) goes into the banner as well, which is
# printed again below the apps' start-up lines.
node dist/apps/portal/src/cli/seed-coordinator.js | tee "$BANNER"

host=127.0.0.1
{
  echo "[vigia] console http://localhost:${PORTAL_PORT:-3000}/  (served by the portal)"
  echo "[vigia] portal  http://$host:${PORTAL_PORT:-3000}  (API docs: /docs, health: /health)"
  echo "[vigia] ingest  http://$host:${INGEST_PORT:-3001}  (API docs: /docs, health: /health)"
  echo "[vigia] worker  http://$host:${WORKER_PORT:-3002}  (health: /health, metrics: /metrics)"
  echo "[vigia] an app that dies is restarted (with backoff); press Ctrl-C to stop"
} >>"$BANNER"

# The supervisor runs ingest, worker and portal with the commands of `npm run start:<app>`, restarts one that dies
# and, in a terminal, shows their JSON log lines readably (as JSON, tagged with the app's name, otherwise).
node -r ts-node/register/transpile-only scripts/platform/supervisor.ts "$BANNER" ingest worker portal &
SUPERVISOR_PID=$!
wait "$SUPERVISOR_PID" || true
SUPERVISOR_PID=
