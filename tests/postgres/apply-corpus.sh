#!/usr/bin/env bash
# Applies every migration history of the corpus to a real PostgreSQL 15, each
# in a fresh database that has Preflight's Supabase environment loaded, and
# reports per project OK or the first failing file and its error.
#
#   tests/postgres/apply-corpus.sh [CORPUS_DIR]
#
# CORPUS_DIR defaults to ../shared/corpus beside the repository. It holds one
# folder per project (SQL files, applied in file-name order) and SOURCES.tsv,
# whose `skipped` column names files the Supabase CLI would not apply. Each
# file runs in one transaction, as `supabase db push` applies a migration.
#
# A throwaway cluster is started on 127.0.0.1 on a free port in a temporary
# directory and removed at the end. As root, the server runs as the `postgres`
# OS user and the stand-in extensions are installed first if missing.
# Exits 0 when every project applies, 1 when one does not, and 0 with a SKIP
# message when there is no corpus or no PostgreSQL 15.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SUPABASE_DIR="$ROOT/crates/preflight-core/supabase"
CORPUS=${1:-"$ROOT/../shared/corpus"}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}

if [ ! -d "$CORPUS" ]; then
    echo "SKIP: no corpus at $CORPUS (pass its path as the first argument)"
    exit 0
fi
CORPUS=$(cd "$CORPUS" && pwd)
if [ ! -x "$PGBIN/postgres" ]; then
    echo "SKIP: no PostgreSQL 15 server in $PGBIN (apt-get install postgresql-15)"
    exit 0
fi

# As root, run the server as the postgres OS user (initdb refuses root) and
# install the stand-in extensions; otherwise they must be installed already.
MAJOR=$("$PGBIN/pg_config" --version | sed -E 's/^PostgreSQL ([0-9]+).*/\1/')
if [ "$(id -u)" -eq 0 ]; then
    as_pg() { runuser -u postgres -- "$@"; }
    bash "$ROOT/tests/postgres/install-standins.sh" "$MAJOR"
else
    as_pg() { "$@"; }
    if [ ! -f "$("$PGBIN/pg_config" --sharedir)/extension/vector.control" ]; then
        echo "note: stand-in extensions not installed; run tests/postgres/install-standins.sh as root" >&2
    fi
fi

# A free TCP port on 127.0.0.1.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
PORT=""
for candidate in $(seq 55432 55532); do
    if ! port_in_use "$candidate"; then PORT=$candidate; break; fi
done
[ -n "$PORT" ] || { echo "no free port in 55432-55532" >&2; exit 1; }

WORK=$(mktemp -d /tmp/preflight-pg.XXXXXX)
chmod 755 "$WORK"
[ "$(id -u)" -eq 0 ] && chown postgres: "$WORK"
DATA="$WORK/data"

cleanup() {
    as_pg "$PGBIN/pg_ctl" -D "$DATA" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT

echo "==> Starting PostgreSQL ($("$PGBIN/postgres" --version)) on 127.0.0.1:$PORT"
as_pg "$PGBIN/initdb" -D "$DATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$WORK/initdb.log" 2>&1 \
    || { cat "$WORK/initdb.log" >&2; exit 1; }
as_pg "$PGBIN/pg_ctl" -D "$DATA" -l "$WORK/server.log" -w -t 60 start \
    -o "-p $PORT -k $WORK -c listen_addresses=127.0.0.1 -c wal_level=logical -c fsync=off -c full_page_writes=off" >/dev/null \
    || { cat "$WORK/server.log" >&2; exit 1; }

export PGHOST=127.0.0.1 PGPORT=$PORT PGUSER=postgres PGCONNECT_TIMEOUT=10
unset PGPASSWORD PGDATABASE PGSERVICE PGOPTIONS
PSQL=("$PGBIN/psql" -X -q -v ON_ERROR_STOP=1)

"${PSQL[@]}" -d postgres -f "$SUPABASE_DIR/roles.sql" >/dev/null

# Files SOURCES.tsv marks as skipped, as "local_dir/file" lines.
skipped_files() {
    [ -f "$CORPUS/SOURCES.tsv" ] || return 0
    awk -F'\t' '
        NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
        col["skipped"] && col["local_dir"] && $col["skipped"] != "-" && $col["skipped"] != "" {
            n = split($col["skipped"], files, /[,;]/)
            for (j = 1; j <= n; j++) print $col["local_dir"] "/" files[j]
        }' "$CORPUS/SOURCES.tsv"
}
SKIPPED=$(skipped_files)

passed=0
failed=0
summary=()
for project_dir in "$CORPUS"/*/; do
    project=$(basename "$project_dir")
    mapfile -t files < <(cd "$project_dir" && LC_ALL=C ls -1 -- *.sql 2>/dev/null | LC_ALL=C sort)
    [ ${#files[@]} -gt 0 ] || continue

    db="corpus_$(printf '%s' "$project" | tr -c 'A-Za-z0-9_' '_' | tr 'A-Z' 'a-z')"
    "${PSQL[@]}" -d postgres -c "CREATE DATABASE \"$db\"" >/dev/null
    "${PSQL[@]}" -d "$db" -f "$SUPABASE_DIR/environment.sql" >/dev/null

    applied=0
    skipped=0
    failure=""
    for file in "${files[@]}"; do
        if grep -qxF -- "$project/$file" <<<"$SKIPPED"; then
            skipped=$((skipped + 1))
            continue
        fi
        if ! "${PSQL[@]}" --single-transaction -d "$db" -f "$project_dir$file" >/dev/null 2>"$WORK/err"; then
            failure="$file: $(grep -m1 -E 'ERROR|FATAL' "$WORK/err" || head -n1 "$WORK/err")"
            break
        fi
        applied=$((applied + 1))
    done

    if [ -z "$failure" ]; then
        passed=$((passed + 1))
        line="OK    $project ($applied files applied, $skipped skipped)"
    else
        failed=$((failed + 1))
        line="FAIL  $project ($applied files applied before) at $failure"
    fi
    echo "$line"
    summary+=("$line")
    "${PSQL[@]}" -d postgres -c "DROP DATABASE \"$db\"" >/dev/null 2>&1 || true
done

echo "corpus: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
