#include "http/url.h"

namespace esimgo::internal {
namespace {

constexpr char kHex[] = "0123456789ABCDEF";

bool Unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

void Escape(std::string& out, std::string_view s, std::string_view keep) {
  for (unsigned char c : s) {
    if (Unreserved(c) || keep.find(static_cast<char>(c)) != std::string_view::npos) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
}

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string EscapePathSegment(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  Escape(out, s, "");
  return out;
}

Query& Query::Add(std::string_view key, std::string_view value) {
  out_ += out_.empty() ? '?' : '&';
  Escape(out_, key, "");
  out_ += '=';
  Escape(out_, value, ",:");
  return *this;
}

Query& Query::Add(std::string_view key, int64_t value) { return Add(key, std::to_string(value)); }

Query& Query::AddBool(std::string_view key, bool value) {
  return Add(key, value ? "true" : "false");
}

Query& Query::AddIf(std::string_view key, const std::optional<std::string>& value) {
  if (value) Add(key, *value);
  return *this;
}

Query& Query::AddIf(std::string_view key, const std::optional<int>& value) {
  if (value) Add(key, static_cast<int64_t>(*value));
  return *this;
}

Query& Query::AddBoolIf(std::string_view key, const std::optional<bool>& value) {
  if (value) AddBool(key, *value);
  return *this;
}

Query& Query::AddList(std::string_view key, const std::vector<std::string>& values) {
  std::string joined;
  for (const auto& v : values) {
    auto t = TrimSpaces(v);
    if (t.empty()) continue;
    if (!joined.empty()) joined += ',';
    joined += t;
  }
  if (!joined.empty()) Add(key, joined);
  return *this;
}

std::string Query::str() const { return out_; }

std::string PercentDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      int hi = HexValue(s[i + 1]), lo = HexValue(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += s[i] == '+' ? ' ' : s[i];
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> ParseQuery(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> out;
  if (!query.empty() && query.front() == '?') query.remove_prefix(1);
  while (!query.empty()) {
    auto amp = query.find('&');
    auto part = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (part.empty()) continue;
    auto eq = part.find('=');
    out.emplace_back(PercentDecode(part.substr(0, eq)), eq == std::string_view::npos
                                                            ? std::string()
                                                            : PercentDecode(part.substr(eq + 1)));
  }
  return out;
}

}  // namespace esimgo::internal
