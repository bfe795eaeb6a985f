#!/usr/bin/env bash
# System packages ketluan needs: Tesseract with Vietnamese, LibreOffice (for .doc), poppler,
# fonts with Vietnamese glyphs, Chromium (report tests). Installs only what is missing.
set -u
need=()
command -v tesseract >/dev/null 2>&1 || need+=(tesseract-ocr)
tesseract --list-langs 2>/dev/null | grep -qx vie || need+=(tesseract-ocr-vie)
tesseract --list-langs 2>/dev/null | grep -qx osd || need+=(tesseract-ocr-osd)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf ] || need+=(fonts-dejavu-core fonts-dejavu-extra)
[ -d /usr/share/fonts/truetype/liberation2 ] || need+=(fonts-liberation2)
if [ ${#need[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi
echo "system packages to install: ${need[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "error: not root and no sudo; install these with your package manager: ${need[*]}" >&2
    exit 1
  fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "error: no apt-get on this machine; install these with your package manager: ${need[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq || { echo "error: apt-get update failed" >&2; exit 1; }
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null || {
  echo "error: apt-get install failed for: ${need[*]}" >&2; exit 1; }
echo "system packages installed: ${need[*]}"
