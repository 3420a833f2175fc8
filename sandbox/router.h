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

namespace esimgo::sandbox {

struct Ctx {
  const httplib::Request& req;
  Engine& engine;
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
};

using RouteTable = std::vector<Route>;

void AddCatalogueRoutes(RouteTable& t);
void AddNetworkRoutes(RouteTable& t);
void AddOrganisationRoutes(RouteTable& t);
void AddOrderRoutes(RouteTable& t);
void AddInventoryRoutes(RouteTable& t);
void AddEsimRoutes(RouteTable& t);

// Helpers for routes.
Reply JsonReply(std::string body, int status = 200);
Reply ErrorReply(int status, std::string_view message);      // {"message": …}
Reply TextErrorReply(int status, std::string_view message);  // text/plain (POST /orders)
template <class T>
Reply Encoded(const T& value);
// Parses an integer query parameter; nullopt (and `error` set) when malformed.
std::optional<int64_t> ParseInt(std::string_view text);
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
