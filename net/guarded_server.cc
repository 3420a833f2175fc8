// A cpp-httplib server whose connections are read through a stream that bounds the header stage
// (see esimgo/net/guarded_server.h and ADR 0006).

#include "esimgo/net/guarded_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>

namespace esimgo::net {
namespace {

using Clock = std::chrono::steady_clock;

int Millis(Clock::duration d) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
  return ms < 0 ? 0 : static_cast<int>(std::min<int64_t>(ms, 1 << 30));
}

bool Wait(int fd, short events, int timeout_ms) {
  pollfd p{fd, events, 0};
  int rc;
  do {
    rc = ::poll(&p, 1, timeout_ms);
  } while (rc < 0 && errno == EINTR);
  return rc > 0;
}

void AddressOf(const sockaddr_storage& addr, std::string& ip, int& port) {
  char text[INET6_ADDRSTRLEN] = {};
  if (addr.ss_family == AF_INET) {
    const auto* a = reinterpret_cast<const sockaddr_in*>(&addr);
    ::inet_ntop(AF_INET, &a->sin_addr, text, sizeof text);
    port = ntohs(a->sin_port);
  } else if (addr.ss_family == AF_INET6) {
    const auto* a = reinterpret_cast<const sockaddr_in6*>(&addr);
    ::inet_ntop(AF_INET6, &a->sin6_addr, text, sizeof text);
    port = ntohs(a->sin6_port);
  }
  ip = text;
}

// The socket as cpp-httplib's Stream, with one buffer kept across the requests of a keep-alive
// connection (cpp-httplib 0.11 makes a new stream, and buffer, per request). While a request's
// line and headers are being read, reads stop at the header deadline and after the header
// byte budget; after HeadersDone only the per-read timeout applies (LimitedBody bounds bodies).
class GuardedStream final : public httplib::Stream {
 public:
  GuardedStream(int fd, const ServerLimits& limits) : fd_(fd), limits_(limits) {}

  void StartRequest() {
    in_headers_ = true;
    header_bytes_ = 0;
    header_deadline_ = Clock::now() + limits_.header_timeout;
  }
  void HeadersDone() { in_headers_ = false; }
  [[nodiscard]] bool Buffered() const { return off_ < len_; }
  [[nodiscard]] bool saw_eof() const { return eof_; }
  /// The head overran its deadline or budget: the connection is not read any further.
  [[nodiscard]] bool broken() const { return broken_; }

  bool is_readable() const override {
    return Buffered() || Wait(fd_, POLLIN, static_cast<int>(limits_.read_timeout.count()));
  }
  bool is_writable() const override {
    return Wait(fd_, POLLOUT, static_cast<int>(limits_.write_timeout.count()));
  }

  ssize_t read(char* ptr, size_t size) override {
    if (!Buffered()) {
      int timeout = static_cast<int>(limits_.read_timeout.count());
      if (in_headers_) {
        auto left = header_deadline_ - Clock::now();
        if (left <= Clock::duration::zero()) {
          broken_ = true;  // the whole head took too long, however it was paced
          return -1;
        }
        timeout = std::min(timeout, std::max(Millis(left), 1));
      }
      if (!Wait(fd_, POLLIN, timeout)) {
        broken_ = in_headers_;  // a head that stalls or runs out of time is not read further
        return -1;
      }
      ssize_t n;
      do {
        n = ::recv(fd_, buffer_.data(), buffer_.size(), 0);
      } while (n < 0 && errno == EINTR);
      if (n <= 0) {
        eof_ = n == 0;
        return n;
      }
      off_ = 0;
      len_ = static_cast<size_t>(n);
      if (in_headers_ && (header_bytes_ += len_) > limits_.max_header_bytes) {
        broken_ = true;
        return -1;
      }
    }
    size_t n = std::min(size, len_ - off_);
    std::memcpy(ptr, buffer_.data() + off_, n);
    off_ += n;
    return static_cast<ssize_t>(n);
  }

