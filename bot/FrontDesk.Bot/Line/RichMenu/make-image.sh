#!/usr/bin/env bash
# Draws rich-menu.png (2500x1686, 2 rows x 3 areas matching rich-menu.json) with Japanese labels.
# Needs Debian's imagemagick and fonts-noto-cjk; './frontdesk line rich-menu --draw' installs them and runs this.
set -euo pipefail
cd "$(dirname "$0")"
CONVERT=/usr/bin/convert   # Debian's ImageMagick, not any other 'convert' earlier on PATH
FONT=/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc
SMALL=/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
[ -x "$CONVERT" ] && [ -f "$FONT" ] || { echo "install imagemagick and fonts-noto-cjk first" >&2; exit 1; }

# x y width height background label sublabel
tiles=(
  "0 0 833 843 #2e7d5b 移住・二地域居住|の支援 支援金・お試し滞在"
  "833 0 834 843 #3b6ea8 空き家バンク 住まい探し"
  "1667 0 833 843 #c0603a 学校・保育 転校・保育園"
  "0 843 833 843 #7a5aa6 ふるさと住民登録 新しい制度"
  "833 843 834 843 #b8862b 相談員と話す 受付時間のご案内"
  "1667 843 833 843 #4a5563 メニュー できること一覧"
)
args=(-size 2500x1686 xc:'#f4f1ea')
for t in "${tiles[@]}"; do
  read -r x y w h bg label sub <<<"$t"
  x1=$((x + 24)); y1=$((y + 24)); x2=$((x + w - 24)); y2=$((y + h - 24))
  cx=$((x + w / 2 - 1250)); cy=$((y + h / 2 - 843))
  # A '|' in a label breaks the line; such labels move up to leave room for the second line.
  size=96; lift=40
  [ "$(printf %s "$label" | wc -c)" -ge 24 ] && size=86   # eight or more characters
  if [[ "$label" == *"|"* ]]; then label="${label/|/$'\n'}"; size=88; lift=90; fi
  args+=(-fill "$bg" -draw "roundrectangle $x1,$y1 $x2,$y2 40,40")
  args+=(-font "$FONT" -fill white -pointsize "$size" -gravity center -annotate "+${cx}+$((cy - lift))" "$label")
  args+=(-font "$SMALL" -fill '#f0f0f0' -pointsize 56 -gravity center -annotate "+${cx}+$((cy + 110))" "$sub")
done
"$CONVERT" "${args[@]}" -strip -colors 64 -define png:compression-level=9 rich-menu.png
echo "rich-menu.png: $(stat -c %s rich-menu.png) bytes"
