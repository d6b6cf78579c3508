#!/usr/bin/env bash
# The real servers the protocol tests talk to, from Debian's packages, on their
# standard local ports: installed when missing, started when stopped. No systemd
# here, so each is started by hand (the commands STACK.md verified).
set -euo pipefail

packages=(postgresql mariadb-server redis-server rabbitmq-server nats-server mosquitto)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "services: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Containers for the image and compose tests (deploy/test): podman with runc (crun 1.8
# refuses this VM's cgroups), debootstrap for the base image, podman-compose, and the CNI
# dnsname plugin that lets compose services reach each other by name.
container_packages=(podman runc debootstrap podman-compose golang-github-containernetworking-plugin-dnsname)
missing=()
for package in "${container_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "services: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() {
  local name=$1 port=$2 seconds=$3
  for _ in $(seq 1 $((seconds * 5))); do
    port_open "$port" && return 0
    sleep 0.2
  done
  echo "services: $name did not open port $port within ${seconds}s" >&2
  return 1
}

start() {
  local name=$1 port=$2 seconds=$3
  shift 3
  if port_open "$port"; then return 0; fi
  echo "services: starting $name"
  "$@" >/dev/null 2>&1 || true
  wait_port "$name" "$port" "$seconds"
}

pg_version=$(ls /etc/postgresql | sort -n | tail -1)
start postgresql 5432 30 pg_ctlcluster --skip-systemctl-redirect "$pg_version" main start
start mariadb 3306 30 bash -c 'mkdir -p /run/mysqld && chown mysql /run/mysqld && start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql'
start redis 6379 15 redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
start nats 4222 15 start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- -a 127.0.0.1 -p 4222
start mosquitto 1883 15 bash -c 'mkdir -p /run/mosquitto && chown mosquitto /run/mosquitto && mosquitto -d -c /etc/mosquitto/mosquitto.conf'
start rabbitmq 5672 90 rabbitmq-server -detached

# Test credentials: a password-authenticated user in each database (the
# protocol tests exercise auth, and redaction of it).
su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='periscope'\"" | grep -q 1 ||
  su postgres -c "psql -qc \"CREATE ROLE periscope LOGIN SUPERUSER PASSWORD 'periscope'\""
su postgres -c "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='periscope'\"" | grep -q 1 ||
  su postgres -c "createdb -O periscope periscope"
mariadb -uroot -e "CREATE DATABASE IF NOT EXISTS periscope; CREATE USER IF NOT EXISTS 'periscope'@'%' IDENTIFIED BY 'periscope'; CREATE USER IF NOT EXISTS 'periscope'@'localhost' IDENTIFIED BY 'periscope'; GRANT ALL ON periscope.* TO 'periscope'@'%'; GRANT ALL ON periscope.* TO 'periscope'@'localhost';"
echo "services: postgresql:5432 mariadb:3306 redis:6379 nats:4222 mosquitto:1883 rabbitmq:5672 ready (user/password/db periscope)"
