#!/usr/bin/env bash
# Runs the benchmarks with their default (full) settings: local-runner/bench.sh [load|sync|api|all] [extra args]
# Extra args go to every benchmark run: --name value for load and api, -Dname=value (JVM options) for sync.
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-all}"; shift || true
case "$what" in load|sync|api|all) ;; *) echo "usage: $0 [load|sync|api|all] [extra args]" >&2; exit 2 ;; esac
jar=local-runner/target/local-runner.jar
if [[ ! -f "$jar" || ! -f api-function/target/api-function.jar ]] \
    || [[ -n "$(find . -path '*/src/main/*' -newer "$jar" -print -quit)" ]]; then
  ./mvnw -B -q -DskipTests package
fi
out=local-runner/target/bench; mkdir -p "$out"
ran=""
run() { echo "== $1 benchmark"; java "${@:2}" | tee "$out/$1.txt"; ran="$ran $out/$1.txt"; }
if [[ "$what" == load || "$what" == all ]]; then
  run load -cp "$jar" dev.netmeta.local.bench.LoadBenchmark "$@"
fi
if [[ "$what" == sync || "$what" == all ]]; then
  if ! command -v rclone >/dev/null && command -v apt-get >/dev/null; then
    { apt-get update -qq && apt-get install -y -qq rclone; } || echo "rclone not installed: the sync run skips its rclone column" >&2
  fi
  run sync "$@" -cp "$jar" dev.netmeta.local.bench.SyncBenchmark
fi
if [[ "$what" == api || "$what" == all ]]; then
  run api -cp "$jar" dev.netmeta.local.bench.ApiBenchmark "$@"
fi
echo "results (full output of each run):$ran"
