# Sourced by the scripts: install Debian packages for commands that are missing, or say what to install.

# ensure_commands CMD:PACKAGE... — for each CMD not on PATH, apt-get installs PACKAGE (as root), else exits
# with the exact command a person should run.
ensure_commands() {
  local missing=() pair
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
  done
  install_packages "${missing[@]}"
}

# ensure_files PATH:PACKAGE... — the same for packages needed for a file rather than a command (mender-client's
# update modules in /usr/share/mender/modules/v3).
ensure_files() {
  local missing=() pair
  for pair in "$@"; do
    [ -e "${pair%%:*}" ] || missing+=("${pair#*:}")
  done
  install_packages "${missing[@]}"
}

# install_packages PACKAGE... — apt-get install as root, else exit naming the command to run. Nothing: no-op.
install_packages() {
  (($# == 0)) && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing: $*" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
  else
    echo "missing packages: $* — install them with: sudo apt-get install $*" >&2
    exit 1
  fi
}
