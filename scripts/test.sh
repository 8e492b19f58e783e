#!/usr/bin/env bash
# Runs every check and test kaitei has. On a fresh Debian machine with the
# Rust toolchain it first installs what the tests need.
set -euo pipefail
cd "$(dirname "$0")/.."

# --- what the tests need ------------------------------------------------------
# LibreOffice converts the DOCX comparison tables kaitei writes (the tests
# check that they open); Noto CJK gives it Japanese glyphs.
packages=()
command -v soffice >/dev/null 2>&1 || packages+=(libreoffice-writer-nogui)
# Calc opens the consultation answer templates (.xlsx).
dpkg -s libreoffice-calc-nogui >/dev/null 2>&1 || packages+=(libreoffice-calc-nogui)
[ -e /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] || packages+=(fonts-noto-cjk)
command -v pdftotext >/dev/null 2>&1 || packages+=(poppler-utils)
# Debian's Chromium for the browser journeys (Playwright never downloads one).
command -v chromium >/dev/null 2>&1 || packages+=(chromium)
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
# python-docx opens the DOCX tables too (a second, independent reader).
command -v python3 >/dev/null 2>&1 || packages+=(python3)
python3 -m pip --version >/dev/null 2>&1 || packages+=(python3-pip)
# PostgreSQL: the store, the route × role matrices and the commands are
# tested on it too.
command -v pg_ctlcluster >/dev/null 2>&1 || packages+=(postgresql)
if [ ${#packages[@]} -gt 0 ]; then
    echo "scripts/test.sh: installing ${packages[*]}" >&2
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${packages[@]}"
fi
# openpyxl fills the consultation answer template as a respondent would;
# compliance-trestle loads and resolves the OSCAL documents kaitei writes.
for module in docx:python-docx openpyxl:openpyxl trestle:compliance-trestle; do
    if ! python3 -c "import ${module%%:*}" >/dev/null 2>&1; then
        echo "scripts/test.sh: installing ${module#*:}" >&2
        # Debian's own Python refuses pip installs outside a virtual
        # environment (PEP 668) unless told to; a user install touches no
        # system package.
        python3 -m pip install --quiet "${module#*:}" 2>/dev/null \
            || python3 -m pip install --quiet --user --break-system-packages "${module#*:}"
    fi
done
# A PostgreSQL cluster running, with a role that may create the tests'
# databases (each test makes its own and drops it).
if [ -z "${KAITEI_TEST_POSTGRES:-}" ]; then
    sudo="" as_postgres=(runuser -u postgres --)
    [ "$(id -u)" -eq 0 ] || { sudo="sudo"; as_postgres=(sudo -u postgres); }
    cluster=$(pg_lsclusters --no-header | awk 'NR == 1 {print $1 " " $2}')
    if [ -z "$cluster" ]; then
        version=$(ls /usr/lib/postgresql | sort -n | tail -1)
        $sudo pg_createcluster "$version" main >/dev/null
        cluster="$version main"
    fi
    # shellcheck disable=SC2086
    $sudo pg_ctlcluster $cluster start >/dev/null 2>&1 || true
    port=$(pg_lsclusters --no-header | awk 'NR == 1 {print $3}')
    for _ in $(seq 30); do
        "${as_postgres[@]}" psql -p "$port" -qtAc 'SELECT 1' >/dev/null 2>&1 && break
        sleep 1
    done
    "${as_postgres[@]}" psql -p "$port" -v ON_ERROR_STOP=1 -qc "DO \$\$ BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'kaitei_test') THEN
            CREATE ROLE kaitei_test LOGIN PASSWORD 'kaitei_test' CREATEDB;
        END IF; END \$\$;" >/dev/null
    export KAITEI_TEST_POSTGRES="postgres://kaitei_test:kaitei_test@127.0.0.1:$port/postgres"
fi
rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy rustfmt

# --- checks and tests --------------------------------------------------------
# Cargo probes rustc with a program on rustc's standard input and caches
# the answer; an inherited standard input that is not empty (seen here from
# a job runner) makes the probe fail, and the failure stays cached until the
# cache goes. So: nothing on standard input, and a fresh probe (a fraction
# of a second).
exec </dev/null
rm -f "${CARGO_TARGET_DIR:-target}/.rustc_info.json"
cargo fmt --all --check
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo test --workspace --locked

# --- crash safety: kaitei serve killed mid-burst, on both backends ------------
# Uses the debug binaries the tests built (nothing is compiled again).
scripts/crash.sh

# --- browser journeys (headless Chromium through Playwright) ------------------
(cd tests/browser && { { [ -d node_modules/playwright-core ] && [ -d node_modules/axe-core ]; } || npm ci --no-audit --no-fund --silent; })
node tests/browser/journeys.mjs
