#!/usr/bin/env bash
# Checks that a user can `go get` every module of this repository once it is
# released (see RELEASING.md), without publishing anything:
#
#  1. copies the tree (the working tree's tracked and unignored files, or
#     REV's with -rev) into a temporary directory;
#  2. prepares it as the release commit would be: scripts/release-prep.sh
#     VERSION, when the copied tree has that script;
#  3. writes a file-based module proxy holding every module of the copy
#     (every go.mod, found anew: the core and every nested module) at the
#     made-up VERSION (scripts/modproxy/main.go);
#  4. in a fresh module with no replace and an empty module cache, runs
#     `go get MODULE@VERSION` for each module, with GOPROXY set to the local
#     proxy first and this machine's GOPROXY after it for the other
#     dependencies (go-redis, ...);
#  5. builds and runs a program that imports every non-internal, non-main
#     package of every module, and builds every command (main package);
#  6. installs every command (every main package under a cmd/ directory) with `go install MODULE/cmd/NAME@VERSION` in a
#     clean GOPATH, outside any module, and runs each binary's -version,
#     which must report VERSION.
#
#   scripts/release-check.sh                  # the working tree
#   scripts/release-check.sh -rev HEAD~3      # a commit
#   VERSION=v0.7.0-check scripts/release-check.sh
#
# It needs network access to the public proxy (or a module cache that holds
# the dependencies: the local cache is consulted before the network).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

rev=
if [ "${1:-}" = "-rev" ]; then rev=${2:?-rev needs a revision}; shift 2; fi
if [ $# -ne 0 ]; then echo "usage: scripts/release-check.sh [-rev REV]" >&2; exit 2; fi
version=${VERSION:-v0.99.0-releasecheck}

work=$(mktemp -d "${TMPDIR:-/tmp}/restorehub-release-check.XXXXXX")
cleanup() { chmod -R u+w "$work" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
mkdir -p "$work/src"

# 1. The tree.
if [ -n "$rev" ]; then
  echo "-- the tree of $rev ($(git rev-parse --short "$rev"))"
  git archive "$rev" | tar -x -C "$work/src"
else
  changes=
  if [ -n "$(git status --porcelain --untracked-files=normal)" ]; then changes=", with uncommitted changes"; fi
  echo "-- the working tree ($(git rev-parse --short HEAD)$changes)"
  git ls-files -z --cached --others --exclude-standard |
    while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
    tar --null -T - -cf - | tar -x -C "$work/src"
fi

# 2. The release commit's go.mod files.
if [ -x "$work/src/scripts/release-prep.sh" ]; then
  echo "-- scripts/release-prep.sh $version"
  (cd "$work/src" && scripts/release-prep.sh "$version")
else
  echo "-- no scripts/release-prep.sh in that tree: its go.mod files are published as they are"
fi

# 3. The proxy.
echo "-- a file-based proxy at $version"
go run "$root/scripts/modproxy/main.go" -src "$work/src" -version "$version" -out "$work/proxy" >"$work/modules"
sed 's/^/   /' "$work/modules"

# 4. A user's module.
fallback=$(go env GOPROXY)
modcache=$(go env GOMODCACHE)
export GOPROXY="file://$work/proxy,file://$modcache/cache/download,$fallback"
export GOMODCACHE="$work/modcache"
export GOFLAGS="$(go env GOFLAGS) -mod=mod -modcacherw"
export GONOSUMDB="github.com/restorehub/restorehub-go" # the made-up version is in no checksum database
export GOVCS="github.com/restorehub:off"               # never fetch the real repository instead
export GOWORK=off GOTOOLCHAIN=local GIT_TERMINAL_PROMPT=0
# Known checksums of the dependencies, so the checksum database is asked only about new ones.
find "$work/src" -name go.sum -not -path '*/testdata/*' -exec cat {} + | sort -u >"$work/known.sum"
newmodule() { # a fresh user's module in directory $1
  mkdir -p "$1" && cd "$1"
  go mod init example.com/releasecheck >/dev/null 2>&1
  cp "$work/known.sum" go.sum
}

# Each module on its own first, as a user's first `go get` of it would be:
# that is what a nested module's require of an unpublished core breaks.
status=0
pkgs=()
mains=()
mods=()
while read -r mod dir; do
  mods+=("$mod@$version")
  echo "-- in a fresh module: go get $mod@$version"
  newmodule "$work/alone-${dir//\//_}"
  if ! go get "$mod@$version" 2>&1 | sed 's/^/   /'; then
    echo "FAIL: go get $mod@$version (see $dir/go.mod)"
    status=1
    continue
  fi
  while read -r p name; do
    case "$p" in */internal | */internal/*) continue ;; esac
    if [ "$name" = main ]; then mains+=("$p"); else pkgs+=("$p"); fi
  done < <(go list -f '{{.ImportPath}} {{.Name}}' "$mod/...")
done <"$work/modules"
[ $status = 0 ] || { echo "release check FAILED: a module cannot be fetched as a user would"; exit 1; }

# 5. All together: a program that imports every package.
newmodule "$work/together"
{
  echo "package main"
  echo
  echo "import ("
  echo '	"fmt"'
  printf '\t_ "%s"\n' "${pkgs[@]}"
  echo ")"
  echo
  echo "func main() { fmt.Println(\"imported $((${#pkgs[@]})) packages\") }"
} >main.go
echo "-- in a fresh module: go get ${mods[*]}; go build of a program importing ${#pkgs[@]} packages"
go get "${mods[@]}" 2>&1 | sed 's/^/   /'
go build -o "$work/releasecheck" .
"$work/releasecheck"
if [ ${#mains[@]} -gt 0 ]; then
  echo "-- go build of the ${#mains[@]} commands (go run MODULE/cmd/...@VERSION works)"
  mkdir -p "$work/bin"
  go build -o "$work/bin/" "${mains[@]}"
  # As a user installs a command: go install MODULE/cmd/NAME@VERSION, outside
  # any module, in a clean GOPATH (a module with a replace directive fails
  # here), then the installed binary must run and report VERSION.
  (
    cd "$work"
    export GOPATH="$work/gopath" GOBIN="$work/gopath/bin" GOMODCACHE="$work/gopath/pkg/mod"
    export GOFLAGS=-modcacherw
    for p in "${mains[@]}"; do
      case "$p" in */cmd/*) ;; *) continue ;; esac # the commands; examples are only built
      name=${p##*/}
      echo "-- in a clean GOPATH: go install $p@$version; $name -version"
      if ! go install "$p@$version" 2>&1 | sed 's/^/   /'; then
        echo "FAIL: go install $p@$version"; exit 1
      fi
      out=$("$GOBIN/$name" -version) || { echo "FAIL: $name -version exited $?"; exit 1; }
      echo "   $out"
      case "$out" in
        *" ${version#v}"*) ;;
        *) echo "FAIL: $name -version does not report ${version#v}"; exit 1 ;;
      esac
    done
  )
fi
echo "-- go.mod of the user's module"
sed -n '/^require/,/^)/p' go.mod | grep restorehub
echo "release check passed: every module can be fetched and built at $version"
