#pragma once
/// @file json.h
/// The CLI's one JSON writer: a small DOM the commands build (numbers keep their exact text,
/// e.g. money "9.99") and serialise for `-o json`. The SDK's own writer is private to
/// libesimgo (src/), so the CLI keeps this single copy.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "esimgo/types.h"

namespace esimgo::cli {

/// A JSON value built by the commands (numbers keep their exact text, e.g. money "9.99").
class Json {
 public:
  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };

  Json() = default;
  Json(std::nullptr_t) {}  // NOLINT(google-explicit-constructor)
  Json(bool b) : kind_(Kind::kBool), text_(b ? "true" : "false") {}    // NOLINT
  Json(int v) : kind_(Kind::kNumber), text_(std::to_string(v)) {}      // NOLINT
  Json(int64_t v) : kind_(Kind::kNumber), text_(std::to_string(v)) {}  // NOLINT
  Json(double v);                                                      // NOLINT
  Json(std::string s) : kind_(Kind::kString), text_(std::move(s)) {}   // NOLINT
  Json(std::string_view s) : kind_(Kind::kString), text_(s) {}         // NOLINT
  Json(const char* s) : kind_(Kind::kString), text_(s) {}              // NOLINT
  Json(Money m) : kind_(Kind::kNumber), text_(m.ToString()) {}         // NOLINT
  /// A timestamp as ISO-8601 UTC (or as received when not understood); null when empty.
  Json(const Timestamp& t);                 // NOLINT
  Json(const std::vector<std::string>& v);  // NOLINT

  static Json Object() { return Json(Kind::kObject); }
  static Json Array() { return Json(Kind::kArray); }

  /// Adds (or replaces) a member of an object; returns *this for chaining.
  Json& Set(std::string key, Json value);
  /// Appends to an array.
  Json& Push(Json value);

  [[nodiscard]] Kind kind() const { return kind_; }
  [[nodiscard]] const std::string& text() const { return text_; }
  [[nodiscard]] const std::vector<std::pair<std::string, Json>>& members() const {
    return members_;
  }
  [[nodiscard]] const std::vector<Json>& elements() const { return elements_; }

  /// Serialises; `indent` < 0 = compact one line.
  [[nodiscard]] std::string Dump(int indent = 2) const;
  /// A cell for tables and CSV: strings unquoted, containers as compact JSON.
  [[nodiscard]] std::string Cell() const;

 private:
  explicit Json(Kind k) : kind_(k) {}
  void DumpTo(std::string& out, int indent, int depth) const;

  Kind kind_ = Kind::kNull;
  std::string text_;
  std::vector<std::pair<std::string, Json>> members_;
  std::vector<Json> elements_;
};

/// Escapes a string for JSON (without the quotes).
[[nodiscard]] std::string JsonEscape(std::string_view s);

}  // namespace esimgo::cli
