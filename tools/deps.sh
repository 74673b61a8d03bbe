#!/bin/sh
# Install the Debian packages vmlab needs, if any is missing.  Uses apt-get
# only; downloads nothing else.  Usage: tools/deps.sh PKG...
missing=""
for p in "$@"; do
    st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)
    case "$st" in *" installed") ;; *) missing="$missing $p" ;; esac
done
[ -z "$missing" ] && exit 0
echo "vmlab: installing missing Debian packages:$missing"
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
        echo "vmlab: need root to install:$missing (run: apt-get install$missing)" >&2
        exit 1
    fi
fi
export DEBIAN_FRONTEND=noninteractive
${SUDO:-} apt-get update -qq || exit 1
# shellcheck disable=SC2086
${SUDO:-} apt-get install -y -qq --no-install-recommends $missing >/dev/null || {
    echo "vmlab: apt-get install$missing failed" >&2; exit 1; }
echo "vmlab: packages installed"
