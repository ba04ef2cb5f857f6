# shellcheck shell=bash
# ensure_apt_packages PKG...: installs the Debian packages that are missing (as root, or through sudo).
ensure_apt_packages() {
  local missing=() package
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
  done
  (( ${#missing[@]} == 0 )) && return 0
  if ! command -v apt-get >/dev/null; then
    echo "apt: missing ${missing[*]} and no apt-get here; install them by hand" >&2
    return 1
  fi
  local sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  echo "apt: installing ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
