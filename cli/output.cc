#include "output.h"

#include <algorithm>
#include <cstdio>

#include <fmt/core.h>

#include "esimgo/limits.h"

namespace esimgo::cli {

std::string Sanitize(std::string_view text) {
  static constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (c < 0x20 || c == 0x7f) {
        out += kReplacement;
      } else {
        out += static_cast<char>(c);
      }
      ++i;
      continue;
    }
    // One multi-byte character: the SDK's strict decoder decides whether it is valid UTF-8.
    const std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    std::string_view ch = text.substr(i, len);
    const bool valid = ch.size() == len && limits::Utf8Length(ch) == std::optional<std::size_t>(1);
    // C1 controls (U+0080–U+009F, e.g. the 8-bit CSI) act like ESC on many terminals.
    const bool c1 = valid && c == 0xC2 && static_cast<unsigned char>(ch[1]) < 0xA0;
    if (!valid || c1) {
      out += kReplacement;
      i += valid ? len : 1;
      continue;
    }
    out += ch;
    i += len;
  }
  return out;
}

namespace {

// Display width of UTF-8 text (code points; good enough for the symbols we print).
std::size_t Width(std::string_view s) {
  std::size_t n = 0;
  bool in_escape = false;
  for (unsigned char c : s) {
    if (in_escape) {
      if (c == 'm') in_escape = false;
      continue;
    }
    if (c == 0x1b) {
      in_escape = true;
      continue;
    }
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

std::string CsvField(const std::string& raw) {
  std::string s = Sanitize(raw);
  if (s.find_first_of(",\"") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace

std::string Printer::RenderTable(const Table& raw) const {
  Table table = raw;
  for (auto& h : table.headers) h = Sanitize(h);
  for (auto& row : table.rows) {
    for (auto& cell : row) cell = Sanitize(cell);
  }
  std::vector<std::size_t> widths(table.headers.size(), 0);
  for (std::size_t i = 0; i < table.headers.size(); ++i) widths[i] = Width(table.headers[i]);
  for (const auto& row : table.rows) {
    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], Width(row[i]));
    }
  }
  auto line = [&](const std::vector<std::string>& cells, bool header) {
    std::string out;
    for (std::size_t i = 0; i < widths.size(); ++i) {
      std::string cell = i < cells.size() ? cells[i] : "";
      std::size_t pad = widths[i] - std::min(widths[i], Width(cell));
      bool right = i < table.right_align.size() && table.right_align[i];
      bool last = i + 1 == widths.size();
      if (header) cell = Bold(cell);
      if (right) out.append(pad, ' ');
      out += cell;
      if (!right && !last) out.append(pad, ' ');
      if (!last) out += "  ";
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  std::string out = line(table.headers, true);
  for (const auto& row : table.rows) out += line(row, false);
  return out;
}

std::string Printer::RenderCsv(const Json& data) {
  std::vector<const Json*> rows;
  if (data.kind() == Json::Kind::kArray) {
    for (const auto& e : data.elements()) rows.push_back(&e);
  } else {
    rows.push_back(&data);
  }
  std::vector<std::string> columns;
  for (const Json* r : rows) {
    for (const auto& [k, v] : r->members()) {
      if (std::find(columns.begin(), columns.end(), k) == columns.end()) columns.push_back(k);
    }
  }
  std::string out;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (i) out += ',';
    out += CsvField(columns[i]);
  }
  out += '\n';
  for (const Json* r : rows) {
    for (std::size_t i = 0; i < columns.size(); ++i) {
      if (i) out += ',';
      for (const auto& [k, v] : r->members()) {
        if (k == columns[i]) {
          out += CsvField(v.Cell());
          break;
        }
      }
    }
    out += '\n';
  }
  return out;
}

void Printer::Emit(const Json& data, const Table& table) const {
  std::string out;
  switch (format_) {
    case Format::kJson:
      out = data.Dump(2) + "\n";
      break;
    case Format::kCsv:
      out = RenderCsv(data);
      break;
    case Format::kTable:
      out = table.rows.empty() ? std::string("(none)\n") : RenderTable(table);
      break;
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
}

void Printer::EmitRecord(const Json& data, const Record& kv) const {
  if (format_ != Format::kTable) {
    Emit(data, {});
    return;
  }
  std::size_t w = 0;
  for (const auto& [k, v] : kv) w = std::max(w, Width(k));
  std::string out;
  for (const auto& [k, v] : kv) {
    out += Bold(k);
    out.append(w - Width(k) + 2, ' ');
    out += v.empty() ? "-" : Sanitize(v);
    out += '\n';
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
}

std::string Printer::Bold(std::string_view s) const {
  return color_ ? fmt::format("\033[1m{}\033[0m", s) : std::string(s);
}
std::string Printer::Green(std::string_view s) const {
  return color_ ? fmt::format("\033[32m{}\033[0m", s) : std::string(s);
}
std::string Printer::Yellow(std::string_view s) const {
  return color_ ? fmt::format("\033[33m{}\033[0m", s) : std::string(s);
}
std::string Printer::Red(std::string_view s) const {
  return color_ ? fmt::format("\033[31m{}\033[0m", s) : std::string(s);
}

}  // namespace esimgo::cli
