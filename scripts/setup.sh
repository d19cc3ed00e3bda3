#!/usr/bin/env bash
# setup.sh: installs what Berth needs on Debian 12 and builds it. Idempotent.
#   - apt packages: OCI runtimes (crun, runc), the conmon shim, catatonit (--init), iptables,
#     iproute2, busybox-static (test image), util-linux (script, unshare), procps, uidmap, psmisc, curl,
#     skopeo (registry interoperability test), docker-compose (Compose v1 client interoperability test),
#     docker-registry (Debian's distribution registry, e2e push/pull interoperability test), git (remote build contexts)
#   - checks JDK 25 at $JAVA_HOME (default /usr/lib/jvm/temurin-25-jdk-amd64)
#   - builds all modules: mvn -B -q -DskipTests package (set BERTH_SKIP_BUILD=1 to skip)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
step() { printf '\n==> %s\n' "$*"; }

packages=(crun runc conmon catatonit iptables iproute2 busybox-static util-linux procps uidmap psmisc curl
          tar coreutils kmod ca-certificates skopeo docker-compose docker-registry git)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  step "installing packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # packages with services (docker-registry) must not start them: the tests start their own
  policy=""
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    policy=/usr/sbin/policy-rc.d
    printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod +x "$policy"
  fi
  status=0
  apt-get install -y -qq "${missing[@]}" || status=$?
  if [[ -n "$policy" ]]; then rm -f "$policy"; fi
  if ((status != 0)); then exit "$status"; fi
else
  step "packages present (${#packages[@]})"
fi

step "checking JDK 25 at $JAVA_HOME"
if [[ ! -x "$JAVA_HOME/bin/java" ]]; then
  echo "setup: no JDK at $JAVA_HOME; install Temurin 25 there or set JAVA_HOME" >&2
  exit 1
fi
"$JAVA_HOME/bin/java" -version 2>&1 | head -1
"$JAVA_HOME/bin/java" -version 2>&1 | grep -q '"25' || { echo "setup: JDK 25 required" >&2; exit 1; }
command -v mvn >/dev/null || { step "installing maven"; apt-get install -y -qq maven; }

if [[ "${BERTH_SKIP_BUILD:-}" != 1 ]]; then
  step "building (mvn -B -q -DskipTests package)"
  (cd "$here" && mvn -B -q -DskipTests package)
fi
step "setup done"
