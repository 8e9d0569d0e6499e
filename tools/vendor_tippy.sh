#!/usr/bin/env bash
# Re-creates _static/vendor/: the minified UMD builds of tippy.js and Popper (both MIT) that the
# hover previews (_static/netralitas-previews.js) use, served from the site (no CDN request).
# Needs npm (it only downloads the two package tarballs from the npm registry; nothing is
# installed). Check the sha256 of the tarballs against the ones in _static/vendor/README.md.
set -euo pipefail
TIPPY=6.3.7
POPPER=2.11.8
out="$(cd "$(dirname "$0")/.." && pwd)/_static/vendor"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
npm pack --silent "tippy.js@$TIPPY" "@popperjs/core@$POPPER" >/dev/null
sha256sum "tippy.js-$TIPPY.tgz" "popperjs-core-$POPPER.tgz"
mkdir tippy popper
tar xzf "tippy.js-$TIPPY.tgz" -C tippy
tar xzf "popperjs-core-$POPPER.tgz" -C popper
mkdir -p "$out"
# the builds as published, minus the source-map comment (the maps are not shipped)
sed '/^\/\/# sourceMappingURL=/d' popper/package/dist/umd/popper.min.js > "$out/popper.min.js"
sed '/^\/\/# sourceMappingURL=/d' tippy/package/dist/tippy-bundle.umd.min.js > "$out/tippy-bundle.umd.min.js"
cp popper/package/LICENSE.md "$out/LICENSE-popper.md"
cp tippy/package/LICENSE "$out/LICENSE-tippy.txt"
echo "vendored tippy.js $TIPPY and @popperjs/core $POPPER into $out"
