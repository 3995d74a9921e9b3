#!/bin/sh
# Finds headless Chromium for the tests that render Ordo's HTML timeline, installing Debian's
# package when it is missing and this runs as root with apt-get (and a network to the mirrors).
# Prints the browser's path on the last line and exits 0; exits 2, saying why, when it cannot.
set -u
find_browser() {
  for b in chromium chromium-browser google-chrome; do
    if command -v "$b" >/dev/null 2>&1; then
      command -v "$b"
      return 0
    fi
  done
  return 1
}
if find_browser; then
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "Chromium is not installed and this is not root: install it with 'apt-get install chromium'." >&2
  exit 2
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "Chromium is not installed and there is no apt-get here to install it." >&2
  exit 2
fi
echo "Installing Chromium from Debian's packages (apt-get install chromium)..." >&2
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -q --no-install-recommends chromium >&2; then
  apt-get update -q >&2 && apt-get install -y -q --no-install-recommends chromium >&2
fi
if find_browser; then
  exit 0
fi
echo "Could not install Chromium with apt-get (no network to the mirrors?)." >&2
exit 2
