#pragma once
/// @file output.h
/// The CLI's output layer: a small JSON value, aligned tables, CSV, colour and a progress bar.
/// Data goes to stdout, diagnostics to stderr.

#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
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

/// An aligned text table.
struct Table {
  std::vector<std::string> headers;
  std::vector<std::vector<std::string>> rows;
  std::vector<bool> right_align;  ///< Per column; missing = left.
};

/// Output format chosen with --output.
enum class Format { kTable, kJson, kCsv };

/// Prints command results in the chosen format. Thread-compatible.
class Printer {
 public:
  Printer(Format format, bool color) : format_(format), color_(color) {}

  [[nodiscard]] Format format() const { return format_; }
  [[nodiscard]] bool color() const { return color_; }

  /// Prints `data` as JSON/CSV, or `table` in table mode. `data` should be an array of
  /// flat objects for CSV (a single object prints as one row).
  void Emit(const Json& data, const Table& table) const;
  /// Prints key/value pairs as a two-column list in table mode, `data` otherwise.
  void EmitRecord(const Json& data,
                  const std::vector<std::pair<std::string, std::string>>& kv) const;

  /// Renders a table (exposed for tests and one-line prints).
  [[nodiscard]] std::string RenderTable(const Table& table) const;
  [[nodiscard]] static std::string RenderCsv(const Json& data);

  /// Bold/dim/colour wrappers honouring --no-color.
  [[nodiscard]] std::string Bold(std::string_view s) const;
  [[nodiscard]] std::string Green(std::string_view s) const;
  [[nodiscard]] std::string Yellow(std::string_view s) const;
  [[nodiscard]] std::string Red(std::string_view s) const;

 private:
  Format format_;
  bool color_;
};

/// A progress bar on stderr, drawn only when stderr is a terminal.
class Progress {
 public:
  Progress(std::string label, bool enabled);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  /// `total` ≤ 0 = unknown (shows a counter).
  void Update(int done, int total, int64_t items);
  void Finish();

 private:
  std::string label_;
  bool enabled_;
  bool drawn_ = false;
};

/// Display helpers with units.
[[nodiscard]] std::string Megabytes(int64_t mb, bool unlimited = false);  ///< "5 GB", "500 MB"
[[nodiscard]] std::string Days(int64_t days);                             ///< "7 days", "1 day"
[[nodiscard]] std::string Price(Money m, std::string_view currency);      ///< "9.99 USD"
/// "3.2 GB of 5 GB left, 64 %" (bytes).
[[nodiscard]] std::string Remaining(int64_t remaining, int64_t initial, bool unlimited);
[[nodiscard]] std::string Join(const std::vector<std::string>& v, std::string_view sep = ",");
[[nodiscard]] std::string YesNo(bool b);
/// Time as "2026-11-26 21:45 UTC", or "-" when empty.
[[nodiscard]] std::string When(const Timestamp& t);

}  // namespace esimgo::cli
