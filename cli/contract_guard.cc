// The contract check's guard: the one allow-list of requests `esimgo contract` may send, and
// the transport decorator that enforces it before every request (issue 10). Nothing that
// moves money or changes an eSIM is on the list, so no bug in the check's plan, no retry and
// no server answer can make it send one.

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <nlohmann/json.hpp>

#include "contract.h"

namespace esimgo::cli::contract {
namespace {

// What else a row demands beyond method and path.
enum class Extra {
  kNone,
  kOrderValidate,   // POST /orders: the body's top-level `type` is exactly "validate"
  kRevokeValidate,  // DELETE …/bundles/{name}: the only `type` parameter is "validate"
};

struct Rule {
  std::string_view method;
  std::string_view path;  // segments; {iccid} = 18–22 digits, any other {x} = one segment
  Extra extra = Extra::kNone;
  ApiVersion since = ApiVersion::kV2_4;
};

// Reads and dry runs only. Deliberately absent, whatever the version: /esims/apply, refresh,
// SMS, suspend (both verbs), PUT /esims, DELETE /esims/{iccid}, top-up, refund, the
// deprecated apply and revoke-application, and POST /orders or revokes of any other type.
constexpr std::array kRules = {
    Rule{"GET", "/organisation"},
    Rule{"GET", "/organisation/groups"},
    Rule{"GET", "/catalogue"},
    Rule{"GET", "/catalogue/bundle/{name}"},
    Rule{"GET", "/catalogue/prices", Extra::kNone, ApiVersion::kV2_5},
    Rule{"GET", "/networks"},
    Rule{"GET", "/inventory"},
    Rule{"GET", "/orders"},
    Rule{"GET", "/orders/{orderReference}"},
    Rule{"POST", "/orders", Extra::kOrderValidate},
    Rule{"GET", "/esims"},
    Rule{"GET", "/esims/assignments"},
    Rule{"GET", "/esims/{iccid}"},
    Rule{"GET", "/esims/{iccid}/history"},
    Rule{"GET", "/esims/{iccid}/bundles"},
    Rule{"GET", "/esims/{iccid}/bundles/{name}"},
    Rule{"GET", "/esims/{iccid}/location"},
    Rule{"GET", "/esims/{iccid}/compatible/{bundle}"},
    Rule{"DELETE", "/esims/{iccid}/bundles/{name}", Extra::kRevokeValidate},
};

std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> out;
  size_t start = 1;  // paths start with '/'
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

bool IsIccid(std::string_view s) {
  return s.size() >= 18 && s.size() <= 22 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool PathMatches(std::string_view pattern, const std::vector<std::string_view>& segments) {
  auto parts = Split(pattern);
  if (parts.size() != segments.size()) return false;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (parts[i] == "{iccid}") {
      if (!IsIccid(segments[i])) return false;
    } else if (parts[i].starts_with('{')) {
      if (segments[i].empty()) return false;
    } else if (parts[i] != segments[i]) {
      return false;
    }
  }
  return true;
}

// The values of every `name` parameter of a query string (names compared exactly, values
// kept encoded: "validate" has nothing to encode, so anything encoded is not "validate").
std::vector<std::string_view> QueryValues(std::string_view query, std::string_view name) {
  std::vector<std::string_view> out;
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    size_t eq = pair.find('=');
    std::string_view key = pair.substr(0, eq);
    std::string_view value = eq == std::string_view::npos ? "" : pair.substr(eq + 1);
    // A key spelled with escapes ("%74ype") may mean `type` to the server: treated as one.
    if (key == name || key.find('%') != std::string_view::npos) out.push_back(value);
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return out;
}

// Why a POST /orders body is not a dry run, or empty when it is one. A body with `type` twice
// is refused: a server might read the first where we read the last.
std::string OrderBodyProblem(std::string_view body) {
  int types = 0;
  nlohmann::json::parser_callback_t count = [&types](int depth, nlohmann::json::parse_event_t ev,
                                                     nlohmann::json& parsed) {
    if (ev == nlohmann::json::parse_event_t::key && depth == 1 && parsed == "type") ++types;
    return true;
  };
  auto doc = nlohmann::json::parse(body, count, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return "the body is not a JSON object";
  if (types != 1) return fmt::format("the body has {} top-level \"type\" fields, not 1", types);
  const auto& type = doc["type"];
  if (!type.is_string() || type.get<std::string>() != "validate") {
    return "its type is not \"validate\" (only dry runs are allowed)";
  }
  return "";
}

}  // namespace

Result<std::string> Allowed(std::string_view method, std::string_view target, std::string_view body,
                            ApiVersion version) {
  size_t q = target.find('?');
  std::string_view path = target.substr(0, q);
  std::string_view query = q == std::string_view::npos ? "" : target.substr(q + 1);
  auto refuse = [&](std::string_view why) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("contract guard: {} {} is not sent: {}", method, path, why));
  };
  if (path.empty() || path[0] != '/') return refuse("not a path under the base URL");
  auto segments = Split(path);
  for (auto s : segments) {
    // "..", "." or an empty segment, or an escaped '/' or '.', could make a server resolve
    // another operation than the one matched here.
    std::string lower(s);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    if (s.empty() || s == "." || s == ".." || lower.find("%2f") != std::string::npos ||
        lower.find("%2e") != std::string::npos || lower.find("%5c") != std::string::npos) {
      return refuse("the path has an empty, relative or escaped segment");
    }
  }
  for (const Rule& rule : kRules) {
    if (rule.method != method || !PathMatches(rule.path, segments)) continue;
    if (version < rule.since) continue;
    if (rule.extra == Extra::kOrderValidate) {
      if (std::string why = OrderBodyProblem(body); !why.empty()) return refuse(why);
    }
    if (rule.extra == Extra::kRevokeValidate) {
      auto types = QueryValues(query, "type");
      if (types.size() != 1 || types[0] != "validate") {
        return refuse(
            "only a revoke with the single parameter type=validate (a dry run) is "
            "allowed");
      }
    }
    return fmt::format("{} {}", rule.method, rule.path);
  }
  return refuse("not on the allow-list of read-only and dry-run operations");
}

