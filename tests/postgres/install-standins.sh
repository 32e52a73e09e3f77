#!/usr/bin/env bash
# Installs the test-only stand-in extensions of tests/postgres/standins/
# (pgvector, pgsql-http, pg_net, pg_cron, pg_tle, HypoPG, index_advisor,
# Wrappers) into PostgreSQL's extension folder, so CREATE EXTENSION finds
# them on a stock Debian PostgreSQL. Run as root (CI is).
#
#   tests/postgres/install-standins.sh [MAJOR ...]
#
# With no argument it installs into every /usr/share/postgresql/<major>/
# extension folder present. Idempotent: unchanged files are left alone. An
# extension whose installed control file is not a Preflight stand-in (the
# real extension, from a package) is never overwritten.
set -euo pipefail

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/standins" && pwd)
MARKER="Preflight stand-in"

targets=()
if [ $# -gt 0 ]; then
    for major in "$@"; do targets+=("/usr/share/postgresql/$major/extension"); done
else
    for dir in /usr/share/postgresql/*/extension; do
        [ -d "$dir" ] && targets+=("$dir")
    done
fi
if [ ${#targets[@]} -eq 0 ]; then
    echo "install-standins: no /usr/share/postgresql/<major>/extension folder; is PostgreSQL installed?" >&2
    exit 1
fi

for target in "${targets[@]}"; do
    if [ ! -d "$target" ]; then
        echo "install-standins: $target does not exist" >&2
        exit 1
    fi
    echo "install-standins: into $target"
    for control in "$SRC"/*.control; do
        name=$(basename "$control" .control)
        installed="$target/$name.control"
        if [ -f "$installed" ] && ! grep -q "$MARKER" "$installed"; then
            echo "  $name: kept the real extension already installed"
            continue
        fi
        changed=()
        for file in "$control" "$SRC/$name"--*.sql; do
            dest="$target/$(basename "$file")"
            if ! cmp -s "$file" "$dest"; then
                install -m 644 "$file" "$dest"
                changed+=("$(basename "$file")")
            fi
        done
        if [ ${#changed[@]} -gt 0 ]; then
            echo "  $name: installed ${changed[*]}"
        else
            echo "  $name: up to date"
        fi
    done
done
