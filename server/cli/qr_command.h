// `deskgate qr [--ecl L|M|Q|H] [--format svg|pbm|text] [--scale N]`
//
// Encodes stdin (exactly one trailing "\n" dropped, as `echo` adds one) as a
// QR code and writes the image to stdout: SVG, binary PBM (`--scale` pixels
// per module), or Unicode half blocks for a terminal (the default).
#pragma once

#include <string>
#include <vector>

namespace deskgate::cli {

int RunQrCommand(const std::vector<std::string>& args);

}  // namespace deskgate::cli