std::vector<std::string> AllowListDescription(ApiVersion version) {
  std::vector<std::string> out;
  for (const Rule& rule : kRules) {
    if (version < rule.since) continue;
    std::string line = fmt::format("{} {}", rule.method, rule.path);
    if (rule.extra == Extra::kOrderValidate) line += " (body type \"validate\" only)";
    if (rule.extra == Extra::kRevokeValidate) line += " (type=validate only)";
    out.push_back(std::move(line));
  }
  return out;
}

std::optional<std::string> TargetOf(std::string_view url, std::string_view base_url) {
  while (base_url.ends_with('/')) base_url.remove_suffix(1);
  if (!url.starts_with(base_url)) return std::nullopt;
  std::string_view rest = url.substr(base_url.size());
  if (!rest.empty() && rest[0] != '/' && rest[0] != '?') return std::nullopt;
  if (rest.empty() || rest[0] == '?') return "/" + std::string(rest);
  return std::string(rest);
}

GuardTransport::GuardTransport(std::shared_ptr<Transport> inner, std::string base_url,
                               ApiVersion version, int max_requests)
    : inner_(std::move(inner)),
      base_url_(std::move(base_url)),
      version_(version),
      max_requests_(max_requests) {}

Result<HttpResponse> GuardTransport::Send(const HttpRequest& request) {
  auto refuse = [this](std::string why) -> Result<HttpResponse> {
    std::lock_guard<std::mutex> lock(mu_);
    refused_.push_back(why);
    Error e;
    e.code = ErrorCode::kInvalidArgument;
    e.message = std::move(why);
    e.maybe_sent = false;  // certainly not: it never reached the inner transport
    return tl::unexpected(e);
  };
  auto target = TargetOf(request.url, base_url_);
  if (!target) {
    return refuse(fmt::format("contract guard: {} to a URL outside the base URL is not sent",
                              request.method));
  }
  auto op = Allowed(request.method, *target, request.body, version_);
  if (!op) return refuse(op.error().message);
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (sent_ >= max_requests_) {
      refused_.push_back("budget");
      return Fail(ErrorCode::kInvalidArgument,
                  fmt::format("contract guard: the budget of {} requests is spent; {} {} is not "
                              "sent",
                              max_requests_, request.method, *target));
    }
    ++sent_;
  }
  auto start = std::chrono::steady_clock::now();
  auto response = inner_->Send(request);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                  start)
                .count();
  Exchange x{.operation = *op, .method = request.method, .target = *target, .ms = ms};
  if (response) {
    x.status = response->status;
    x.headers = response->headers;
    x.body = response->body;
  } else {
    x.transport_error = response.error().message;
  }
  std::lock_guard<std::mutex> lock(mu_);
  pending_.push_back(std::move(x));
  return response;
}

std::vector<Exchange> GuardTransport::Take() {
  std::lock_guard<std::mutex> lock(mu_);
  return std::exchange(pending_, {});
}

std::vector<std::string> GuardTransport::refused() const {
  std::lock_guard<std::mutex> lock(mu_);
  return refused_;
}

int GuardTransport::sent() const {
  std::lock_guard<std::mutex> lock(mu_);
  return sent_;
}

}  // namespace esimgo::cli::contract
