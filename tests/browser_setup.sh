#!/usr/bin/env bash
# Install Debian's Chromium and its driver for the HTML report's browser test, when absent.
# Called from .ci/run; the test skips cleanly when /usr/bin/chromium is missing.
set -euo pipefail
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
fi
/usr/bin/chromium --version || true
