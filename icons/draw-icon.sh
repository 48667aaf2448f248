#!/bin/sh
# Redraws Token Desk's icon set with ImageMagick 6 (`convert`): a white key on a rounded
# square in a teal-to-indigo gradient. Run from anywhere; writes RGBA PNGs and icon.ico here.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
S=1024
cd "$work"
convert -size ${S}x${S} xc:none -fill white -draw "roundrectangle 40,40 983,983 220,220" mask.png
convert -size ${S}x${S} -define gradient:angle=135 gradient:'#14b8a6'-'#3730a3' grad.png
convert grad.png mask.png -alpha off -compose CopyOpacity -composite bg.png
convert -size ${S}x${S} xc:none -fill none -stroke white -strokewidth 76 \
  -draw "circle 330,512 330,372" \
  -draw "stroke-linecap round line 468,512 840,512" \
  -draw "stroke-linecap round line 716,512 716,628" \
  -draw "stroke-linecap round line 818,512 818,600" \
  -background none -virtual-pixel transparent -distort SRT '512,512 1 -45 536,514' key.png
convert key.png -fill '#0b1640' -colorize 100 -channel A -evaluate multiply 0.45 +channel -blur 0x14 shadow.png
convert bg.png \( shadow.png -geometry +0+18 \) -compose over -composite key.png -compose over -composite \
  mask.png -compose DstIn -composite PNG32:icon1024.png
for size in 32 128 256 512; do
  convert icon1024.png -filter Lanczos -resize ${size}x${size} -define png:exclude-chunks=date,time PNG32:i$size.png
done
cp i32.png "$here/32x32.png"
cp i128.png "$here/128x128.png"
cp i256.png "$here/128x128@2x.png"
cp i512.png "$here/icon.png"
convert icon1024.png -define icon:auto-resize=256,128,64,48,32,16 "$here/icon.ico"
convert icon1024.png -filter Lanczos -resize 96x96 -define png:exclude-chunks=date,time PNG32:"$here/../ui/assets/logo.png"
