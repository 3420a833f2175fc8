#pragma once
// How routes plug into the server: each routes/*.cc adds its operations to a RouteTable.
// The server wraps every handler with rate limiting, authentication and fault injection.

#include <httplib.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine.h"
#include "esimgo/options.h"

namespace esimgo::sandbox {

// An HTTP answer produced by a route.
struct Reply {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

// What a route sees of a request. Routes decode it, make ONE Engine call and encode the result;
// they never lock, tick or commit (the Engine does, engine.h).
struct Ctx {
  const httplib::Request& req;
  Engine& engine;
  // The API version of the prefix the request came in under (/v2.4 or /v2.5). Both prefixes
  // share one Engine; v2.5-only fields are written only when this is kV2_5 (docs/sandbox.md).
  ApiVersion version = ApiVersion::kV2_4;
  [[nodiscard]] bool v25() const { return version == ApiVersion::kV2_5; }
  // Path parameter i (1-based), already percent-decoded by cpp-httplib.
  [[nodiscard]] std::string Param(size_t i) const {
    return i < req.matches.size() ? std::string(req.matches[i]) : std::string();
  }
  [[nodiscard]] std::optional<std::string> Query(const char* name) const {
    if (!req.has_param(name)) return std::nullopt;
    return req.get_param_value(name);
  }
  [[nodiscard]] std::vector<std::string> QueryAll(const char* name) const {
    std::vector<std::string> out;
    auto range = req.params.equal_range(name);
    for (auto it = range.first; it != range.second; ++it) out.push_back(it->second);
    return out;
  }
};

using Handler = std::function<Reply(Ctx&)>;

struct Route {
  std::string method;   // GET, POST, PUT, DELETE
  std::string pattern;  // regex after /v2.4, e.g. "/esims/([^/]+)"
  std::string name;     // "GET /esims/{iccid}", used by fault specs and docs
  Handler handler;
  bool text_errors = false;  // POST /orders: errors are text/plain, bad key is 401
  // The first version that has the operation: a kV2_5 route is served under /v2.5 only (under
  // /v2.4 the server answers "no such operation"), every other one under both prefixes.
  ApiVersion since = ApiVersion::kV2_4;
};

using RouteTable = std::vector<Route>;

void AddCatalogueRoutes(RouteTable& t);
void AddNetworkRoutes(RouteTable& t);
void AddOrganisationRoutes(RouteTable& t);
void AddOrderRoutes(RouteTable& t);
void AddInventoryRoutes(RouteTable& t);
void AddEsimRoutes(RouteTable& t);        // calls AddEsimBundleRoutes
void AddEsimBundleRoutes(RouteTable& t);  // apply, applied bundles, revoke
void AddV25Routes(RouteTable& t);         // v2.5 only (since = kV2_5); called by AddEsimRoutes
void AddV25AdminRoutes(RouteTable& t);    // policy suspension, consumption; by AddAdminRoutes

// Runs `route` for `c`: first refuses (400) a query parameter or path segment that is not
// UTF-8, so no such string reaches the Engine, the store or an echoed message.
Reply RunRoute(const Route& route, Ctx& c);

// Helpers for routes.
Reply JsonReply(std::string body, int status = 200);
Reply ErrorReply(int status, std::string_view message);      // {"message": …}
Reply TextErrorReply(int status, std::string_view message);  // text/plain (POST /orders)
// An Engine error as its HTTP answer: kBadRequest → 400, kForbidden → 403, kNotFound → 410
// (v2.5: gone, deactivated), else 500.
int StatusOf(const Error& e);
Reply ErrorReply(const Error& e);
template <class T>
Reply Encoded(const T& value);
// Encodes a successful result, or answers its error.
template <class T>
Reply Answer(const Result<T>& r) {
  return r ? Encoded(*r) : ErrorReply(r.error());
}
// Parses an integer; nullopt when malformed or out of int64 range.
std::optional<int64_t> ParseInt(std::string_view text);
// A page number: absent → 1, 0 → 1 (some clients start at 0), 1..limits::kMaxPageNumber;
// anything else is an error naming the parameter. Checked before any page arithmetic.
Result<int64_t> ParsePage(const std::optional<std::string>& text, std::string_view name);
std::vector<std::string> SplitList(std::string_view text);  // comma list, trimmed, no empties
bool ParseBoolText(std::string_view text, bool& out);

}  // namespace esimgo::sandbox

#include "json/json_writer.h"

namespace esimgo::sandbox {
template <class T>
Reply Encoded(const T& value) {
  internal::JsonWriter w;
  Encode(w, value);
  return JsonReply(w.Take());
}
}  // namespace esimgo::sandbox
