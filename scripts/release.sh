#!/usr/bin/env bash
# Cuts release vX.Y.Z of the action and moves the major tag vX to it, so that users pinned to
# `@vX` get the release and users pinned to `@vX.Y.Z` or a commit SHA never move.
#
#   scripts/release.sh 1.2.0      # then push what it prints
#
# It refuses a dirty work tree, a branch other than main, an existing tag, and a CHANGELOG
# without a "## [X.Y.Z]" section; it sets package.json's version (the action's User-Agent reads
# it), rebuilds dist/, runs the tests, commits, and tags.
set -euo pipefail

fail() { echo "release: $*" >&2; exit 1; }

version=${1:-}
version=${version#v}
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "usage: scripts/release.sh X.Y.Z"
major="v${version%%.*}"
cd "$(dirname "$0")/.."

[ -z "$(git status --porcelain)" ] || fail "the work tree has uncommitted changes"
[ "$(git branch --show-current)" = main ] || fail "release from main"
! git rev-parse -q --verify "refs/tags/v$version" >/dev/null || fail "tag v$version exists"
grep -q "^## \[$version\]" CHANGELOG.md || fail "CHANGELOG.md has no section \"## [$version]\""

# From here on package.json and dist/ change: a failure leaves them changed, and the next run
# would refuse the dirty tree, so say how to start over.
trap 'echo "release: failed; nothing was committed or tagged. Start over with: git checkout -- package.json package-lock.json dist && git clean -fdq dist" >&2' ERR
npm version "$version" --no-git-tag-version --allow-same-version >/dev/null
npm ci --no-audit --no-fund
npm run bundle
npm test
trap - ERR

git add package.json package-lock.json dist
git diff --cached --quiet || git commit -m "Release v$version"
git tag -a "v$version" -m "v$version"
git tag -f -a "$major" -m "$major: v$version"

echo
echo "Tagged v$version and moved $major. Publish with:"
echo "  git push origin main v$version && git push --force origin $major"
echo "then create the GitHub release from v$version with the CHANGELOG section as its notes."
