#pragma once
/// @file output.h
/// The CLI's output layer: aligned tables, key/value records, CSV and colour, in the format
/// chosen with --output. Data goes to stdout, diagnostics to stderr.
///
/// Text that came from the server (names, references, messages) reaches a terminal only
/// through `Sanitize`: tables, records and CSV replace control characters, so an answer cannot
/// move the cursor, retitle the window or hide lines. `-o json` stays exact (JSON escapes
/// control characters itself).

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "json.h"
#include "units.h"

namespace esimgo::cli {

/// `text` fit for a terminal: every C0/C1 control character (ESC, CR, LF, TAB, DEL, …) and
/// every byte that is not valid UTF-8 becomes U+FFFD "�"; everything else is kept.
[[nodiscard]] std::string Sanitize(std::string_view text);

/// An aligned text table.
struct Table {
  std::vector<std::string> headers;
  std::vector<std::vector<std::string>> rows;
  std::vector<bool> right_align;  ///< Per column; missing = left.
};

/// Label/value lines of one object in table mode.
using Record = std::vector<std::pair<std::string, std::string>>;

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
  void EmitRecord(const Json& data, const Record& kv) const;

  /// Renders a table (exposed for tests and one-line prints); cells are sanitised.
  [[nodiscard]] std::string RenderTable(const Table& table) const;
  /// Renders CSV (header = the union of the objects' keys); fields are sanitised.
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

}  // namespace esimgo::cli
