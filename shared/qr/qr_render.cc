#include "shared/qr/qr_render.h"

#include <algorithm>

namespace deskgate {
namespace {

constexpr int kQuiet = QrCode::kQuietZone;

// Dark state with the quiet zone around the symbol; coordinates may be
// outside [0, size).
bool DarkWithQuietZone(const QrCode& code, int x, int y) {
  return x >= 0 && y >= 0 && x < code.size() && y < code.size() && code.dark(x, y);
}

void AppendEscapedXml(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out.push_back(c);
    }
  }
}

}  // namespace

std::string QrToSvg(const QrCode& code, std::string_view title) {
  const std::string full = std::to_string(code.size() + 2 * kQuiet);
  std::string out;
  out.reserve(static_cast<size_t>(code.size()) * code.size() * 3);
  out += R"(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 )" + full + " " + full +
         R"(" shape-rendering="crispEdges" role="img"><title>)";
  AppendEscapedXml(out, title);
  out += R"(</title><rect width=")" + full + R"(" height=")" + full +
         R"(" fill="#fff"/><path fill="#000" d=")";
  // One subpath per horizontal run of dark modules.
  for (int y = 0; y < code.size(); ++y) {
    for (int x = 0; x < code.size();) {
      if (!code.dark(x, y)) {
        ++x;
        continue;
      }
      int end = x;
      while (end < code.size() && code.dark(end, y)) ++end;
      out += 'M' + std::to_string(x + kQuiet) + ',' + std::to_string(y + kQuiet) + 'h' +
             std::to_string(end - x) + "v1h-" + std::to_string(end - x) + 'z';
      x = end;
    }
  }
  out += R"("/></svg>)";
  out += '\n';
  return out;
}

std::string QrToPbm(const QrCode& code, int scale) {
  const int pixels = (code.size() + 2 * kQuiet) * scale;
  const int row_bytes = (pixels + 7) / 8;
  std::string out = "P4\n" + std::to_string(pixels) + " " + std::to_string(pixels) + "\n";
  std::string row(static_cast<size_t>(row_bytes), '\0');
  for (int py = 0; py < pixels; ++py) {
    std::fill(row.begin(), row.end(), '\0');
    for (int px = 0; px < pixels; ++px) {
      if (DarkWithQuietZone(code, px / scale - kQuiet, py / scale - kQuiet)) {
        row[px / 8] = static_cast<char>(row[px / 8] | (0x80 >> (px % 8)));  // 1 = black in PBM
      }
    }
    out += row;
  }
  return out;
}

std::string QrToText(const QrCode& code) {
  std::string out;
  for (int y = -kQuiet; y < code.size() + kQuiet; y += 2) {
    for (int x = -kQuiet; x < code.size() + kQuiet; ++x) {
      const bool top_light = !DarkWithQuietZone(code, x, y);
      const bool bottom_light = !DarkWithQuietZone(code, x, y + 1);
      if (top_light && bottom_light) {
        out += "\u2588";  // █
      } else if (top_light) {
        out += "\u2580";  // ▀
      } else if (bottom_light) {
        out += "\u2584";  // ▄
      } else {
        out += ' ';
      }
    }
    out += '\n';
  }
  return out;
}

}  // namespace deskgate
