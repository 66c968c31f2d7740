#!/usr/bin/env bash
# Builds and installs pgvector for the local PostgreSQL when the server does not offer the
# `vector` extension yet. The source comes from Debian trixie's pgvector package (newer than
# the one for the running release), fetched with a scratch apt configuration so the system's
# own apt state is never touched. Needs root. Skips everything when `vector` is available.
set -euo pipefail

PG_MAJOR="${PG_MAJOR:-15}"
PG_CONFIG="/usr/lib/postgresql/${PG_MAJOR}/bin/pg_config"
PSQL=(psql -h 127.0.0.1 -p 5432 -U postgres -d postgres -XAtq)

available() {
  [ "$("${PSQL[@]}" -c "SELECT 1 FROM pg_available_extensions WHERE name='vector'" 2>/dev/null)" = "1" ]
}

if available; then
  echo "pgvector: the vector extension is already available"
  exit 0
fi
if ! "${PSQL[@]}" -c 'SELECT 1' >/dev/null 2>&1; then
  echo "pgvector: PostgreSQL is not answering on 127.0.0.1:5432; start it first (.ci/services.sh)" >&2
  exit 1
fi

# The mirror the system already uses: the first URI of a deb822 .sources file, else of a
# one-line sources.list entry. Security mirrors carry no trixie main suite, so skip them.
mirror_uri() {
  local file uri
  for file in /etc/apt/sources.list.d/*.sources; do
    [ -f "$file" ] || continue
    uri=$(awk 'tolower($1)=="uris:" { for (i = 2; i <= NF; i++) print $i }' "$file" | grep -v -- '-security' | head -n1 || true)
    if [ -n "$uri" ]; then echo "$uri"; return; fi
  done
  if [ -f /etc/apt/sources.list ]; then
    uri=$(awk '$1=="deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z+]+:\/\//) { print $i; break } }' /etc/apt/sources.list | grep -v -- '-security' | head -n1 || true)
    if [ -n "$uri" ]; then echo "$uri"; return; fi
  fi
  echo "pgvector: found no Debian mirror in /etc/apt/sources.list or /etc/apt/sources.list.d/*.sources" >&2
  exit 1
}

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "postgresql-server-dev-${PG_MAJOR}" make gcc >/dev/null

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
chmod 755 "$scratch"
mkdir -p "$scratch/lists/partial" "$scratch/src"
# apt downloads as the unprivileged _apt user when it can write the target folder.
if id _apt >/dev/null 2>&1; then chown _apt "$scratch/src"; fi
echo "deb-src $(mirror_uri) trixie main" >"$scratch/sources.list"
apt_opts=(-o "Dir::Etc::sourcelist=$scratch/sources.list" -o Dir::Etc::sourceparts=/dev/null -o "Dir::State::Lists=$scratch/lists")

apt-get "${apt_opts[@]}" update -qq
(cd "$scratch/src" && apt-get "${apt_opts[@]}" source --download-only pgvector)

orig=$(ls "$scratch"/src/pgvector_*.orig.tar.* | head -n1)
mkdir -p "$scratch/build"
tar -xf "$orig" -C "$scratch/build" --strip-components=1
make -C "$scratch/build" PG_CONFIG="$PG_CONFIG" >/dev/null
make -C "$scratch/build" install PG_CONFIG="$PG_CONFIG" >/dev/null

if available; then
  echo "pgvector: installed $(basename "$orig" | sed -E 's/^pgvector_([^.]+\.[^.]+\.[^.]+).*/\1/') for PostgreSQL ${PG_MAJOR}"
else
  echo "pgvector: built and installed, but PostgreSQL still does not list the vector extension" >&2
  exit 1
fi
