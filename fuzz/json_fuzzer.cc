// Feeds arbitrary bytes to the core parsers: Money::Parse, Timestamp::Parse, every tolerant
// JSON reader, ParseQuery/PercentDecode and the JsonWriter round trip. They must reject bad
// input cleanly (an error or an empty value), never crash, and keep their invariants.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "esimgo/types.h"
#include "http/url.h"
#include "json/json_reader.h"
#include "json/json_writer.h"

namespace esimgo {
namespace {

// Every reader type at once; found by the generic readers through ADL like a model codec.
struct FuzzProbe {
  std::string text;
  int64_t big = 0;
  int small = 0;
  double ratio = 0;
  bool flag = false;
  Money price;
  Timestamp when;
  std::vector<std::string> list;
  std::vector<FuzzProbe> children;
};

internal::json::Err Decode(internal::json::Value v, FuzzProbe& out);

internal::json::Err Decode(internal::json::Value v, FuzzProbe& out) {
  namespace json = internal::json;
  return json::ForEachField(v, [&](std::string_view key, json::Value f) {
    if (key == "text") return json::Read(f, out.text);
    if (key == "big") return json::Read(f, out.big);
    if (key == "small") return json::Read(f, out.small);
    if (key == "ratio") return json::Read(f, out.ratio);
    if (key == "flag") return json::Read(f, out.flag);
    if (key == "price") return json::Read(f, out.price);
    if (key == "when") return json::Read(f, out.when);
    if (key == "list") return json::Read(f, out.list);
    if (key == "children") return json::Read(f, out.children);
    return json::kOk;
  });
}

void Check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace
}  // namespace esimgo

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace esimgo;
  std::string_view text(reinterpret_cast<const char*>(data), size);

  // Money: whatever parses prints back to a value that parses to the same amount.
  if (auto m = Money::Parse(text)) {
    auto again = Money::Parse(m->ToString());
    Check(again && *again == *m);
  }
  // Timestamp: raw is kept verbatim; a parsed instant within years 0000–9999 prints as ISO
  // that parses back to the same millisecond.
  auto ts = Timestamp::Parse(text);
  Check(ts.raw == text);
  if (ts.time) {
    const std::string iso = ts.ToIso();
    if (iso.size() == 24) {
      auto again = Timestamp::Parse(iso);
      Check(again.time && again.ToIso() == iso);
    }
  }

  // JSON readers: any body decodes or fails with kDecode.
  auto probe = internal::json::DecodeBody<FuzzProbe>(text, "fuzz");
  if (!probe) Check(probe.error().code == ErrorCode::kDecode);
  auto list = internal::json::DecodeBody<std::vector<std::string>>(text, "fuzz");
  if (!list) Check(list.error().code == ErrorCode::kDecode);

  // JsonWriter: any bytes as a string value read back identically.
  internal::JsonWriter w;
  w.BeginObject().Field("text", text).EndObject();
  auto back = internal::json::DecodeBody<FuzzProbe>(w.str(), "fuzz");
  // Invalid UTF-8 is passed through by the writer and rejected by simdjson: that is the only
  // allowed failure.
  if (back) Check(back->text == text);

  // Query parsing and escaping.
  (void)internal::ParseQuery(text);
  Check(internal::PercentDecode(internal::EscapePathSegment(text)) == text);
  return 0;
}
