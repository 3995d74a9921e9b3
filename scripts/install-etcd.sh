#!/usr/bin/env bash
# Makes sure an etcd server binary is on this machine, for ordo-registry's tests (they start a real etcd).
# Installs Debian's etcd-server package when `etcd` is not on the PATH; needs root (or sudo without a
# password) and network access to the distribution's mirrors. Prints the path of the etcd binary on
# success; exits non-zero, saying why, when it cannot install it.
set -euo pipefail

find_etcd() {
  command -v etcd 2>/dev/null && return 0
  for candidate in /usr/bin/etcd /usr/local/bin/etcd /usr/sbin/etcd; do
    if [ -x "$candidate" ]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

if find_etcd; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-etcd.sh: etcd is not installed and this machine has no apt-get; install etcd (3.4 or later) by hand" >&2
  exit 2
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as_root=(sudo -n)
  else
    echo "install-etcd.sh: etcd is not installed, and installing it (apt-get install etcd-server) needs root" >&2
    exit 3
  fi
fi

export DEBIAN_FRONTEND=noninteractive
# The package may try to start its own service; the tests start their own servers and do not use it.
if ! "${as_root[@]}" apt-get install -y --no-install-recommends etcd-server >&2; then
  "${as_root[@]}" apt-get update >&2
  "${as_root[@]}" apt-get install -y --no-install-recommends etcd-server >&2
fi

if find_etcd; then
  exit 0
fi
echo "install-etcd.sh: apt-get installed etcd-server, but no etcd binary was found" >&2
exit 4