  ssize_t write(const char* ptr, size_t size) override {
    if (!is_writable()) return -1;
    ssize_t n;
    do {
      n = ::send(fd_, ptr, size, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    return n;
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    if (::getpeername(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
      AddressOf(addr, ip, port);
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    if (::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
      AddressOf(addr, ip, port);
  }
  socket_t socket() const override { return fd_; }

 private:
  const int fd_;
  const ServerLimits& limits_;
  std::array<char, 16384> buffer_{};
  size_t off_ = 0, len_ = 0;
  bool in_headers_ = false, eof_ = false, broken_ = false;
  size_t header_bytes_ = 0;
  Clock::time_point header_deadline_{};
};

thread_local GuardedStream* t_current = nullptr;

// A raw answer for a connection refused before any request was read.
void RefuseConnection(int fd, const std::string& message) {
  std::string body = JsonMessage(message);
  std::string head =
      "HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\n"
      "Retry-After: 1\r\nConnection: close\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\n\r\n";
  std::string all = head + body;
  (void)::send(fd, all.data(), all.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
}

}  // namespace

GuardedServer::GuardedServer(std::shared_ptr<const ServerLimits> limits)
    : limits_(std::move(limits)),
      connections_(std::make_shared<ClientCounter>(limits_->max_connections_per_client)) {}

std::size_t GuardedServer::ConnectionsFrom(const std::string& address) const {
  return connections_->InProgress(address);
}

void GuardedServer::HeadersDone() {
  if (t_current != nullptr) t_current->HeadersDone();
}

bool GuardedServer::process_and_close_socket(socket_t sock) {
  // What cpp-httplib 0.11's own version does (a keep-alive loop around process_request, then
  // shutdown and close), plus: the per-address connection cap, one GuardedStream for the whole
  // connection, and a short lingering close when we stop reading before the client stopped
  // sending (closing with unread data would send a reset that can destroy our answer).
  GuardedStream strm(sock, *limits_);
  std::string ip;
  int port = 0;
  strm.get_remote_ip_and_port(ip, port);
  bool ret = false;
  bool linger = true;  // unless the connection ends between requests
  if (!connections_->Enter(ip)) {
    RefuseConnection(sock, "too many connections from " + ip + " (at most " +
                               std::to_string(limits_->max_connections_per_client) +
                               " at once): close some before opening more");
  } else {
    size_t count = keep_alive_max_count_;
    linger = false;
    const auto idle = std::chrono::seconds(keep_alive_timeout_sec_);
    while (svr_sock_ != INVALID_SOCKET && count > 0) {
      // Wait for the next request (in short steps, so that Stop() is noticed).
      bool ready = strm.Buffered();
      for (auto until = Clock::now() + idle; !ready && svr_sock_ != INVALID_SOCKET;) {
        auto left = until - Clock::now();
        if (left <= Clock::duration::zero()) break;
        ready = Wait(sock, POLLIN, std::min(Millis(left), 50));
      }
      if (!ready) break;
      strm.StartRequest();
      bool connection_closed = false;
      t_current = &strm;
      ret = process_request(strm, count == 1, connection_closed, nullptr);
      t_current = nullptr;
      if (!ret) linger = true;  // ended inside a request: the client may still be sending
      if (!ret || connection_closed || strm.broken()) break;
      --count;
    }
    connections_->Leave(ip);
  }
  ::shutdown(sock, SHUT_WR);
  if (linger && !strm.saw_eof()) {
    // Lingering close: read and drop what the client still sends, for a short while.
    std::array<char, 16384> sink;
    const auto until = Clock::now() + std::chrono::milliseconds(500);
    size_t drained = 0;
    while (drained < (4u << 20) && Wait(sock, POLLIN, Millis(until - Clock::now()))) {
      ssize_t n = ::recv(sock, sink.data(), sink.size(), 0);
      if (n <= 0) break;
      drained += static_cast<size_t>(n);
    }
  }
  ::close(sock);
  return ret;
}

}  // namespace esimgo::net
