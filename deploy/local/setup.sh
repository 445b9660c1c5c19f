#!/usr/bin/env bash
# Sets up everything the local stack needs on a fresh Debian machine, and is quick when it
# already has: PostgreSQL server binaries (apt, if missing), Java 17 and Maven (checked),
# the virtual environment with the pinned Python dependencies, the Kafka jars from Maven
# Central, and the front end's npm packages. Safe to run again; only redoes what changed.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
say() { printf '[setup %s] %s\n' "$(date +%H:%M:%S)" "$*"; }

need_root_for_apt() {  # $1: what is missing, $2: the Debian package(s)
  if [ "$(id -u)" -ne 0 ]; then
    say "$1 is missing; install it with: sudo apt-get install $2"
    exit 1
  fi
}

# --- PostgreSQL server binaries -------------------------------------------------------------
if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  need_root_for_apt "the PostgreSQL server" postgresql
  say "installing PostgreSQL from apt"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
  # PostgreSQL refuses to run as root; the stack runs it as this user.
  useradd --system --home-dir /nonexistent --shell /usr/sbin/nologin postgres
fi

# --- Java and Maven -------------------------------------------------------------------------
command -v java >/dev/null || { say "Java 17 is needed (apt-get install openjdk-17-jre-headless)"; exit 1; }
command -v mvn >/dev/null || { say "Maven is needed (apt-get install maven)"; exit 1; }

# --- Node.js and npm (the front end's NL Design System CSS, axe-core, playwright-core) -------
if ! command -v npm >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    say "Node.js and npm are needed for the web front end; install them with: sudo apt-get install nodejs npm"
    exit 1
  fi
  say "installing Node.js and npm from apt"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi

# --- Python ---------------------------------------------------------------------------------
PY=${PYTHON:-python3}
"$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { say "Python 3.11 or newer is needed"; exit 1; }
if [ ! -x .venv/bin/python ]; then
  say "creating the virtual environment"
  "$PY" -m venv .venv
fi
stamp=.venv/.weerbaar-installed
inputs=$(cat requirements.lock libs/*/pyproject.toml services/*/pyproject.toml | sha256sum | cut -c1-16)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$inputs" ]; then
  say "installing pinned Python dependencies (requirements.lock)"
  .venv/bin/pip install -q --upgrade pip
  .venv/bin/pip install -q -r requirements.lock
  editable=()
  for p in libs/contracts libs/platform libs/devstack services/*/; do
    [ -f "$p/pyproject.toml" ] && editable+=(-e "$p")
  done
  .venv/bin/pip install -q --no-deps "${editable[@]}"
  echo "$inputs" > "$stamp"
fi

# --- Kafka jars -----------------------------------------------------------------------------
KAFKA_LIBS=.cache/kafka/libs
pom_sum=$(sha256sum deploy/local/kafka/pom.xml | cut -c1-16)
if [ ! -f "$KAFKA_LIBS/.pom-$pom_sum" ]; then
  say "fetching Apache Kafka jars from Maven Central"
  rm -rf "$KAFKA_LIBS" && mkdir -p "$KAFKA_LIBS"
  mkdir -p .cache
  # Quiet unless it fails (Maven's console writes colour codes even when told not to).
  if ! mvn -q -B -Dstyle.color=never -f deploy/local/kafka/pom.xml dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$ROOT/$KAFKA_LIBS" > .cache/maven.log 2>&1; then
    cat .cache/maven.log; say "fetching the Kafka jars failed (log above, also in .cache/maven.log)"; exit 1
  fi
  touch "$KAFKA_LIBS/.pom-$pom_sum"
fi

# --- Chromium for the browser tests (Debian's package; no browser download) -----------------
if [ ! -x /usr/bin/chromium ]; then
  need_root_for_apt "Chromium (for the browser tests)" chromium
  say "installing Chromium (browser tests)"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

# --- Front end packages (NL Design System, axe-core, Playwright) ----------------------------
if [ -f services/gateway/package.json ]; then
  if [ ! -d services/gateway/node_modules ] || [ services/gateway/package-lock.json -nt services/gateway/node_modules ]; then
    command -v npm >/dev/null || { say "npm is needed for the web front end"; exit 1; }
    say "installing the front end's npm packages"
    (cd services/gateway && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi
say "set-up complete"
