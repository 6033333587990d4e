// Renderers for QrCode. Every renderer adds the 4-module quiet zone.
#pragma once

#include <string>
#include <string_view>

#include "shared/qr/qr_code.h"

namespace deskgate {

// SVG with one path for all dark modules, one unit per module, so it is
// crisp at any size; `title` is announced by screen readers.
std::string QrToSvg(const QrCode& code, std::string_view title = "QR code");

// Binary PBM (P4), `scale` pixels per module.
std::string QrToPbm(const QrCode& code, int scale = 1);

// Unicode half blocks, two module rows per line, for a dark-background
// terminal: light modules are drawn, dark ones are the background.
std::string QrToText(const QrCode& code);

}  // namespace deskgate
