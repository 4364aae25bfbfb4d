# Shared by the .ci scripts (sourced, not run): strict mode, the repo root as the
# working directory, cargo's bin folder on PATH, and small logging/timing helpers.
# shellcheck shell=bash

set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"

export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
export DEBIAN_FRONTEND=noninteractive

# Prints a message prefixed with the script's name, on stderr.
log() {
  echo "[$(basename "$0")] $*" >&2
}

# Prints a message and exits non-zero.
die() {
  log "ERROR: $*"
  exit 1
}

# Seconds since the epoch, with microseconds.
now() {
  echo "${EPOCHREALTIME/,/.}"
}

# Seconds elapsed since a `now` reading, with one decimal.
elapsed_since() {
  awk -v start="$1" -v end="$(now)" 'BEGIN { printf "%.1f", end - start }'
}

# step NAME COMMAND...: runs COMMAND, prints its duration, and exits non-zero when it fails.
# COMMAND runs as a background job that is waited for, so that `set -e` still holds inside
# shell functions (bash ignores it in anything run as an `if` or `||` condition).
step() {
  local name="$1"
  shift
  local start status=0
  start="$(now)"
  echo "==> $name"
  "$@" &
  wait "$!" || status=$?
  if [[ $status -ne 0 ]]; then
    echo "<== $name: FAILED (exit $status) after $(elapsed_since "$start")s"
    exit "$status"
  fi
  echo "<== $name: ok in $(elapsed_since "$start")s"
}
