#!/usr/bin/env bash
# Prepares the release commit of VERSION (see RELEASING.md): in every nested
# module (every go.mod below the root, found anew each time, so a new module
# such as agent/ needs no change here), the requirement of the core module,
# and of any other module of this repository, is set to VERSION.
#
#   scripts/release-prep.sh v0.4.0          # rewrite, then commit the result
#   scripts/release-prep.sh -check v0.4.0   # only verify; exit 1 if a module is not at VERSION
#
# No go.mod has a replace directive (go install MODULE@VERSION refuses one);
# local development and CI build the nested modules against the core in the
# same checkout through each nested module's go.work, which users never see.
# What a user's `go get` or `go install` resolves is the require line this
# script writes, which must name a version of the core that is tagged, which
# is why the core's tag is pushed first. It refuses a go.mod with a replace.
set -euo pipefail
cd "$(dirname "$0")/.."

check=0
if [ "${1:-}" = "-check" ]; then check=1; shift; fi
if [ $# -ne 1 ]; then
  echo "usage: scripts/release-prep.sh [-check] VERSION   (such as v0.4.0)" >&2
  exit 2
fi
version=$1
if ! [[ $version =~ ^v(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?$ ]]; then
  echo "release-prep: $version is not a version such as v0.4.0 or v0.4.0-rc.1" >&2
  exit 2
fi
if [ "${BASH_REMATCH[1]}" != 0 ] && [ "${BASH_REMATCH[1]}" != 1 ]; then
  echo "release-prep: $version: a major version above v1 needs /v${BASH_REMATCH[1]} in every module path first" >&2
  exit 2
fi

# Every go.mod below the root, skipping what the go command skips.
mapfile -t nested < <(find . -mindepth 2 \( -name testdata -o -name vendor -o -name '.*' -o -name '_*' \) -prune -o -name go.mod -type f -print | sort)
modpath() { go mod edit -json "$1" | sed -n 's/^[[:space:]]*"Path": "\(.*\)"$/\1/p' | head -1; }
ours=("$(modpath go.mod)")
for m in "${nested[@]}"; do ours+=("$(modpath "$m")"); done

# The version each go.mod requires of path, from a single-line or block require.
required() { awk -v p="$2" '($1=="require" && $2==p && $3!="=>") {print $3} ($1==p && $2!="=>") {print $2}' "$1" | head -1; }

bad=0
for m in go.mod "${nested[@]}"; do
  if go mod edit -json "$m" | grep -q '"Replace": \[';  then
    echo "$(dirname "$m")/go.mod has a replace directive: go install …@$version would refuse the module; move it to that directory's go.work" >&2
    bad=1
  fi
done
for m in "${nested[@]}"; do
  dir=$(dirname "$m")
  for o in "${ours[@]}"; do
    ver=$(required "$m" "$o")
    [ -n "$ver" ] || continue
    if [ "$ver" = "$version" ]; then
      echo "$dir: requires $o $ver"
    elif [ $check = 1 ]; then
      echo "$dir: requires $o $ver, not $version" >&2; bad=1
    else
      go mod edit -require="$o@$version" "$m"
      echo "$dir: requires $o $version (was $ver)"
    fi
  done
done
exit $bad
