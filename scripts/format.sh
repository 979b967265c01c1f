#!/usr/bin/env bash
# Formats every tracked C++ file in place.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
git ls-files --cached --others --exclude-standard '*.cc' '*.h' | xargs clang-format -i
