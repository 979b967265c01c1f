#!/usr/bin/env bash
# Run a teaching lab: scripts/lab.sh N (1-6), or scripts/lab.sh --list. Sets up and builds
# incrementally (a no-op once built), then runs every command of docs/labs/N-*.md in order and
# prints them with their output, as a transcript to read along with the lab's page. Results land
# in results/labs/N/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ "${1:-}" = "--list" ] || [ $# -ne 1 ]; then
  echo "usage: scripts/lab.sh N     (N = 1..6)"
  for page in "$root"/docs/labs/[0-9]-*.md; do
    printf '  %s  %s\n' "$(basename "$page" | cut -d- -f1)" "$(head -1 "$page" | sed 's/^# //')"
  done
  [ $# -eq 1 ] && exit 0 || exit 2
fi
pages=("$root"/docs/labs/"$1"-*.md)
if [ ! -f "${pages[0]}" ]; then
  echo "lab.sh: no lab $1 (scripts/lab.sh --list names them)" >&2
  exit 2
fi
echo "== building (incremental; the first time takes a while)"
"$root/scripts/build.sh" >/dev/null
exec /usr/bin/python3 "$root/scripts/run-doc-commands.py" "${pages[0]}"
