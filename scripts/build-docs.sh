#!/usr/bin/env bash
# Builds the documentation site (mkdocs, strict: a link to a missing page fails) with the Doxygen
# API reference of models/ and sim/ under api/, into build-docs/site/, then checks every link of
# the built site (scripts/check-doc-links.py). Open
# build-docs/site/index.html, or serve it: python3 -m http.server -d build-docs/site
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup-debian.sh"
cd "$root"
rm -rf build-docs/site build-docs/doxygen build-docs/src
mkdir -p build-docs
doxygen docs/Doxyfile
cp -r docs build-docs/src
rm build-docs/src/Doxyfile
cp -r build-docs/doxygen/html build-docs/src/api
mkdocs build --quiet
/usr/bin/python3 scripts/check-doc-links.py build-docs/site
echo "docs: build-docs/site/index.html ($(find build-docs/site -name '*.html' | wc -l) pages)"
