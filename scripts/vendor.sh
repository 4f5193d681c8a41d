#!/usr/bin/env bash
# Refreshes static/vendor/ from the npm registry at the pinned versions, so that running the app
# never needs Node: the extracted files are committed. Usage: scripts/vendor.sh (or make vendor).
set -euo pipefail
BOOTSTRAP_VERSION="${BOOTSTRAP_VERSION:-5.3.8}"
BOOTSTRAP_ICONS_VERSION="${BOOTSTRAP_ICONS_VERSION:-1.13.1}"

root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/static/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$work"
npm pack --silent "bootstrap@$BOOTSTRAP_VERSION" "bootstrap-icons@$BOOTSTRAP_ICONS_VERSION" >/dev/null
mkdir bs icons
tar -xzf "bootstrap-$BOOTSTRAP_VERSION.tgz" -C bs
tar -xzf "bootstrap-icons-$BOOTSTRAP_ICONS_VERSION.tgz" -C icons

rm -rf "$dest/bootstrap" "$dest/bootstrap-icons"
mkdir -p "$dest/bootstrap/css" "$dest/bootstrap/js" "$dest/bootstrap-icons/fonts"
cp bs/package/dist/css/bootstrap.min.css bs/package/dist/css/bootstrap.min.css.map "$dest/bootstrap/css/"
cp bs/package/dist/js/bootstrap.bundle.min.js bs/package/dist/js/bootstrap.bundle.min.js.map "$dest/bootstrap/js/"
cp bs/package/LICENSE "$dest/bootstrap/LICENSE"
cp icons/package/font/bootstrap-icons.min.css "$dest/bootstrap-icons/"
cp icons/package/font/fonts/bootstrap-icons.woff2 icons/package/font/fonts/bootstrap-icons.woff \
  "$dest/bootstrap-icons/fonts/"
cp icons/package/LICENSE "$dest/bootstrap-icons/LICENSE"
printf 'bootstrap %s\nbootstrap-icons %s\n' "$BOOTSTRAP_VERSION" "$BOOTSTRAP_ICONS_VERSION" \
  >"$dest/VERSIONS"
echo "vendored bootstrap $BOOTSTRAP_VERSION and bootstrap-icons $BOOTSTRAP_ICONS_VERSION into $dest"
