// Splitting a payload into QR segments (numeric, alphanumeric, byte) so the
// encoded bit stream is as short as possible, and writing that bit stream.
//
// The payload is taken as bytes and never altered: upper-casing an otpauth
// URI so more of it fits alphanumeric mode is the caller's decision, since
// only the caller knows whether case matters.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace deskgate {

enum class QrMode { kNumeric, kAlphanumeric, kByte };

struct QrSegment {
  QrMode mode;
  size_t begin;  // byte range of the payload
  size_t end;
};

// Appends bits most significant first, packing them into bytes.
class BitWriter {
 public:
  void Append(uint32_t value, int bit_count);
  size_t bit_count() const { return bit_count_; }
  std::vector<uint8_t>& bytes() { return bytes_; }

 private:
  std::vector<uint8_t> bytes_;
  size_t bit_count_ = 0;
};

// The segmentation with the fewest bits for a symbol of `version` (which
// fixes the width of each segment's character-count field).
std::vector<QrSegment> SegmentOptimally(std::string_view payload, int version);

// Exact bits of the segments, headers included; SIZE_MAX when a segment is
// longer than its count field can say.
size_t SegmentBits(const std::vector<QrSegment>& segments, int version);

void WriteSegments(std::string_view payload, const std::vector<QrSegment>& segments, int version,
                   BitWriter& out);

}  // namespace deskgate
