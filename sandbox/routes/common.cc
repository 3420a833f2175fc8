// Helpers every route uses: replies, error mapping, the UTF-8 edge check, number parsing.

#include <algorithm>
#include <cctype>
#include <charconv>

#include "esimgo/limits.h"
#include "model/common_codec.h"
#include "router.h"
#include "wire.h"

namespace esimgo::sandbox {

namespace {

// The server's bad-key answers (sandbox/server.cc `Serve`), repeated word for word: a request
// from an address outside the allow-list must not be told apart from a bad key (eSIM Go's IP
// whitelisting guide). tests/integration/v25_test.cc compares the two answers byte for byte.
constexpr std::string_view kBadKeyJson =
    "Unauthorised: missing or invalid X-API-Key header; send your organisation's API key";
constexpr std::string_view kBadKeyText =
    "Unauthorized: missing or invalid X-API-Key header; send your organisation's API key";

bool AddressAllowed(const Ctx& c, const Route& route) {
  const auto& allowed = c.engine.options().allowed_ips;
  if (allowed.empty() || route.pattern.rfind("/_sandbox", 0) == 0) return true;
  return std::find(allowed.begin(), allowed.end(), c.req.remote_addr) != allowed.end();
}

}  // namespace

Reply RunRoute(const Route& route, Ctx& c) {
  if (!AddressAllowed(c, route)) {
    return route.text_errors ? TextErrorReply(401, kBadKeyText) : ErrorReply(403, kBadKeyJson);
  }
  auto refuse = [&](const std::string& what) {
    std::string msg = what + " is not valid UTF-8; percent-encode UTF-8 text only";
    return route.text_errors ? TextErrorReply(400, "Bad Request: " + msg) : ErrorReply(400, msg);
  };
  for (const auto& [name, value] : c.req.params) {
    if (!wire::IsUtf8(name)) return refuse("a query parameter name");
    if (!wire::IsUtf8(value)) return refuse("query parameter '" + name + "'");
  }
  for (size_t i = 1; i < c.req.matches.size(); ++i) {
    if (!wire::IsUtf8(c.Param(i))) return refuse("a path segment");
  }
  return route.handler(c);
}

Reply JsonReply(std::string body, int status) {
  Reply r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

Reply ErrorReply(int status, std::string_view message) {
  internal::JsonWriter w;
  EncodeErrorMessage(w, message);
  return JsonReply(w.Take(), status);
}

Reply TextErrorReply(int status, std::string_view message) {
  Reply r;
  r.status = status;
  r.content_type = "text/plain";
  r.body = std::string(message);
  return r;
}

int StatusOf(const Error& e) {
  switch (e.code) {
    case ErrorCode::kBadRequest:
    case ErrorCode::kInvalidArgument:
      return 400;
    case ErrorCode::kForbidden:
      return 403;
    case ErrorCode::kNotFound:  // v2.5: a deactivated eSIM's install details are gone
      return 410;
    default:
      return 500;
  }
}

Reply ErrorReply(const Error& e) { return ErrorReply(StatusOf(e), e.message); }

std::optional<int64_t> ParseInt(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  int64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || text.empty()) return std::nullopt;
  return v;
}

Result<int64_t> ParsePage(const std::optional<std::string>& text, std::string_view name) {
  if (!text) return 1;
  auto v = ParseInt(*text);
  if (!v || *v < 0 || *v > limits::kMaxPageNumber) {
    return Fail(ErrorCode::kBadRequest, std::string(name) + " must be a whole number from 1 to " +
                                            std::to_string(limits::kMaxPageNumber));
  }
  return std::max<int64_t>(*v, 1);
}

std::vector<std::string> SplitList(std::string_view text) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t comma = text.find(',', pos);
    if (comma == std::string_view::npos) comma = text.size();
    std::string_view part = text.substr(pos, comma - pos);
    while (!part.empty() && std::isspace(static_cast<unsigned char>(part.front()))) {
      part.remove_prefix(1);
    }
    while (!part.empty() && std::isspace(static_cast<unsigned char>(part.back()))) {
      part.remove_suffix(1);
    }
    if (!part.empty()) out.emplace_back(part);
    pos = comma + 1;
  }
  return out;
}

bool ParseBoolText(std::string_view text, bool& out) {
  std::string t = Lower(text);
  if (t == "true" || t == "1" || t == "yes") {
    out = true;
    return true;
  }
  if (t == "false" || t == "0" || t == "no" || t.empty()) {
    out = false;
    return true;
  }
  return false;
}

}  // namespace esimgo::sandbox
