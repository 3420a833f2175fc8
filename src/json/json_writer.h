#pragma once
// A small streaming JSON writer: encodes request bodies (SDK) and responses (sandbox).
// Commas are placed automatically; keys and values are escaped.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "esimgo/types.h"

namespace esimgo::internal {

class JsonWriter {
 public:
  JsonWriter() { out_.reserve(256); }

  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(std::string_view key);
  JsonWriter& String(std::string_view s);
  JsonWriter& Int(int64_t v);
  JsonWriter& Double(double v);
  JsonWriter& Bool(bool v);
  JsonWriter& Null();
  JsonWriter& Number(Money m);                  // exact decimal digits
  JsonWriter& RawValue(std::string_view json);  // already-encoded JSON

  // Key + value shorthands.
  JsonWriter& Field(std::string_view k, std::string_view v) { return Key(k).String(v); }
  JsonWriter& Field(std::string_view k, const char* v) { return Key(k).String(v); }
  JsonWriter& Field(std::string_view k, const std::string& v) { return Key(k).String(v); }
  JsonWriter& Field(std::string_view k, int64_t v) { return Key(k).Int(v); }
  JsonWriter& Field(std::string_view k, int v) { return Key(k).Int(v); }
  JsonWriter& Field(std::string_view k, bool v) { return Key(k).Bool(v); }
  JsonWriter& Field(std::string_view k, Money v) { return Key(k).Number(v); }
  JsonWriter& Field(std::string_view k, const Timestamp& t) { return Key(k).String(t.raw); }
  JsonWriter& Field(std::string_view k, const std::vector<std::string>& v);

  [[nodiscard]] const std::string& str() const { return out_; }
  [[nodiscard]] std::string Take() { return std::move(out_); }

 private:
  void BeforeValue();
  std::string out_;
  std::vector<bool> first_;  // per open container: no element written yet
  bool after_key_ = false;
};

// Appends `s` JSON-escaped (without quotes) to `out`.
void AppendEscaped(std::string& out, std::string_view s);

}  // namespace esimgo::internal
