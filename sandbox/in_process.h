#pragma once
// The sandbox without a socket: the SDK's HttpRequest becomes the cpp-httplib Request the routes
// already read, goes through the same middleware (rate limit → auth → faults) and route table as
// a request over HTTP, and the Response comes back as an HttpResponse. No listening socket, no
// thread, no HTTP parsing (docs/adr/0008-fast-cli-start.md).

#include <httplib.h>

#include <functional>
#include <memory>
#include <mutex>
#include <regex>
#include <shared_mutex>
#include <string>
#include <vector>

#include "esimgo/result.h"
#include "esimgo/transport.h"

namespace esimgo::sandbox {

// The address the middleware sees for an in-process request (rate limit per client address,
// the v2.5 IP allow-list, an order's source IP): a client on this machine, as over loopback.
inline constexpr const char* kInProcessRemoteAddr = "127.0.0.1";
// What base_url() names when the sandbox has no socket: `.invalid` never resolves, so a request
// sent there over the network fails before anything leaves the machine.
inline constexpr const char* kInProcessHost = "in-process.invalid";

// The routes in the order they were registered, matched like cpp-httplib matches them: per
// method, the first whose pattern matches the whole decoded path. Patterns compile on first use
// (one command touches one or two of ~150), and a literal prefix rules most out without any.
class InProcessRouter {
 public:
  using Handler = std::function<void(const httplib::Request&, httplib::Response&)>;

  // `reads_body`: the route takes a body (POST, PUT, DELETE), so the body limit applies.
  void Add(std::string method, std::string pattern, Handler handler);
  // Runs the matching route; false when none matches (the caller answers 404).
  bool Route(httplib::Request& req, httplib::Response& res) const;

 private:
  struct Entry {
    std::string method;
    std::string pattern;
    std::string literal_prefix;  // every path the pattern matches starts with it
    Handler handler;
    mutable std::once_flag compiled;
    mutable std::regex regex;
  };
  std::vector<std::unique_ptr<Entry>> entries_;
};

// Fills `out` from `in` as cpp-httplib's parser would: the URL's path percent-decoded, its query
// decoded into params, the headers, the body, the remote address. Fails (kInvalidArgument) for a
// URL without scheme://host.
[[nodiscard]] Result<void> ToServerRequest(const HttpRequest& in, httplib::Request& out);

// The answer as a client receives it: status, headers (with Content-Type and Content-Length as
// the HTTP server adds them), body.
[[nodiscard]] HttpResponse FromServerResponse(httplib::Response& res);

// Connects InProcessTransport objects to a sandbox that may stop (or be destroyed) before them:
// requests in flight finish before Close() returns; later ones fail without reaching it.
class InProcessGate {
 public:
  using Dispatch = std::function<Result<HttpResponse>(const HttpRequest&)>;
  explicit InProcessGate(Dispatch dispatch) : dispatch_(std::move(dispatch)) {}
  [[nodiscard]] Result<HttpResponse> Send(const HttpRequest& request);
  void Close();

 private:
  std::shared_mutex mu_;
  bool closed_ = false;
  Dispatch dispatch_;
};

// A Transport over a gate.
[[nodiscard]] std::shared_ptr<Transport> MakeInProcessTransport(
    std::shared_ptr<InProcessGate> gate);

}  // namespace esimgo::sandbox
