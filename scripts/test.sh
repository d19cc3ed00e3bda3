#!/usr/bin/env bash
# test.sh: the CI entry point (.ci/run). Installs the packages Berth needs (setup.sh), then one
# Maven reactor run does everything, module by module in dependency order:
#   - Surefire: the unit tests of every module (no root, no kernel effects; golden files);
#   - Failsafe: each module's *IT tests on the real kernel (root: mounts, runc/crun under conmon,
#     veth/bridges/iptables in namespaces the tests create, skopeo against our registry);
#   - module e2e: starts its own berthd on a temp socket and drives the real docker CLI and
#     bin/berth (Failsafe), plus the ArchUnit layering rules (Surefire).
# -fae keeps going past a failing module so one run reports every failure; summaries stay visible.
# A berthd left behind by a crashed e2e run is stopped on exit (by its pidfile).
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

step "setup (packages; the build is part of the test run below)"
BERTH_SKIP_BUILD=1 bash scripts/setup.sh || exit 1

step "build and test every module: unit tests, kernel ITs, end-to-end (mvn -B -fae install)"
start=$(date +%s)
timeout 3000 mvn -B -fae install
rc=$?
step "tests finished in $(( $(date +%s) - start )) s with rc=$rc"
exit $rc
