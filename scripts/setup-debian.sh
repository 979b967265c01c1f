#!/usr/bin/env bash
# Installs the Debian packages sessionsim builds and runs with. Idempotent: does nothing when
# every package is already installed; otherwise runs apt-get update once and installs the rest.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config git clang-format clang libclang-rt-14-dev
  ns3 libns3-dev libgsl-dev
  libsodium-dev zlib1g-dev libzstd-dev libboost-graph-dev libprotobuf-dev protobuf-compiler libcsv-dev iso-codes
  nlohmann-json3-dev libtomlplusplus-dev libcli11-dev libsqlite3-dev libssl-dev iproute2
  libgtest-dev libgmock-dev googletest libbenchmark-dev librapidcheck-dev
  pybind11-dev python3-dev python3-pytest python3-numpy python3-pandas python3-matplotlib
  python3-scipy python3-mpi4py openmpi-bin
  chromium mkdocs doxygen tshark stress-ng
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js and npm fetch the explorer's JavaScript libraries and drive its browser tests. A
# machine may have them from elsewhere (NodeSource): Debian's are installed only when none is.
command -v npm >/dev/null || missing+=(nodejs npm)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "setup: installing ${#missing[@]} Debian packages: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup: need root (or sudo) to apt-get install" >&2; exit 1; }
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: done"
