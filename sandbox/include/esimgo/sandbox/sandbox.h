#pragma once
/// @file sandbox.h
/// The esimgo sandbox: a stateful emulator of eSIM Go API v2.4, embeddable in-process
/// (the CLI's default and every integration test) or run as `esimgo-sandbox`.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "esimgo/result.h"
#include "esimgo/transport.h"

namespace esimgo::sandbox {

/// How to run a sandbox. An aggregate: build it with designated initializers.
struct SandboxOptions {
  std::string host = "127.0.0.1";       ///< Address to listen on; loopback by default.
  int port = 0;                         ///< 0 = pick a free port (see `Sandbox::port()`).
  std::string db_path;                  ///< SQLite file; empty = in-memory (state dies with it).
  std::string api_key = "sandbox-key";  ///< The key clients must send as `X-API-Key`.
  std::string callback_url;             ///< Where usage callbacks are POSTed; empty = none.
  int callback_version = 2;             ///< 2 = unsigned, 3 = signed with X-Signature-SHA256.
  double rate_limit = 10;               ///< Requests per second per client IP; 0 = off.
  uint64_t seed = 0;                    ///< Seed for generated ICCIDs etc.; 0 = random.
  std::string faults;                   ///< Fault spec, see docs/sandbox.md.
  /// Most worker threads of the HTTP server; they start on demand. cpp-httplib holds a worker
  /// for as long as a connection is open (slow clients included), so this bounds the number of
  /// connections served at once. Limits per client and timeouts: docs/sandbox.md, section "Limits".
  int threads = 512;
  /// v2.5's IP allow-list (eSIM Go portal: API Details → IP Whitelist): when not empty, an API
  /// request (/v2.4, /v2.5; admin routes are exempt) from any other client address is answered
  /// exactly like a bad API key, as eSIM Go does. Exact addresses, e.g. "127.0.0.1".
  std::vector<std::string> allowed_ips;
  /// false: no socket and no server thread; requests reach the sandbox only through
  /// `Sandbox::InProcessTransport()` (the CLI's embedded sandbox, a user's unit tests). The
  /// rate sheet is then parsed on demand instead of at start. `host`, `port` and `threads` are
  /// ignored.
  bool listen = true;
};

/// A running sandbox server. Thread-safe. Stops when destroyed.
class Sandbox {
 public:
  /// Opens (or creates) the store, seeds it on first use, binds and starts serving.
  /// Returns once the server accepts connections. With `listen = false` it neither binds nor
  /// starts a thread: use `InProcessTransport()`.
  /// Errors: kInvalidArgument (bad options or fault spec), kTransport (cannot bind),
  /// kServer (cannot open the database).
  [[nodiscard]] static Result<std::unique_ptr<Sandbox>> Start(SandboxOptions options);

  virtual ~Sandbox() = default;
  /// e.g. "http://127.0.0.1:43121/v2.4"
  [[nodiscard]] virtual std::string base_url() const = 0;
  /// The bound port; 0 for a sandbox without a socket (`listen = false`), whose `base_url()`
  /// is http://in-process.invalid/v2.4 (a host that never resolves).
  [[nodiscard]] virtual int port() const = 0;
  /// A Transport that hands each request straight to this sandbox's routes: no socket, no HTTP,
  /// no thread of its own. Everything else is as over HTTP — the same rate limit, API-key check,
  /// fault injection, routes and answers (status, headers, body); the request comes from
  /// 127.0.0.1. A "drop" fault fails the call with kTransport (maybe_sent), and a latency fault
  /// longer than the request's timeout with kTimeout. Put it in `ClientOptions::transport` with
  /// `base_url()` as the base URL. Works with or without a socket; after `Stop()` its calls fail
  /// with kTransport (not sent). Thread-safe; it may outlive the sandbox.
  [[nodiscard]] virtual std::shared_ptr<Transport> InProcessTransport() = 0;
  /// Stops serving and waits for in-flight requests and callback deliveries. Idempotent.
  virtual void Stop() = 0;
};

}  // namespace esimgo::sandbox
