# Sourced by the demos: a step title on stderr, bold only on a terminal (and never under NO_COLOR,
# https://no-color.org), so a demo piped to a file or a pager holds no escape codes.
step() {
  if [ -t 2 ] && [ -z "${NO_COLOR:-}" ]; then
    printf '\n\033[1m== %s\033[0m\n' "$*" >&2
  else
    printf '\n== %s\n' "$*" >&2
  fi
}
