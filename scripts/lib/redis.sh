# shellcheck shell=bash
# ensure_redis: makes sure Redis answers on REDIS_URL (default redis://127.0.0.1:6379/0).
# Uses a running one; else starts a local redis-server (scripts/system-packages.txt installs it);
# else `docker compose up -d platform-redis`.

redis_url() { echo "${REDIS_URL:-redis://127.0.0.1:6379/0}"; }

redis_host_port() {
  local rest=${1#*://}
  rest=${rest#*@}      # drop credentials
  rest=${rest%%/*}     # drop the database
  local host=${rest%%:*} port=6379
  [[ "$rest" == *:* ]] && port=${rest##*:}
  echo "$host" "$port"
}

redis_answers() {
  local host=$1 port=$2 reply=''
  { exec 3<>"/dev/tcp/$host/$port"; } 2>/dev/null || return 1
  printf 'PING\r\n' >&3
  read -r -t 2 reply <&3 || true
  exec 3>&- 3<&-
  [[ "$reply" == +PONG* || "$reply" == -NOAUTH* ]]
}

wait_for_redis() {
  local host=$1 port=$2
  for _ in $(seq 1 50); do
    redis_answers "$host" "$port" && return 0
    sleep 0.2
  done
  return 1
}

ensure_redis() {
  local host port
  read -r host port < <(redis_host_port "$(redis_url)")
  if redis_answers "$host" "$port"; then
    echo "redis: using $(redis_url)"
    return 0
  fi
  if command -v redis-server >/dev/null && [[ "$host" == 127.0.0.1 || "$host" == localhost ]]; then
    mkdir -p var/redis
    redis-server --daemonize yes --bind 127.0.0.1 --port "$port" --save '' --appendonly no \
      --dir "$PWD/var/redis" --logfile "$PWD/var/redis/redis.log" >/dev/null
    wait_for_redis "$host" "$port" && { echo "redis: started a local redis-server on $host:$port"; return 0; }
  fi
  if command -v docker >/dev/null && docker info >/dev/null 2>&1; then
    docker compose up -d platform-redis
    wait_for_redis "$host" "$port" && { echo "redis: started platform-redis with docker compose"; return 0; }
  fi
  echo "redis: no Redis answers on $(redis_url) and none could be started (install redis-server or Docker)" >&2
  return 1
}
