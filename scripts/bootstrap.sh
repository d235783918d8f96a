#!/usr/bin/env bash
# Idempotent set-up shared by `npm run demo`, `npm test`, .ci/run and docker/Dockerfile.
# Installs only what is missing and says why; safe to run again and again.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"

say() { printf '[bootstrap] %s\n' "$*" >&2; }

# Debian packages: name -> why we need it. A command that is already on PATH satisfies the need
# (an `openresty` on PATH replaces nginx + libnginx-mod-http-lua).
declare -a want=()
need_pkg() { # pkg why
  if ! dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; then
    say "will install $1: $2"
    want+=("$1")
  fi
}

if [ "${FLAMEBENCH_SKIP_APT:-0}" != 1 ] && command -v dpkg-query >/dev/null 2>&1; then
  if command -v openresty >/dev/null 2>&1; then
    say "openresty found on PATH ($(command -v openresty)); not installing Debian's nginx"
  else
    need_pkg nginx "the web server under test (Debian's nginx)"
    need_pkg libnginx-mod-http-lua "ngx_http_lua_module: Lua handlers and the Lua probes (jit.profile)"
    need_pkg lua-resty-core "lua-resty-core: required by the Debian Lua module at start-up"
    need_pkg gcc "gcc: builds the profiling LuaJIT (flamebench build luajit)"
    need_pkg make "make: builds the profiling LuaJIT"
    need_pkg dpkg-dev "dpkg-dev: apt-get source unpacks the LuaJIT source with dpkg-source"
    need_pkg xz-utils "xz-utils: the LuaJIT source tarballs are .tar.xz"
  fi
  need_pkg linux-perf "perf: C-level on-CPU and off-CPU stack sampling"
  need_pkg wrk "wrk: reference load generator for the loader benchmark"
  need_pkg chromium "headless Chromium: the report is tested in a real browser"
  need_pkg bpftrace "bpftrace: optional backend for the cpu/offcpu probes"
  need_pkg procps "ps/pgrep: process checks in tests"
  need_pkg util-linux "taskset: pins nginx workers and the loader to CPUs"
  need_pkg curl "curl: readiness checks in scripts"
  need_pkg openssh-server "sshd: the distributed-load test runs a loader over ssh inside a network namespace (its own sshd, never the system service)"
  need_pkg openssh-client "ssh: launch prefix of remote loaders (load.hosts)"
  if [ "${#want[@]}" -gt 0 ]; then
    if [ "$(id -u)" != 0 ]; then
      say "missing Debian packages: ${want[*]} — run this script as root or install them yourself"
      exit 3
    fi
    export DEBIAN_FRONTEND=noninteractive
    # Fresh machines have no package lists; refresh once when they are missing or stale (>1 day).
    if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mtime -1 2>/dev/null | head -1)" ]; then
      say "apt-get update"
      apt-get update -qq
    fi
    # No service may start from an install here (openssh-server would start sshd on port 22):
    # a policy-rc.d that refuses, only for this call and only when none exists.
    policy=""
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && policy=1
    fi
    apt-get install -y -qq --no-install-recommends "${want[@]}" >&2 || { [ -n "$policy" ] && rm -f /usr/sbin/policy-rc.d; exit 3; }
    [ -n "$policy" ] && rm -f /usr/sbin/policy-rc.d
    # Installed here only for the tests: keep its system service off at boot too. (An sshd that
    # was installed before is the machine owner's and left alone.)
    if [[ " ${want[*]} " == *" openssh-server "* ]] && command -v systemctl >/dev/null 2>&1; then
      systemctl disable ssh >/dev/null 2>&1 || true
    fi
    # Debian starts nginx.service on install (port 80); flamebench runs its own private instances,
    # so stop and disable that one service — and only it (ours run with -p <run dir>).
    if command -v systemctl >/dev/null 2>&1 && systemctl is-system-running >/dev/null 2>&1; then
      systemctl disable --now nginx >/dev/null 2>&1 || true
    elif [ -x /etc/init.d/nginx ]; then
      /etc/init.d/nginx stop >/dev/null 2>&1 || true
    fi
  fi
fi

# tracefs: the offcpu probe reads sched:sched_switch.
if [ "$(id -u)" = 0 ] && [ ! -e /sys/kernel/tracing/events ] && [ -d /sys/kernel/tracing ]; then
  mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null && say "mounted tracefs at /sys/kernel/tracing" || true
fi

# npm packages: install when node_modules is missing or older than the lock file.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund >&2
fi

# Build when any source is newer than the last build.
if [ ! -f dist/.built ] || [ -n "$(find src schema package.json tsconfig.json -newer dist/.built -print -quit 2>/dev/null)" ]; then
  say "building (tsc)"
  npm run --silent build >&2
fi

# Profiling LuaJIT: Debian's LuaJIT source at the installed version, rebuilt with symbols, frame
# pointers and perftools into ~/.cache/flamebench (outside the repository), so C-level flame
# graphs of Lua code name LuaJIT's functions (scenarios: openresty.luajit auto|profiling|system).
# Needs the Debian source archive (apt-get source with a private deb-src entry); where it is not
# reachable, or nginx is an OpenResty with its own LuaJIT, runs use the system LuaJIT and say why.
# Already built: a quick no-op. FLAMEBENCH_SKIP_LUAJIT=1 skips it.
if [ "${FLAMEBENCH_SKIP_LUAJIT:-0}" != 1 ]; then
  node dist/cli/main.js build luajit --if-possible
fi
