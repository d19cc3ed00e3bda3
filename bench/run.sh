#!/usr/bin/env bash
# bench/run.sh: compares berthd with Debian's dockerd on this machine. A benchmark, not a test.
#
# Starts both daemons on their own sockets and state directories, loads the same busybox image
# into both, and measures (bounded loops, medians):
#   run    `docker run --rm busybox true`            (N_RUN, default 20)
#   exec   `docker exec <c> true`                    (N_EXEC, default 30)
#   ps     `docker ps -a` with N_PS created containers (default 500)
#   cli    `berth version` / `berth ps` vs `docker version` / `docker ps`
#   memory idle RSS of dockerd+containerd vs berthd; per running container shim RSS
#          (containerd-shim vs conmon) with 10 running containers
# ps and the CLI timings alternate between the two engines (d, b, d, b, ...) so that load from other
# work on the machine hits both alike; run and exec go in alternating blocks (lib.sh `blocks`: berthd
# changes host-wide cgroup state that would speed up dockerd's next run/exec too). berthd runs from a private copy of the build (bin/berthd + daemon jars),
# so a concurrent `mvn package` cannot swap classes under it. Target (issue): berthd at most half
# of dockerd's time on run, exec and ps.
# Results: a table on stdout and in bench/results/<date>.txt. Everything is cleaned up at the end.
# The docker CLI used for both engines is /usr/local/bin/docker (DOCKER_HOST selects the engine).
# exec and ps are measured twice: right after the daemons start (berthd's JIT still cold) and again
# after N_WARM (default 200) more execs / N_WARM/4 more ps on each engine (steady state).
# Knobs: N_RUN, N_EXEC, N_PS, N_RUNNING, N_WARM, BERTHD_EXTRA_ARGS (extra berthd flags), BERTHD_HOME (another build).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
N_RUN="${N_RUN:-20}"; N_EXEC="${N_EXEC:-30}"; N_PS="${N_PS:-500}"; N_RUNNING="${N_RUNNING:-10}"
N_WARM="${N_WARM:-200}"
BERTH="$here/bin/berth"
dstate=/run/bench-docker; droot=/var/lib/bench-docker; bridge=bench-docker0; bridge_cidr=10.123.0.1/24
bench_setup /tmp/bbench.XXXXXX ""

