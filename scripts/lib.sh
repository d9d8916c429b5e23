# Shared by scripts/run, scripts/test and scripts/bench: installs what is missing on a fresh
# Debian machine and starts a local Mosquitto broker when none answers. Sourced, not run.

# Debian packages the hub needs to build, run and test.
HUB_APT_PACKAGES=(pkg-config libmosquitto-dev libsqlite3-dev libssl-dev libqpdf-dev libmicrohttpd-dev libxml2-dev libcurl4-openssl-dev zlib1g-dev libpq-dev mosquitto mosquitto-clients sqlite3 postgresql openssl python3 curl)

say() { printf '[hub] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

ensure_swift() {
    if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then
        export PATH="/opt/swift/usr/bin:$PATH"
    fi
    command -v swift >/dev/null 2>&1 || die "no Swift toolchain found: install Swift 6 (https://www.swift.org/install/) and put swift on PATH"
}

ensure_packages() {
    local missing=()
    for package in "${HUB_APT_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    command -v apt-get >/dev/null 2>&1 || die "missing packages (${missing[*]}) and no apt-get: install them by hand"
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 || die "missing packages (${missing[*]}): run as root or install them by hand"
        sudo="sudo"
    fi
    say "installing ${missing[*]}"
    $sudo apt-get update -qq || die "apt-get update failed: check the network or the apt sources"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
        || die "apt-get install ${missing[*]} failed"
}

# broker_answers HOST PORT: true when something accepts TCP connections there.
broker_answers() {
    (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

# ensure_broker PORT DATA_DIR: starts mosquitto on 127.0.0.1:PORT with the project's broker
# settings unless a broker already answers; the one started here is stopped when the script exits.
HUB_STARTED_BROKER_PID=""
ensure_broker() {
    local port="$1" data="$2"
    if broker_answers 127.0.0.1 "$port"; then
        say "using the MQTT broker already on 127.0.0.1:$port"
        return 0
    fi
    local mosquitto
    mosquitto=$(command -v mosquitto || echo /usr/sbin/mosquitto)
    [ -x "$mosquitto" ] || die "mosquitto not found after installing it"
    mkdir -p "$data/mosquitto"
    sed -e "s|@PORT@|$port|" -e "s|@USER@|$(id -un)|" -e "s|@DATA@|$(cd "$data" && pwd)/mosquitto|" config/mosquitto.conf > "$data/mosquitto/mosquitto.conf"
    "$mosquitto" -c "$data/mosquitto/mosquitto.conf" &
    HUB_STARTED_BROKER_PID=$!
    trap stop_started_broker EXIT
    for _ in $(seq 1 50); do
        broker_answers 127.0.0.1 "$port" && { say "started mosquitto on 127.0.0.1:$port (pid $HUB_STARTED_BROKER_PID)"; return 0; }
        sleep 0.1
    done
    die "mosquitto did not start on port $port; see $data/mosquitto/mosquitto.log"
}

stop_started_broker() {
    if [ -n "$HUB_STARTED_BROKER_PID" ]; then
        kill -TERM "$HUB_STARTED_BROKER_PID" 2>/dev/null && wait "$HUB_STARTED_BROKER_PID" 2>/dev/null
        say "stopped the mosquitto broker started for this run"
        HUB_STARTED_BROKER_PID=""
    fi
}

# ensure_python_tools PACKAGE...: a Python virtual environment (kept out of git) with the given PyPI
# packages, for baselines and test tools; prints nothing, exports HUB_PYTHON. The environment is
# .venv unless HUB_VENV names another (tools whose pins conflict live apart).
ensure_python_tools() {
    local venv="${HUB_VENV:-.venv}"
    HUB_APT_PACKAGES+=(python3 python3-venv)
    ensure_packages
    if [ ! -x "$venv/bin/python" ]; then
        say "creating the Python environment $venv"
        python3 -m venv "$venv" || die "python3 -m venv $venv failed"
    fi
    local missing=()
    for package in "$@"; do
        "$venv/bin/python" -m pip show -q "${package%%[<>=]*}" >/dev/null 2>&1 || missing+=("$package")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        say "installing ${missing[*]} from PyPI into $venv"
        "$venv/bin/python" -m pip install -q --disable-pip-version-check "${missing[@]}" >&2 || die "pip install ${missing[*]} failed"
    fi
    export HUB_PYTHON="$PWD/$venv/bin/python"
}
