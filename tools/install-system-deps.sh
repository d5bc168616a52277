#!/usr/bin/env bash
# Install the Debian packages twin_app needs at run and test time, where they are missing:
# Xvfb (a virtual screen for the GUI and its tests; xrandr splits it into monitors for the
# multi-screen wall test), the xcb libraries Qt's xcb platform loads,
# Mesa (OpenGL/EGL in software), a CJK font for Chinese text in Qt and in VTK labels, and the
# servers the telemetry tests start on loopback (PostgreSQL, Mosquitto; the tests run their own
# instances), and openssl for the MQTT TLS test.
# Does nothing when everything is present; on a non-Debian system or as a non-root user it only
# says what is missing.
set -euo pipefail

packages=(
  xvfb xauth x11-xserver-utils fontconfig fonts-wqy-microhei
  libgl1-mesa-dri libglx-mesa0 libegl1 libegl-mesa0 libgl1
  libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxcb-image0 libxcb-render-util0
  libxcb-xinerama0 libxcb-xkb1 libxkbcommon-x11-0 libxcb-shape0 libxcb-randr0
  libxcb-xfixes0 libxcb-sync1 libxcb-shm0 libxrender1 libdbus-1-3 libfontconfig1
  postgresql
  mosquitto openssl
)

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "install-system-deps: not a Debian system; make sure Xvfb, Mesa, the Qt xcb libraries and a CJK font are installed" >&2
  exit 0
fi

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$package")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -ne 0 ]]; then
  echo "install-system-deps: missing Debian packages: ${missing[*]}" >&2
  echo "install-system-deps: run as root: apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "install-system-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
