# shellcheck shell=bash source-path=SCRIPTDIR
# ensure_system_packages CONSEQUENCE: installs the missing packages of scripts/system-packages.txt.
# When that is impossible it prints which packages are missing and CONSEQUENCE, and returns 1.
source "$(dirname "${BASH_SOURCE[0]}")/apt.sh"

system_packages() {
  sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' "$(dirname "${BASH_SOURCE[0]}")/../system-packages.txt"
}

ensure_system_packages() {
  local consequence=$1 packages
  mapfile -t packages < <(system_packages)
  ensure_apt_packages "${packages[@]}" && return 0
  local missing
  missing=$(missing_apt_packages "${packages[@]}")
  echo "system packages: could not install ${missing}." >&2
  echo "  Install them with: sudo apt-get install ${missing}" >&2
  echo "  Until then ${consequence}" >&2
  return 1
}
