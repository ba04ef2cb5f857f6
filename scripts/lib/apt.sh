# shellcheck shell=bash
# missing_apt_packages PKG...: prints those of the Debian packages that are not installed.
missing_apt_packages() {
  local missing=() package
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
  done
  echo "${missing[*]}"
}

# apt_privilege: prints the command prefix that runs apt-get as root ("" as root, "sudo" / "sudo -n"),
# or returns 1 when there is none. sudo may ask for a password only on a terminal.
apt_privilege() {
  if [[ $(id -u) -eq 0 ]]; then
    echo ''
  elif ! command -v sudo >/dev/null; then
    return 1
  elif [[ -t 0 ]]; then
    echo sudo
  elif sudo -n true 2>/dev/null; then
    echo 'sudo -n'
  else
    return 1
  fi
}

# ensure_apt_packages PKG...: installs the Debian packages that are missing (as root, or through sudo).
# Does no apt work when all are installed; returns 1 when they are missing and cannot be installed.
ensure_apt_packages() {
  local missing sudo_cmd
  read -r -a missing <<<"$(missing_apt_packages "$@")"
  (( ${#missing[@]} == 0 )) && return 0
  if ! command -v apt-get >/dev/null; then
    echo "apt: ${missing[*]} missing and there is no apt-get here" >&2
    return 1
  fi
  if ! sudo_cmd=$(apt_privilege); then
    echo "apt: ${missing[*]} missing; installing needs root or sudo" >&2
    return 1
  fi
  local prefix=()
  read -r -a prefix <<<"$sudo_cmd"
  echo "apt: installing ${missing[*]}"
  "${prefix[@]}" apt-get update -qq &&
    "${prefix[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
