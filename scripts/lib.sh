# Shared by scripts/serve and scripts/test: installs what Preflight needs on a
# fresh Debian machine that has rustup, cargo, Node/npm and apt. Every step
# checks first, so a second run costs a few seconds.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Debian packages: clang/LLVM 19 and wasi-libc build the PostgreSQL parser
# into the browser module; the rest are named by the caller.
ensure_apt_packages() {
    local missing=()
    for package in clang-19 llvm-19 libclang-19-dev wasi-libc "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" \
            || missing+=("$package")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        say "Installing Debian packages: ${missing[*]}"
        as_root apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
    fi
}

ensure_wasm_target() {
    if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
        say "Adding the wasm32-unknown-unknown Rust target"
        rustup target add wasm32-unknown-unknown
    fi
}

# The version of a crate as pinned in Cargo.lock.
locked_version() {
    awk -v name="$1" '$0 == "name = \"" name "\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

# cargo install TOOL_CRATE at VERSION unless BINARY already reports it.
ensure_cargo_tool() {
    local crate=$1 binary=$2 version=$3
    if "$binary" --version 2>/dev/null | grep -qF " $version"; then
        return
    fi
    say "Installing $crate $version (one time; several minutes)"
    if ! cargo install --quiet --locked "$crate" --version "$version"; then
        # A crate pinned by the tool's own lockfile can be missing from the
        # registry mirror; resolve its dependencies afresh instead.
        say "Locked install of $crate failed; retrying with fresh dependency resolution"
        cargo install --quiet "$crate" --version "$version"
    fi
}

# binaryen's wasm-opt, which Trunk runs to shrink the module: npm's build, as
# Debian's is too old to read the module (it has table.fill).
ensure_wasm_opt() {
    local tools=web/tools
    if [ ! -f $tools/node_modules/.package-lock.json ] \
        || [ $tools/package-lock.json -nt $tools/node_modules/.package-lock.json ]; then
        say "Installing binaryen's wasm-opt (npm, one time)"
        npm ci --prefix $tools --no-audit --no-fund --silent
    fi
    export PATH="$ROOT/$tools/node_modules/.bin:$PATH"
}

ensure_web_toolchain() {
    ensure_wasm_target
    ensure_wasm_opt
    # Trunk builds offline: the crates must already be on this machine.
    say "Fetching the Rust crates the app needs (fast once they are here)"
    cargo fetch --locked --quiet
    ensure_cargo_tool wasm-bindgen-cli wasm-bindgen "$(locked_version wasm-bindgen)"
    ensure_cargo_tool trunk trunk 0.21.14
}

# Builds the web app into dist/ (release, offline: nothing is downloaded).
build_web() {
    say "Building the web app into dist/"
    trunk build --release --offline
}
