#!/usr/bin/env bash
# Refresh the vendored files from the npm registry (npm pack, no CDN): the dashboard's
# front-end files, and the US county boundaries hazard areas are read from (monitor/us_areas.py).
# Change a version below, run `bash deploy/vendor-assets.sh`, check the dashboard, commit.
# Each package's LICENSE ships beside its files; VERSIONS records what is vendored.
set -euo pipefail

LEAFLET=1.9.4          # the map (no tile layer: countries come from world-atlas)
WORLD_ATLAS=2.0.2      # Natural Earth 1:110m country boundaries as TopoJSON
TOPOJSON_CLIENT=3.1.0  # turns the TopoJSON into GeoJSON in the browser
US_ATLAS=3.0.1         # Census Bureau 2017 county boundaries as TopoJSON (NWS alerts by county)

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DEST="$ROOT/monitor/dashboard/static/vendor"
DATA="$ROOT/monitor/data/us-atlas"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

unpack() {  # unpack NAME VERSION: npm pack into $WORK/NAME
  (cd "$WORK" && npm pack --silent "$1@$2" >/dev/null)
  mkdir -p "$WORK/$1"
  tar xzf "$WORK/$1-$2.tgz" -C "$WORK/$1" --strip-components=1
}

unpack leaflet "$LEAFLET"
unpack world-atlas "$WORLD_ATLAS"
unpack topojson-client "$TOPOJSON_CLIENT"
unpack us-atlas "$US_ATLAS"

rm -rf "$DEST"
mkdir -p "$DEST/leaflet/images" "$DEST/world-atlas" "$DEST/topojson-client"
cp "$WORK/leaflet/dist/leaflet.js" "$WORK/leaflet/dist/leaflet.css" "$WORK/leaflet/LICENSE" \
  "$DEST/leaflet/"
cp "$WORK/leaflet/dist/images/"*.png "$DEST/leaflet/images/"
cp "$WORK/world-atlas/countries-110m.json" "$WORK/world-atlas/LICENSE" "$DEST/world-atlas/"
cp "$WORK/topojson-client/dist/topojson-client.min.js" "$WORK/topojson-client/LICENSE" \
  "$DEST/topojson-client/"
rm -rf "$DATA"
mkdir -p "$DATA"
cp "$WORK/us-atlas/counties-10m.json" "$WORK/us-atlas/LICENSE" "$DATA/"
echo "us-atlas $US_ATLAS" >"$DATA/VERSION"
cat >"$DEST/VERSIONS" <<VERSIONS
# Vendored by deploy/vendor-assets.sh from the npm registry; do not edit by hand.
leaflet $LEAFLET
world-atlas $WORLD_ATLAS
topojson-client $TOPOJSON_CLIENT
VERSIONS
echo "vendored into $DEST:"
(cd "$DEST" && find . -type f | sort)
echo "vendored into $DATA:"
(cd "$DATA" && find . -type f | sort)
