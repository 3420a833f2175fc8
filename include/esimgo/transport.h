#pragma once
/// @file transport.h
/// The seam between the SDK and HTTP. The default is libcurl; tests inject a fake.

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "esimgo/result.h"
#include "esimgo/version.h"

namespace esimgo {

/// Ordered header list; names compare case-insensitively through `FindHeader`.
using Headers = std::vector<std::pair<std::string, std::string>>;

/// The value of the first header named `name` (case-insensitive), or empty.
[[nodiscard]] std::string_view FindHeader(const Headers& headers, std::string_view name) noexcept;

/// One HTTP request as the SDK built it: the URL is complete and already escaped.
struct HttpRequest {
  std::string method = "GET";                 ///< "GET", "POST", "DELETE", ….
  std::string url;                            ///< base URL + escaped path + encoded query
  Headers headers;                            ///< Includes `X-API-Key`: never log them.
  std::string body;                           ///< The request body (JSON), or empty.
  std::chrono::milliseconds timeout{30'000};  ///< The whole request, connection included.
};

/// One HTTP response. `body` is binary-safe (ZIP bytes survive).
struct HttpResponse {
  int status = 0;    ///< HTTP status code.
  Headers headers;   ///< Response headers as received.
  std::string body;  ///< The response body.
};

/// Sends requests. Implementations must be safe to call from several threads at once.
/// On failure they return an `Error` with code `kTransport` or `kTimeout` and set
/// `maybe_sent` to false only when the request certainly never left this machine
/// (DNS failure, connection refused). The key is in `request.headers`: never log it.
class Transport {
 public:
  virtual ~Transport() = default;
  /// Sends one request and waits for the whole response.
  [[nodiscard]] virtual Result<HttpResponse> Send(const HttpRequest& request) = 0;
};

/// Options of the built-in libcurl transport.
struct CurlTransportOptions {
  /// Verify TLS certificates. Turning it off is only honoured for loopback hosts.
  bool verify_tls = true;
  std::string user_agent = "esimgo-cpp/" ESIMGO_VERSION_STRING;  ///< The `User-Agent` header.
  std::chrono::milliseconds connect_timeout{10'000};             ///< Longest wait for a connection.
};

/// The default transport: libcurl with a shared pool of easy handles, each used by one call at
/// a time and kept for the next (keep-alive for reads; writes always open a fresh connection).
[[nodiscard]] std::shared_ptr<Transport> MakeCurlTransport(CurlTransportOptions options = {});

}  // namespace esimgo
