#!/usr/bin/env bash
# Refresh the vendored front-end packages from the npm registry (no CDN at run time).
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent govuk-frontend@5 @ministryofjustice/frontend@5 htmx.org@2 >/dev/null)
for f in "$work"/*.tgz; do mkdir -p "${f%.tgz}" && tar xzf "$f" -C "${f%.tgz}"; done
g=$(ls -d "$work"/govuk-frontend-*/package/dist/govuk)
m=$(ls -d "$work"/ministryofjustice-frontend-*/package/moj)
h=$(ls -d "$work"/htmx.org-*/package/dist)
rm -rf govuk-frontend moj-frontend htmx && mkdir -p govuk-frontend moj-frontend htmx
cp "$g"/govuk-frontend.min.css "$g"/govuk-frontend.min.js govuk-frontend/
cp -r "$g"/assets govuk-frontend/
cp "$m"/moj-frontend.min.css "$m"/moj-frontend.min.js moj-frontend/ && cp -r "$m"/assets moj-frontend/
cp "$h"/htmx.min.js htmx/
# Asset URLs relative to the CSS file; GDS Transport is for GOV.UK only, so its fonts go.
sed -i 's#url(/assets/#url(assets/#g' govuk-frontend/govuk-frontend.min.css moj-frontend/moj-frontend.min.css
rm -rf govuk-frontend/assets/fonts govuk-frontend/assets/rebrand
ls "$work" | grep tgz > README.txt
echo "Vendored from the npm registry (MIT licensed). Refresh with: make vendor" >> README.txt
