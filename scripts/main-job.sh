#!/usr/bin/env bash
# main-job.sh: the demo. Sets up, starts berthd on its own socket, loads a busybox image built
# from Debian's busybox-static, runs busybox httpd published on 127.0.0.1:8080, fetches the page
# with curl, and cleans up (container, daemon, state directories).
# Knobs: BERTH_DEMO_PORT (8080), BERTHD_EXTRA_ARGS (extra berthd flags), BERTH_SKIP_BUILD=1.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
step() { printf '\n==> %s\n' "$*"; }
port="${BERTH_DEMO_PORT:-8080}"
state="$(mktemp -d /tmp/bdemo.XXXXXX)"  # short: conmon socket paths must fit in 108 bytes
sock="$state/berth.sock"
export BERTH_HOST="unix://$sock"
berthd_pid=""
cleanup() {
  set +e
  step "cleaning up"
  [[ -S "$sock" ]] && "$here/bin/berth" rm -f berth-demo >/dev/null 2>&1
  if [[ -n "$berthd_pid" ]] && kill -0 "$berthd_pid" 2>/dev/null; then
    kill -TERM "$berthd_pid"; for _ in $(seq 1 50); do kill -0 "$berthd_pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$berthd_pid" 2>/dev/null
  fi
  grep -q " $state/" /proc/mounts && awk -v s="$state/" '$2 ~ "^"s {print $2}' /proc/mounts | sort -r | xargs -r -n1 umount -l
  rm -rf "$state"
  echo "done"
}
trap cleanup EXIT

step "1/6 setup (packages + build)"
bash "$here/scripts/setup.sh"

step "2/6 starting berthd on $sock (data root $state/data)"
"$here/bin/berthd" -H "unix://$sock" --data-root "$state/data" --exec-root "$state/exec" \
  --pidfile "$state/berthd.pid" ${BERTHD_EXTRA_ARGS:-} >"$state/berthd.log" 2>&1 &
berthd_pid=$!
for _ in $(seq 1 150); do
  curl -sf --unix-socket "$sock" http://localhost/_ping >/dev/null 2>&1 && break
  kill -0 "$berthd_pid" 2>/dev/null || { echo "berthd exited:"; cat "$state/berthd.log"; exit 1; }
  sleep 0.2
done
curl -sf --unix-socket "$sock" http://localhost/_ping >/dev/null || { echo "berthd did not answer /_ping"; cat "$state/berthd.log"; exit 1; }
"$here/bin/berth" version

step "3/6 building and loading the busybox image"
bash "$here/scripts/make-busybox-image.sh" "$state/busybox.tar" busybox:latest
"$here/bin/berth" load -i "$state/busybox.tar"
"$here/bin/berth" images

step "4/6 running busybox httpd on 127.0.0.1:$port"
mkdir -p "$state/www"
echo "<h1>Hello from Berth</h1>" > "$state/www/index.html"
"$here/bin/berth" run -d --name berth-demo -p "127.0.0.1:$port:80" -v "$state/www:/var/www:ro" \
  busybox httpd -f -p 80 -h /var/www
"$here/bin/berth" ps

step "5/6 curl http://127.0.0.1:$port/"
page=""
for _ in $(seq 1 50); do
  page="$(curl -sf "http://127.0.0.1:$port/" 2>/dev/null)" && break
  sleep 0.2
done
if [[ -z "$page" ]]; then
  echo "no answer from the container; berthd log:"; tail -50 "$state/berthd.log"; exit 1
fi
echo "$page"

step "6/6 removing the container"
"$here/bin/berth" rm -f berth-demo