rss_kb() { local s=0; for p in "$@"; do s=$(( s + $(awk '/VmRSS/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0) )); done; echo "$s"; }

step "installing Debian docker.io if missing"
bench_install_dockerd
[[ -x "$BERTH" && -x "$here/bin/berthd" ]] || { echo "build first: scripts/setup.sh"; exit 1; }

bench_start_dockerd
bench_start_berthd_copy ${BERTHD_EXTRA_ARGS:-}
berthd_jvm="$(cat "$bstate/berthd.pid" 2>/dev/null || echo "$berthd_pid")"
bench_load_busybox

step "idle memory"
containerd_pids="$(pgrep -P "$dockerd_pid" containerd || true)"
idle_docker="$(rss_kb "$dockerd_pid" $containerd_pids)"
idle_berth="$(rss_kb "$berthd_jvm")"

step "run --rm busybox true (N=$N_RUN, in blocks)"
for _ in 1 2 3; do d run --rm busybox true >/dev/null; b run --rm busybox true >/dev/null; done  # warm-up
blocks 4 $(( N_RUN / 4 )) run --rm busybox true; run_d="$pd"; run_b="$pb"

step "exec true (N=$N_EXEC, in blocks)"
d run -d --name bench-exec busybox sleep 3600 >/dev/null; b run -d --name bench-exec busybox sleep 3600 >/dev/null
for _ in 1 2 3; do d exec bench-exec true; b exec bench-exec true; done  # warm-up
blocks 3 $(( N_EXEC / 3 )) exec bench-exec true; exec_d="$pd"; exec_b="$pb"
# A daemon serves requests for days; berthd's JIT needs a few hundred to reach steady state, dockerd
# (Go, compiled ahead) needs none. The same extra rounds for both, then the same measurement again.
for _ in $(seq 1 "$N_WARM"); do d exec bench-exec true; b exec bench-exec true; done
blocks 3 $(( N_EXEC / 3 )) exec bench-exec true; execw_d="$pd"; execw_b="$pb"

step "CLI wall time"
cli_dv="$(median_ms 10 d version)"; cli_bv="$(DOCKER_HOST= BERTH_HOST="$bsock" median_ms 10 "$BERTH" version)"
cli_dps="$(median_ms 10 d ps)"; cli_bps="$(BERTH_HOST="$bsock" median_ms 10 "$BERTH" ps)"
cli_dbv="$(median_ms 10 b version)"

step "per running container memory ($N_RUNNING sleepers)"
before_d="$(rss_kb "$dockerd_pid" $containerd_pids)"; before_b="$(rss_kb "$berthd_jvm")"
for i in $(seq 1 "$N_RUNNING"); do d run -d busybox sleep 3600 >/dev/null; b run -d busybox sleep 3600 >/dev/null; done
sleep 2
# Only this run's shims: their command lines name this run's state directories.
shims_d="$(pgrep -f "containerd-shim.*$dstate" || true)"; shims_b="$(pgrep -f "conmon .*$bstate" || true)"
shim_d_kb="$(rss_kb $shims_d)"; shim_b_kb="$(rss_kb $shims_b)"
nshim_d="$(echo "$shims_d" | grep -c . || true)"; nshim_b="$(echo "$shims_b" | grep -c . || true)"
after_d="$(rss_kb "$dockerd_pid" $containerd_pids)"; after_b="$(rss_kb "$berthd_jvm")"

step "ps -a with $N_PS created containers"
for i in $(seq 1 "$N_PS"); do d create busybox true >/dev/null; done
for i in $(seq 1 "$N_PS"); do b create busybox true >/dev/null; done
d ps -a >/dev/null; b ps -a >/dev/null  # warm-up
paired 11 ps -a; ps_d="$pd"; ps_b="$pb"
for _ in $(seq 1 $(( N_WARM / 4 ))); do d ps -a >/dev/null; b ps -a >/dev/null; done
paired 11 ps -a; psw_d="$pd"; psw_b="$pb"
ps_rows_d="$(d ps -aq | wc -l)"; ps_rows_b="$(b ps -aq | wc -l)"

verdict() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0 && a <= b / 2) print "ok (<=0.50)"; else print "MISSED (>0.50)" }'; }
{
  echo "Berth benchmark $(date -Is) on $(uname -r), $(nproc) CPUs"
  echo "dockerd: $(dockerd --version 2>/dev/null)"; echo "berthd:  $(b version --format '{{.Server.Version}}' 2>/dev/null)"
  echo
  echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  printf '%-52s %12s %12s %10s  %s\n' "measure (median)" "dockerd" "berthd" "berth/dock" "target"
  printf '%-52s %10sms %10sms %10s  %s\n' "docker run --rm busybox true (N=$N_RUN)" "$run_d" "$run_b" "$(ratio "$run_b" "$run_d")" "$(verdict "$run_b" "$run_d")"
  printf '%-52s %10sms %10sms %10s  %s\n' "docker exec c true (N=$N_EXEC)" "$exec_d" "$exec_b" "$(ratio "$exec_b" "$exec_d")" "$(verdict "$exec_b" "$exec_d")"
  printf '%-52s %10sms %10sms %10s  %s\n' "  the same after $N_WARM more execs each" "$execw_d" "$execw_b" "$(ratio "$execw_b" "$execw_d")" "$(verdict "$execw_b" "$execw_d")"
  printf '%-52s %10sms %10sms %10s  %s\n' "docker ps -a ($ps_rows_d / $ps_rows_b containers, N=11)" "$ps_d" "$ps_b" "$(ratio "$ps_b" "$ps_d")" "$(verdict "$ps_b" "$ps_d")"
  printf '%-52s %10sms %10sms %10s  %s\n' "  the same after $(( N_WARM / 4 )) more ps -a each" "$psw_d" "$psw_b" "$(ratio "$psw_b" "$psw_d")" "$(verdict "$psw_b" "$psw_d")"
  printf '%-52s %10sms %10sms %10s\n' "version (docker CLI->dockerd, berth CLI->berthd)" "$cli_dv" "$cli_bv" "$(ratio "$cli_bv" "$cli_dv")"
  printf '%-52s %10sms %10sms %10s\n' "ps (docker CLI->dockerd, berth CLI->berthd)" "$cli_dps" "$cli_bps" "$(ratio "$cli_bps" "$cli_dps")"
  printf '%-52s %10sms %10sms %10s\n' "docker version (docker CLI, each daemon)" "$cli_dv" "$cli_dbv" "$(ratio "$cli_dbv" "$cli_dv")"
  printf '%-52s %10sMB %10sMB %10s\n' "idle RSS (dockerd+containerd vs berthd)" "$((idle_docker/1024))" "$((idle_berth/1024))" "$(ratio "$idle_berth" "$idle_docker")"
  printf '%-52s %10sMB %10sMB %10s\n' "daemon RSS with $N_RUNNING running" "$((after_d/1024))" "$((after_b/1024))" "$(ratio "$after_b" "$after_d")"
  printf '%-52s %10sKB %10sKB %10s\n' "shim RSS per container (shim vs conmon)" \
    "$(( nshim_d ? shim_d_kb / nshim_d : 0 ))" "$(( nshim_b ? shim_b_kb / nshim_b : 0 ))" \
    "$(ratio "$(( nshim_b ? shim_b_kb / nshim_b : 0 ))" "$(( nshim_d ? shim_d_kb / nshim_d : 0 ))")"
  echo "(shims counted: dockerd $nshim_d containerd-shim, berthd $nshim_b conmon; daemon RSS before containers: $((before_d/1024))MB / $((before_b/1024))MB)"
} | bench_write_results
