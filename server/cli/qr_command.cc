#include "server/cli/qr_command.h"

#include <cstdio>
#include <iostream>
#include <iterator>

#include "server/cli/args.h"
#include "shared/qr/qr_code.h"
#include "shared/qr/qr_render.h"

namespace deskgate::cli {
namespace {

// Version 40 holds at most 2,953 bytes; anything much longer is a mistake.
constexpr size_t kMaxInputBytes = 8 * 1024;

}  // namespace

int RunQrCommand(const std::vector<std::string>& rest) {
  auto args = Args::Parse(rest, {"ecl", "format", "scale"});
  if (!args.ok()) return Fail(kExitUsage, args.error());
  auto ecc = ParseQrEcc(args.value().GetOr("ecl", "M"));
  if (!ecc.ok()) return Fail(kExitUsage, "--ecl: " + ecc.error());
  const std::string format = args.value().GetOr("format", "text");
  if (format != "svg" && format != "pbm" && format != "text") {
    return Fail(kExitUsage, "--format must be svg, pbm or text");
  }
  auto scale = args.value().GetInt("scale", 1, 1, 64);
  if (!scale.ok()) return Fail(kExitUsage, scale.error());

  std::string text((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  if (!text.empty() && text.back() == '\n') text.pop_back();
  if (text.size() > kMaxInputBytes) return Fail(kExitUsage, "input is longer than 8 KiB");

  auto code = QrCode::Encode(text, ecc.value());
  if (!code.ok()) return Fail(kExitUsage, code.error());
  const std::string image = format == "svg"   ? QrToSvg(code.value())
                            : format == "pbm" ? QrToPbm(code.value(), scale.value())
                                              : QrToText(code.value());
  std::fwrite(image.data(), 1, image.size(), stdout);
  return kExitOk;
}

}  // namespace deskgate::cli
