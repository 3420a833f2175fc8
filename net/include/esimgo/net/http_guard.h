#pragma once
/// @file http_guard.h
/// What the toolkit's two HTTP servers (the sandbox and `esimgo callbacks listen`) share to stay
/// responsive under slow or abusive clients: a worker pool that grows with the load, read/write
/// timeouts, a per-client cap on requests in progress, bodies counted as they arrive (chunked
/// too), immediate answers to requests that would otherwise make the server wait, and the
/// compression policy. Both servers are cpp-httplib 0.11 servers; see docs/adr/0006.

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace esimgo::net {

/// How much one client may cost a server. The defaults are the sandbox's.
struct ServerLimits {
  /// Largest request body, counted as it arrives (Content-Length or chunked). Larger → 413.
  std::size_t max_body_bytes = 1 << 20;
  /// Longest wait for the next bytes of a request (line, headers or body) before the connection
  /// is closed. cpp-httplib applies it per read, not per request (see docs/adr/0006).
  std::chrono::milliseconds read_timeout{2000};
  /// Longest time from the first byte of a request to the end of its headers (GuardedServer):
  /// a client that trickles its headers loses the connection after this, however it paces them.
  std::chrono::milliseconds header_timeout{5000};
  /// Most bytes received for a request line and headers (GuardedServer); more closes the
  /// connection.
  std::size_t max_header_bytes = 64 << 10;
  /// Connections open at once from one client address (GuardedServer); more → 429 and closed.
  /// 0 = no limit.
  std::size_t max_connections_per_client = 256;
  /// Longest wait for a client to accept the next bytes of an answer.
  std::chrono::milliseconds write_timeout{5000};
  /// How long an idle keep-alive connection is kept (whole seconds; cpp-httplib's unit).
  std::chrono::seconds keep_alive_timeout{1};
  /// Worker threads started up front; more are started while every worker is busy.
  std::size_t min_workers = 8;
  /// Upper bound on worker threads, hence on connections served at once (each connection holds
  /// a worker while it is open: cpp-httplib is thread-per-connection).
  std::size_t max_workers = 512;
  /// Requests from one client address that may be in progress (headers read, answer not yet
  /// written) at once; more → 429 at once. 0 = no limit.
  std::size_t max_requests_per_client = 128;
  /// Text of the 413 answer, e.g. "request body too large (the limit is 1 MiB)".
  std::string body_too_large_message = "request body too large";
};

/// A cpp-httplib task queue that starts workers on demand up to a maximum, so that connections
/// held open by slow clients do not leave well-behaved ones waiting for a worker.
class ElasticPool final : public httplib::TaskQueue {
 public:
  ElasticPool(std::size_t min_workers, std::size_t max_workers);
  ~ElasticPool() override;
  void enqueue(std::function<void()> fn) override;
  void shutdown() override;
  /// Workers started so far (they are kept until shutdown).
  std::size_t workers() const;

 private:
  void Work();
  void StartWorkerLocked();

  const std::size_t max_workers_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;
  std::vector<std::thread> threads_;
  std::size_t idle_ = 0;
  bool shutdown_ = false;
};

/// Counts requests in progress per client address (see ServerLimits::max_requests_per_client).
class ClientCounter {
 public:
  explicit ClientCounter(std::size_t limit) : limit_(limit) {}
  /// False when `address` already has `limit` requests in progress (nothing is counted then).
  bool Enter(const std::string& address);
  void Leave(const std::string& address);
  std::size_t InProgress(const std::string& address) const;

 private:
  const std::size_t limit_;
  mutable std::mutex mu_;
  std::map<std::string, std::size_t> in_progress_;
};

/// Makes `server` answer `status` with `body` and then close the connection, even when the
/// client is still sending a body that the server will not read (otherwise cpp-httplib would
/// parse the rest of that body as the next request on the connection).
void AnswerAndClose(httplib::Response& res, int status, std::string body,
                    std::string content_type = "application/json");

/// True when the answer was set by AnswerAndClose (error handlers must not replace it).
bool IsClosingAnswer(const httplib::Response& res);

/// Whether the client accepted gzip (Accept-Encoding as it arrived, before Harden's guard
/// removed it). Only meaningful in handlers of a server set up with Harden.
bool AcceptsGzip(const httplib::Request& req);

/// Formats `{"message": "..."}` (the JSON error shape both servers use).
std::string JsonMessage(std::string_view message);

/// The body-reading part of a handler: reads the request body through `reader` counting bytes as
/// they arrive (chunked or not), stores it in the request and calls `handler`. A body over the
/// limit gets 413 and a broken or timed-out one 400, each answered at once with the connection
/// closed. Register POST/PUT/DELETE routes through this, never with a plain handler: cpp-httplib
/// 0.11 does not apply set_payload_max_length to chunked bodies.
httplib::Server::HandlerWithContentReader LimitedBody(
    std::function<void(const httplib::Request&, httplib::Response&)> handler,
    std::shared_ptr<const ServerLimits> limits);

/// Applies `limits` to `server`: worker pool, timeouts, payload limit, the Expect: 100-continue
/// check, and a pre-routing guard that
///  - answers 413 at once when Content-Length is over the limit (before any body is read),
///  - answers 400 at once for a malformed Content-Length or a Transfer-Encoding other than
///    chunked, 429 when the client has too many requests in progress,
///  - treats a POST/PUT/DELETE with neither Content-Length nor Transfer-Encoding as having an
///    empty body (RFC 9112 §6.3) instead of reading until the client closes,
///  - takes compression out of cpp-httplib's hands: it would compress every JSON answer, with
///    brotli at quality 11 when offered (858 ms for a 31 ms catalogue page). The guard removes
///    Accept-Encoding and records whether gzip was acceptable (AcceptsGzip); a server compresses
///    what is worth it itself, through GzipCache (see docs/adr/0005).
/// Returns what the guard keeps (the server holds it too); pass it to AfterBind.
struct GuardState {
  std::shared_ptr<ClientCounter> counter;
  std::atomic<int> listen_fd{-1};
};
std::shared_ptr<GuardState> Harden(httplib::Server& server,
                                   std::shared_ptr<const ServerLimits> limits);

/// Call after bind_to_port / bind_to_any_port, before listen_after_bind: lets up to 1024
/// connections wait to be accepted. cpp-httplib 0.11 listens with a backlog of 5, so a burst of
/// connections (200 at once) had clients wait 1 to 3 s for SYN retransmissions.
void AfterBind(GuardState& state);

}  // namespace esimgo::net
