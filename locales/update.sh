#!/usr/bin/env bash
# Re-extract user-facing strings and merge them into the catalogs.
#   locales/update.sh            extract + update (then translate the new entries in vi and en)
set -euo pipefail
cd "$(dirname "$0")/.."
pybabel extract -F babel.cfg -k t -k N_ -k nt:1,2 --no-location --sort-output \
  --project chibot --copyright-holder "chibot contributors" \
  -o locales/messages.pot bot.py core handlers services scheduler storage playground channels ui
for loc in vi en; do
  if [ -f "locales/$loc/LC_MESSAGES/messages.po" ]; then
    pybabel update -i locales/messages.pot -d locales -l "$loc" --no-fuzzy-matching --ignore-obsolete
  else
    pybabel init -i locales/messages.pot -d locales -l "$loc"
  fi
done
