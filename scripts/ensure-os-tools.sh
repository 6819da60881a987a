#!/usr/bin/env bash
# Interop tests use real peers from Debian's packages: ffmpeg/ffprobe, Chromium, srt-live-transmit, GStreamer's
# srtsink/srtsrc, VLC 3 with its SRT access, and nftables + iproute2 for the packet-loss test in a network
# namespace. Installs them when we can (root + apt), otherwise says exactly what to install.
set -euo pipefail

missing=()
command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg)
command -v ffprobe >/dev/null 2>&1 || missing+=(ffmpeg)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
command -v srt-live-transmit >/dev/null 2>&1 || missing+=(srt-tools)
command -v gst-launch-1.0 >/dev/null 2>&1 || missing+=(gstreamer1.0-tools)
if ! gst-inspect-1.0 srtsink >/dev/null 2>&1; then missing+=(gstreamer1.0-plugins-bad gstreamer1.0-plugins-base); fi
command -v cvlc >/dev/null 2>&1 || missing+=(vlc-bin vlc-plugin-base)
# VLC's SRT access lives in the extra access plugins.
compgen -G '/usr/lib/*/vlc/plugins/access/libaccess_srt_plugin.so' >/dev/null || missing+=(vlc-plugin-access-extra)
command -v nft >/dev/null 2>&1 || missing+=(nftables)
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
[ ${#missing[@]} -eq 0 ] && exit 0

# Unique package names.
packages=$(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "== installing OS packages: $packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $packages >/dev/null
  exit 0
fi
echo "npm test needs these OS packages: $packages" >&2
echo "install them, e.g.: sudo apt-get install -y $packages" >&2
exit 1
