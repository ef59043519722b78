#!/bin/sh
for arg in "$@"; do printf '%s\n' "$arg"; done > "$FAKE_DOCKER_LOG/call-$$"
[ "$1" = run ] || exit 0
shift
entry=
while [ $# -gt 0 ]; do
  case "$1" in
    --rm|--init) shift ;;
    --name|-v|-e) shift 2 ;;
    -w) cd "$2" || exit 125; shift 2 ;;
    --entrypoint) entry=$2; shift 2 ;;
    *) break ;;
  esac
done
shift
exec "$entry" "$@"
