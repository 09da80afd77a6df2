# Sourced by platform.sh and test.sh: makes PostgreSQL and Redis answer at DATABASE_URL and REDIS_URL.
# Order of preference: reuse what answers; a Docker engine (docker compose); the machine's own Debian
# cluster; a throwaway instance under .data/ (installing Debian's packages with apt when missing).
# Everything this starts is listed in VIGIA_STARTED so the caller can stop it.

VIGIA_ROOT=${VIGIA_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
VIGIA_DATA=${VIGIA_DATA:-$VIGIA_ROOT/.data}
: "${DATABASE_URL:=postgres://postgres@127.0.0.1:5432/vigia}"
: "${REDIS_URL:=redis://127.0.0.1:6379}"
export DATABASE_URL REDIS_URL
VIGIA_STARTED=()

say() { printf '[vigia] %s\n' "$*" >&2; }

url_part() { # url_part URL host|port DEFAULT_PORT
  node -e 'const u=new URL(process.argv[1]); console.log(process.argv[2]==="host" ? (u.hostname.replace(/^\[|\]$/g,"")||"127.0.0.1") : (u.port||process.argv[3]))' "$1" "$2" "$3"
}

port_open() { timeout 1 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null; }

wait_for_port() { # wait_for_port HOST PORT NAME
  for _ in $(seq 1 60); do port_open "$1" "$2" && return 0; sleep 0.5; done
  say "$3 did not come up on $1:$2"; return 1
}

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

docker_engine() { command -v docker >/dev/null 2>&1 && timeout 5 docker info >/dev/null 2>&1; }

apt_install() {
  say "installing $* with apt"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

pg_bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

ensure_postgres() {
  local host port
  host=$(url_part "$DATABASE_URL" host 5432); port=$(url_part "$DATABASE_URL" port 5432)
  if port_open "$host" "$port"; then say "PostgreSQL answers on $host:$port: reusing it"; return 0; fi
  if docker_engine; then
    say "starting PostgreSQL with docker compose"
    (cd "$VIGIA_ROOT" && docker compose up -d postgres) && VIGIA_STARTED+=("docker:postgres")
    wait_for_port "$host" "$port" PostgreSQL; return
  fi
  if command -v pg_lsclusters >/dev/null 2>&1; then
    local cluster
    cluster=$(pg_lsclusters --no-header 2>/dev/null | awk -v p="$port" '$3 == p && $4 == "down" {print $1" "$2; exit}')
    if [ -n "$cluster" ]; then
      say "starting the machine's PostgreSQL cluster $cluster"
      # shellcheck disable=SC2086
      as_root pg_ctlcluster --skip-systemctl-redirect $cluster start && VIGIA_STARTED+=("cluster:$cluster")
      wait_for_port "$host" "$port" PostgreSQL; return
    fi
  fi
  [ -n "$(pg_bindir)" ] || apt_install postgresql
  local bin datadir="$VIGIA_DATA/postgres" owner
  bin=$(pg_bindir)
  owner=$(id -un); [ "$(id -u)" -eq 0 ] && owner=postgres
  mkdir -p "$VIGIA_DATA"; chmod 755 "$VIGIA_DATA"
  if [ ! -s "$datadir/PG_VERSION" ]; then
    say "creating a throwaway PostgreSQL instance in $datadir"
    install -d -o "$owner" -m 700 "$datadir"
    run_as "$owner" "$bin/initdb" -D "$datadir" -U postgres --auth=trust -E UTF8 >/dev/null
  fi
  say "starting PostgreSQL from $datadir on port $port"
  # Normalisation writes a lot: fewer checkpoints (and so fewer full-page images in the WAL) and a cache that
  # holds the STIX indexes; README "PostgreSQL settings" explains, docker-compose.yml uses the same.
  local VIGIA_PG_SETTINGS="-c shared_buffers=1GB -c max_wal_size=16GB -c checkpoint_timeout=30min"
  run_as "$owner" "$bin/pg_ctl" -D "$datadir" -l "$datadir/server.log" -w \
    -o "-p $port -k /tmp -c listen_addresses=127.0.0.1 $VIGIA_PG_SETTINGS" start >/dev/null && VIGIA_STARTED+=("pgdata:$bin:$datadir:$owner")
  wait_for_port "$host" "$port" PostgreSQL
}

run_as() { # run_as USER CMD...: postgres refuses to run as root
  local user=$1; shift
  if [ "$(id -un)" = "$user" ]; then "$@"; else as_root runuser -u "$user" -- "$@"; fi
}

ensure_redis() {
  local host port
  host=$(url_part "$REDIS_URL" host 6379); port=$(url_part "$REDIS_URL" port 6379)
  if port_open "$host" "$port"; then say "Redis answers on $host:$port: reusing it"; return 0; fi
  if docker_engine; then
    say "starting Redis with docker compose"
    (cd "$VIGIA_ROOT" && docker compose up -d redis) && VIGIA_STARTED+=("docker:redis")
    wait_for_port "$host" "$port" Redis; return
  fi
  command -v redis-server >/dev/null 2>&1 || apt_install redis-server
  local dir="$VIGIA_DATA/redis"
  mkdir -p "$dir"
  say "starting a throwaway Redis on port $port (data in $dir)"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$port" --save "" --appendonly no \
    --dir "$dir" --logfile "$dir/redis.log" --pidfile "$dir/redis.pid" && VIGIA_STARTED+=("redis:$port")
  wait_for_port "$host" "$port" Redis
}

ensure_services() { ensure_postgres && ensure_redis; }

# Stops only what ensure_services started, in reverse order.
stop_started_services() {
  local i item
  for ((i = ${#VIGIA_STARTED[@]} - 1; i >= 0; i--)); do
    item=${VIGIA_STARTED[$i]}
    case "$item" in
      docker:*) (cd "$VIGIA_ROOT" && docker compose stop "${item#docker:}") >/dev/null 2>&1 ;;
      cluster:*) as_root pg_ctlcluster --skip-systemctl-redirect ${item#cluster:} stop >/dev/null 2>&1 ;;
      pgdata:*) IFS=: read -r _ bin datadir owner <<<"$item"; run_as "$owner" "$bin/pg_ctl" -D "$datadir" -m fast stop >/dev/null 2>&1 ;;
      redis:*) redis-cli -p "${item#redis:}" shutdown nosave >/dev/null 2>&1 ;;
    esac
    say "stopped $item"
  done
  VIGIA_STARTED=()
}

# Installs node modules when missing or older than the lock file. `npm install` rather than `npm ci`: it installs
# the versions the lock pins just the same, but npm 11 writes locks without other platforms' optional binaries
# (@unrs/resolver-binding-*, @msgpackr-extract/*) and `npm ci` then refuses the lock as out of sync.
# The console's browser tests drive Debian's chromium (never a downloaded browser) through playwright-core.
ensure_chromium() {
  command -v chromium >/dev/null 2>&1 && return 0
  say "installing chromium (Debian package)"
  if [ "$(id -u)" -eq 0 ]; then
    apt-get install -y chromium >/dev/null || { apt-get update >/dev/null && apt-get install -y chromium >/dev/null; }
  else
    sudo apt-get install -y chromium >/dev/null
  fi
}

ensure_node_modules() {
  local stamp="$VIGIA_ROOT/node_modules/.package-lock.json"
  if [ ! -f "$stamp" ] || [ "$VIGIA_ROOT/package-lock.json" -nt "$stamp" ]; then
    say "installing node modules"
    (cd "$VIGIA_ROOT" && npm install --no-audit --no-fund)
  fi
}
