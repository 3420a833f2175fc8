#pragma once
/// @file guarded_server.h
/// A cpp-httplib server that owns each connection's socket reads: a deadline and a byte budget
/// for a request's line and headers, a cap on connections per client address, and a lingering
/// close after an early answer. cpp-httplib 0.11 itself reads headers with a per-read timeout
/// only and without a size bound (ADR 0006); everything else (routing, handlers, Harden's guard)
/// is unchanged.

#include <httplib.h>

#include <memory>

#include "esimgo/net/http_guard.h"

namespace esimgo::net {

class GuardedServer : public httplib::Server {
 public:
  explicit GuardedServer(std::shared_ptr<const ServerLimits> limits);

  /// Connections open right now from `address` (tests observe the cap with it).
  std::size_t ConnectionsFrom(const std::string& address) const;

  /// Tells the stream serving this thread's request that its headers are complete (called by
  /// Harden's pre-routing guard; the body is bounded by LimitedBody instead).
  static void HeadersDone();

 private:
  // cpp-httplib 0.11's Server::process_and_close_socket with our stream (see the .cc).
  bool process_and_close_socket(socket_t sock) override;

  std::shared_ptr<const ServerLimits> limits_;
  std::shared_ptr<ClientCounter> connections_;
};

}  // namespace esimgo::net
