#!/usr/bin/env bash
# Debian's chromium, which the browser test of the HTML report drives (tests/Expt.Cli.Tests/Rendering/ChromiumReportTests.cs).
# Idempotent: nothing happens when it is already installed. Needs root (CI runs as root).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium >/dev/null
test -x /usr/bin/chromium
