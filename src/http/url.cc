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

std::string UrlHost(std::string_view url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return {};
  std::string_view authority = url.substr(scheme + 3);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  if (auto at = authority.rfind('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1);
  }
  std::string_view host;
  if (!authority.empty() && authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return {};
    host = authority.substr(1, close - 1);
  } else {
    host = authority.substr(0, authority.find(':'));
  }
  std::string out(host);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool IsLoopbackUrl(std::string_view url) {
  const std::string host = UrlHost(url);
  if (host == "localhost" || host == "::1") return true;
  // An IPv4 literal: four decimal parts of 0–255, the first 127.
  int parts = 0;
  size_t i = 0;
  while (i <= host.size() && parts < 4) {
    size_t j = i;
    int value = 0;
    while (j < host.size() && j - i < 3 && host[j] >= '0' && host[j] <= '9') {
      value = value * 10 + (host[j] - '0');
      ++j;
    }
    if (j == i || value > 255) return false;
    if (parts == 0 && value != 127) return false;
    ++parts;
    if (j == host.size()) return parts == 4;
    if (host[j] != '.') return false;
    i = j + 1;
  }
  return false;
}

}  // namespace esimgo::internal
