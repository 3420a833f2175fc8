#pragma once
// Building request targets: every path parameter escaped, query values encoded.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace esimgo::internal {

// Percent-escapes everything but RFC 3986 unreserved characters, so '/', '?', '#', '%'
// and spaces in a bundle name or ICCID can never change the route. Case is preserved.
std::string EscapePathSegment(std::string_view s);

// Query builder: values are escaped except ',' (comma lists stay readable) and ':'.
class Query {
 public:
  Query& Add(std::string_view key, std::string_view value);
  Query& Add(std::string_view key, int64_t value);
  Query& AddBool(std::string_view key, bool value);  // lowercase true/false
  Query& AddIf(std::string_view key, const std::optional<std::string>& value);
  Query& AddIf(std::string_view key, const std::optional<int>& value);
  Query& AddBoolIf(std::string_view key, const std::optional<bool>& value);
  // Joins with ',' after trimming spaces; nothing is added for an empty list.
  Query& AddList(std::string_view key, const std::vector<std::string>& values);
  // "?a=1&b=2", or "" when empty.
  [[nodiscard]] std::string str() const;

 private:
  std::string out_;
};

// The host of an absolute URL, lower-cased, without userinfo, port or IPv6 brackets
// ("https://user@[::1]:8443/v2.4" → "::1"); "" when `url` has no "scheme://".
std::string UrlHost(std::string_view url);

// True only when the URL's host is a loopback address: "localhost", an IPv4 literal in
// 127.0.0.0/8, or "::1". Decided on the parsed host, never by substring, so
// "https://localhost.example.net" or "https://127.0.0.1.evil.io" are not loopback.
bool IsLoopbackUrl(std::string_view url);

// Parses "a=1&b=x%2Cy" into decoded pairs (used by the sandbox and by tests).
std::vector<std::pair<std::string, std::string>> ParseQuery(std::string_view query);
std::string PercentDecode(std::string_view s);

}  // namespace esimgo::internal
