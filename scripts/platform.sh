#!/usr/bin/env bash
# `npm run platform`: install, reuse or start PostgreSQL and Redis, build, migrate, seed the network
# coordinator, then run ingest, worker and portal in the foreground. Ctrl-C stops what this started.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/services.sh
ensure_node_modules
ensure_services

APP_PIDS=()
shutdown() {
  trap - INT TERM EXIT
  say "stopping"
  [ ${#APP_PIDS[@]} -gt 0 ] && kill -TERM "${APP_PIDS[@]}" 2>/dev/null && wait "${APP_PIDS[@]}" 2>/dev/null
  stop_started_services
}
trap shutdown INT TERM EXIT

say "building"; npm run -s build
say "migrating"; node dist/libs/database/src/cli/migrate.js
node dist/apps/portal/src/cli/seed-coordinator.js

for app in ingest worker portal; do
  # The command of `npm run start:<app>` (node options included), run directly so that Ctrl-C reaches node itself.
  read -r -a command <<<"$(npm pkg get "scripts.start:$app" 2>/dev/null | tr -d '"')"
  # Each line of an app's JSON log goes to the terminal tagged with the app's name.
  "${command[@]}" > >(sed -u "s/^/[$app] /") 2>&1 &
  APP_PIDS+=($!)
done

host=127.0.0.1
say "console http://localhost:${PORTAL_PORT:-3000}/  (served by the portal)"
say "portal  http://$host:${PORTAL_PORT:-3000}  (API docs: /docs, health: /health)"
say "ingest  http://$host:${INGEST_PORT:-3001}  (API docs: /docs, health: /health)"
say "worker  http://$host:${WORKER_PORT:-3002}  (health: /health, metrics: /metrics)"
say "press Ctrl-C to stop"
wait -n "${APP_PIDS[@]}" || true
say "an app exited; stopping the others"
