#!/usr/bin/env bash
# Runs the anchor benchmark (an external harness checkout named by ANCHOR_SOURCE: PostGraphile v5 and a raw node-postgres
# baseline) with Tessera as a third server, in one run-bench invocation, without touching the
# shared copy: it is copied to .tessera/anchor-bench (git-ignored), patched (bench/anchor/harness.patch:
# count and clean up Tessera's database too), and Tessera's profile is rendered into it.
#
#   bench/anchor/run.sh                      # postgraphile,raw-pg,tessera; 2 passes
#   bench/anchor/run.sh --passes 3 --queries q1,q2
#   PROFILES=tessera bench/anchor/run.sh --passes 1
#   TESSERA_BUILD_DIR=.build-bench bench/anchor/run.sh   # use an existing build instead of compiling
#
# Needs what the anchor needs (PostgreSQL 15 in /usr/lib/postgresql/15/bin, an OS user postgres,
# root or postgres, npm) plus Redis (REDIS_URL, default redis://127.0.0.1:6379). Arguments are
# passed to the anchor's scripts/run-bench.mjs. A cluster this script started is stopped at the end.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SOURCE=${ANCHOR_SOURCE:-/work/shared/anchor-bench}
WORK=${ANCHOR_WORK:-$ROOT/.tessera/anchor-bench}
PROFILES=${PROFILES:-postgraphile,raw-pg,tessera}
NODE_BIN=$ROOT/node_modules/.bin   # Node 22 (the `node` devDependency): npm ci and the harness run on it
export PATH="$NODE_BIN:$PATH"
log() { echo "$(date +%H:%M:%S) $*"; }

log "copying $SOURCE to $WORK"
mkdir -p "$WORK"
rsync -a --delete --exclude node_modules --exclude data "$SOURCE/" "$WORK/"
chmod -R u+w "$WORK"
patch -s -p1 -d "$WORK" < "$ROOT/bench/anchor/harness.patch"

# npm ci only when the lock file changed since the last install
if ! cmp -s "$WORK/package-lock.json" "$WORK/node_modules/.tessera-installed-lock" 2>/dev/null; then
  log "npm ci in $WORK"
  (cd "$WORK" && npm ci --no-audit --no-fund --loglevel=error)
  cp "$WORK/package-lock.json" "$WORK/node_modules/.tessera-installed-lock"
fi

cd "$WORK"
scripts/pg.sh init
STARTED_PG=0
if ! scripts/pg.sh psql -d postgres -Atc 'select 1' >/dev/null 2>&1; then
  scripts/pg.sh start
  STARTED_PG=1
fi
stop_pg() { if [ "$STARTED_PG" = 1 ]; then (cd "$WORK" && scripts/pg.sh stop) || true; fi; }
trap stop_pg EXIT

if [ ! -s data/fixtures.json ] || [ -z "$(scripts/pg.sh psql -d postgres -Atc "select 1 from pg_database where datname = 'bench'")" ]; then
  log "seeding the anchor database (about a minute)"
  scripts/setup-db.sh
fi

BUILD=${TESSERA_BUILD_DIR:-$ROOT/.tessera/anchor-build}
if [ -z "${TESSERA_BUILD_DIR:-}" ]; then
  log "compiling Tessera into $BUILD"
  (cd "$ROOT" && npx tsc -p tsconfig.test.json --outDir "$BUILD" --tsBuildInfoFile "$BUILD/.tsbuildinfo")
fi
log "preparing database tessera in the anchor cluster"
node "$BUILD/bench/anchor/prepare.js" --work "$WORK" --repo "$ROOT"

log "running the anchor harness: $PROFILES"
node scripts/run-bench.mjs --profiles "$PROFILES" "$@"
