# shellcheck shell=bash
# ensure_node_deps: installs npm dependencies when node_modules is missing or older than the lockfile.
ensure_node_deps() {
  if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
    echo "npm: installing dependencies"
    ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund
  fi
}
