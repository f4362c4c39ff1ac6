#!/usr/bin/env bash
# setup.sh — install ekm's build and test dependencies from Debian's packages
# (as root, or through sudo) and build a release build at build/ekm.
set -euo pipefail
cd "$(dirname "$0")"

packages=(build-essential cmake pkg-config libncurses-dev libreadline-dev
          libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev fonts-dejavu-core
          libcmocka-dev tmux xvfb xauth valgrind clang libclang-rt-14-dev jq
          libopenmpi-dev openmpi-bin libx11-dev xdotool x11-utils python3 zlib1g-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

werror=OFF; [ "${CI:-}" = true ] && werror=ON
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DEKM_WERROR=$werror
cmake --build build -j"$(nproc)"
echo "built: $(pwd)/build/ekm"
