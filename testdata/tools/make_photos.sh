#!/usr/bin/env bash
# Builds testdata/fixtures/photos/: real photographs from Debian wallpaper packages,
# scaled (never up) so the long side is at most 2560 px with a Lanczos filter, metadata stripped,
# re-encoded as baseline JPEG quality 92 (4:2:0). Licences: see testdata/SOURCES.md.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${OUT:-$HERE/../fixtures/photos}
X=$(SRC=${SRC:-/tmp/aigcmark-fixture-sources} "$HERE/fetch_sources.sh" | tail -1)
L16=$X/lomiri-wallpapers-16.04/usr/share/backgrounds
L20=$X/lomiri-wallpapers-20.04/usr/share/backgrounds
MATE=$X/mate-backgrounds/usr/share/backgrounds/mate/nature
KDE=$X/plasma-workspace-wallpapers/usr/share/wallpapers
mkdir -p "$OUT"

# name | source | extra ImageMagick ops applied before scaling (crop), or '-'
while IFS='|' read -r name src ops; do
  [ -z "$name" ] && continue
  extra=()
  [ "$ops" != "-" ] && read -r -a extra <<<"$ops"
  convert "$src" -auto-orient "${extra[@]}" +repage -colorspace sRGB \
    -filter Lanczos -resize '2560x2560>' -strip \
    -sampling-factor 2x2 -quality 92 "$OUT/$name.jpg"
done <<LIST
01-sky-bridge-cables|$L16/Bridge_by_Sander_Klootwijk.jpg|-
02-sky-kite|$KDE/Kite/contents/images/2560x1600.jpg|-
03-fog-pier-monochrome|$KDE/ColdRipple/contents/images/2560x1600.jpg|-
04-dark-fog-lake|$KDE/DarkestHour/contents/images/2560x1600.jpg|-
05-dusk-calm-lake|$KDE/summer_1am/contents/images/2560x1600.jpg|-
06-storm-sky-road|$MATE/Storm.jpg|-
07-wall-clock-flat-grey|$L16/greentock_by_Peter_Nerlich.jpg|-
08-ceiling-lamp-bird|$L16/free_by_Peter_Nerlich.jpg|-
09-pale-wood-planks|$MATE/Wood.jpg|-
10-water-drop-splash|$MATE/Aqua.jpg|-
11-room-wine-drum|$L16/Wine_by_Jakkub_Mede.jpg|-gravity center -crop 2560x1707+0+0
12-dogs-window-portrait-orientation|$L16/friends_by_Aitzol_Berasategi.jpg|-
13-sunset-hilltop|$L16/sunset_by_Aitzol_Berasategi.jpg|-
14-evening-boats-lake|$KDE/EveningGlow/contents/images/2560x1600.jpg|-
15-dandelions-backlit|$L16/seeding_by_Clements_Engelhardt.jpg|-
16-autumn-hills|$L16/aitzgorri_by_Aitzol_Berasategi.jpg|-
17-leaves-blue-sky|$L16/Dragonfly_by_Bolly.jpg|-
18-mountain-trail-peaks|$L16/picosdeeuropa_by_Aitzol_Berasategi.jpg|-
19-fig-red-bowl|$L16/Picture_0B_by_freespace.jpg|-
20-forest-stream-rocks|$L16/life_by_Aitzol_Berasategi.jpg|-
21-nuthatch-tree-bark|$L20/Kleiber_by_Lukas_Baubkus.jpg|-
22-red-flower-garden|$MATE/Garden.jpg|-
23-dandelion-seed-macro|$MATE/TwoWings.jpg|-
24-raindrops-grass|$MATE/RainDrops.jpg|-
25-green-leaf-veins|$MATE/Blinds.jpg|-
26-ladybird-forget-me-not|$MATE/LadyBird.jpg|-
27-yellow-flower-macro|$MATE/YellowFlower.jpg|-
28-fallen-maple-leaf|$KDE/FallenLeaf/contents/images/2560x1600.jpg|-
29-forest-path|$KDE/Path/contents/images/2560x1600.jpg|-
30-facade-monochrome|$KDE/Grey/contents/images/2560x1600.jpg|-
31-colorful-cups|$KDE/ColorfulCups/contents/images/2560x1600.jpg|-
32-moss-one-stands-out|$KDE/OneStandsOut/contents/images/2560x1600.jpg|-
33-jetty-by-the-water|$KDE/BytheWater/contents/images/2560x1600.jpg|-
LIST
ls -l "$OUT"
