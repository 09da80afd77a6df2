#!/usr/bin/env bash
# `npm test`: installs what is missing, makes PostgreSQL and Redis answer, then type-checks, lints and runs
# the unit and e2e suites against them. Each run uses its own databases and Redis prefix (test/setup).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/services.sh
ensure_node_modules
ensure_services
trap stop_started_services EXIT
ensure_chromium
say "type-checking"; npx tsc -p tsconfig.json --noEmit && npx tsc -p apps/console/tsconfig.json
say "linting"; npx eslint . --max-warnings 0 && npx prettier --check . >/dev/null
# No high or critical advisory in production dependencies; skipped, saying so, where the registry gives no answer.
say "auditing production dependencies"; node -r ts-node/register/transpile-only scripts/audit/production-audit.ts
# The browser tests (test/console) drive the built console as the portal serves it.
say "building the console"; npm run -s build:console >/dev/null
say "running unit and e2e tests"
# --forceExit: a leaked handle must fail loudly in review, never hang CI for its whole time budget.
npx jest --ci --forceExit "$@"
