#!/usr/bin/env bash
# test.sh: the CI entry point (.ci/run). Installs packages and builds (setup.sh), runs the unit
# tests of every module (mvn -B test: no root effects), then the end-to-end suite (module e2e,
# Failsafe *IT: starts its own berthd on a temp socket and drives the real docker CLI and
# bin/berth). A berthd left behind by a crashed e2e run is stopped on exit (by its pidfile).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export PATH="$JAVA_HOME/bin:$PATH"
step() { printf '\n==> %s\n' "$*"; }
cleanup() {
  for pidfile in /tmp/berth-e2e-*/berthd.pid; do
    [[ -f "$pidfile" ]] || continue
    pid="$(cat "$pidfile" 2>/dev/null)"
    [[ -n "$pid" ]] && kill -TERM "$pid" 2>/dev/null && echo "stopped leftover berthd $pid"
  done
}
trap cleanup EXIT
cd "$here"

step "setup"
bash scripts/setup.sh || exit 1

step "unit tests (mvn -B test)"
mvn -B -fae test
rc_unit=$?

step "end-to-end tests (mvn -B verify -pl e2e, Failsafe)"
mvn -B -q install -DskipTests || exit 1
# Surefire already ran the e2e unit tests (ArchUnit) above; here only Failsafe runs.
timeout 1500 mvn -B verify -pl e2e -Dtest=NoUnitTestsHere -Dsurefire.failIfNoSpecifiedTests=false
rc_e2e=$?

step "summary: unit tests rc=$rc_unit, end-to-end rc=$rc_e2e"
[[ $rc_unit -eq 0 && $rc_e2e -eq 0 ]]
