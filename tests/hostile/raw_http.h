#pragma once
// A deliberately dumb HTTP/1.1 client over a raw loopback socket: it sends exactly the bytes a
// test writes (malformed request lines, lying lengths, chunked bodies, nothing at all) and reads
// whatever comes back, with a deadline. The hostile tests need that; real clients would "fix"
// their requests first.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace esimgo::hostile {

using Clock = std::chrono::steady_clock;

struct RawResponse {
  int status = 0;                              // 0 = no status line arrived
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  bool closed = false;  // the server closed the connection after the answer
  std::chrono::milliseconds elapsed{0};
  [[nodiscard]] std::string header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
};

class RawConn {
 public:
  /// Connects to 127.0.0.1:port, from `source` (any 127.x.y.z address) when given.
  explicit RawConn(int port, const char* source = nullptr) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) return;
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (source != nullptr) {
      sockaddr_in src{};
      src.sin_family = AF_INET;
      ::inet_pton(AF_INET, source, &src.sin_addr);
      if (::bind(fd_, reinterpret_cast<sockaddr*>(&src), sizeof src) != 0) {
        Close();
        return;
      }
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) Close();
  }
  ~RawConn() { Close(); }
  RawConn(const RawConn&) = delete;
  RawConn& operator=(const RawConn&) = delete;
  RawConn(RawConn&& o) noexcept : fd_(o.fd_), buffer_(std::move(o.buffer_)) { o.fd_ = -1; }

  [[nodiscard]] bool ok() const { return fd_ >= 0; }

  /// Sends all of `bytes`; false when the server has closed (EPIPE/ECONNRESET).
  bool Send(std::string_view bytes) {
    while (!bytes.empty() && fd_ >= 0) {
      ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n < 0) {
        if (errno == EINTR) continue;
        return false;
      }
      bytes.remove_prefix(static_cast<size_t>(n));
    }
    return fd_ >= 0;
  }

  /// Reads one response (status line, headers, a Content-Length body or everything until the
  /// server closes). A status of 0 means nothing complete arrived before `timeout`.
  RawResponse Read(std::chrono::milliseconds timeout = std::chrono::milliseconds(10'000)) {
    RawResponse r;
    const auto start = Clock::now();
    const auto deadline = start + timeout;
    size_t header_end;
    while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!Fill(deadline, r.closed)) {
        r.elapsed = Since(start);
        return r;
      }
    }
    std::string_view head(buffer_.data(), header_end);
    size_t line_end = head.find("\r\n");
    std::string_view status_line = head.substr(0, line_end);
    if (status_line.size() >= 12 && status_line.substr(0, 5) == "HTTP/") {
      r.status = std::atoi(std::string(status_line.substr(9, 3)).c_str());
    }
    std::string_view rest =
        line_end == std::string_view::npos ? std::string_view() : head.substr(line_end + 2);
    while (!rest.empty()) {
      size_t e = rest.find("\r\n");
      std::string_view line = rest.substr(0, e);
      rest = e == std::string_view::npos ? std::string_view() : rest.substr(e + 2);
      size_t colon = line.find(':');
      if (colon == std::string_view::npos) continue;
      std::string name(line.substr(0, colon));
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::string_view value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      r.headers[name] = std::string(value);
    }
    buffer_.erase(0, header_end + 4);
    if (auto cl = r.headers.find("content-length"); cl != r.headers.end()) {
      size_t want = std::stoul(cl->second);
      while (buffer_.size() < want && Fill(deadline, r.closed)) {
      }
      r.body = buffer_.substr(0, want);
      buffer_.erase(0, std::min(want, buffer_.size()));
    } else {
      while (Fill(deadline, r.closed)) {
      }
      r.body = std::move(buffer_);
      buffer_.clear();
    }
    if (r.header("connection") == "close") {
      // Confirm the close (the tests check that the server does not read on).
      bool closed = false;
      while (!closed && Fill(Clock::now() + std::chrono::milliseconds(2000), closed)) {
      }
      r.closed = closed;
    }
    r.elapsed = Since(start);
    return r;
  }

  /// True when the server closed the connection within `timeout` (reading and dropping data).
  bool WaitClosed(std::chrono::milliseconds timeout) {
    bool closed = false;
    const auto deadline = Clock::now() + timeout;
    while (!closed && Fill(deadline, closed)) buffer_.clear();
    return closed;
  }

  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  static std::chrono::milliseconds Since(Clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t);
  }
  // Reads what is available; false at EOF/error (closed = true) or at the deadline.
  bool Fill(Clock::time_point deadline, bool& closed) {
    if (fd_ < 0) {
      closed = true;
      return false;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd_, POLLIN, 0};
    int rc = ::poll(&p, 1, static_cast<int>(left.count()));
    if (rc <= 0) return false;
    char buf[16384];
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) {
      closed = true;
      return false;
    }
    buffer_.append(buf, static_cast<size_t>(n));
    return true;
  }

  int fd_ = -1;
  std::string buffer_;
};

/// One request on a fresh connection; `Connection: close` unless the caller's raw headers say
/// otherwise. `headers` are full lines without CRLF, e.g. "X-API-Key: k".
inline RawResponse Exchange(int port, std::string_view method, std::string_view target,
                            const std::vector<std::string>& headers, std::string_view body,
                            bool with_length = true,
                            std::chrono::milliseconds timeout = std::chrono::milliseconds(10'000)) {
  RawConn c(port);
  std::string req;
  req.append(method).append(" ").append(target).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
  for (const auto& h : headers) req.append(h).append("\r\n");
  if (with_length) req.append("Content-Length: " + std::to_string(body.size()) + "\r\n");
  req.append("Connection: close\r\n\r\n");
  req.append(body);
  c.Send(req);
  return c.Read(timeout);
}

/// `body` as chunked transfer encoding in chunks of `chunk` bytes, with the final 0 chunk.
inline std::string Chunked(std::string_view body, size_t chunk = 4096) {
  std::string out;
  char size[32];
  for (size_t i = 0; i < body.size(); i += chunk) {
    size_t n = std::min(chunk, body.size() - i);
    std::snprintf(size, sizeof size, "%zx\r\n", n);
    out.append(size).append(body.substr(i, n)).append("\r\n");
  }
  out.append("0\r\n\r\n");
  return out;
}

}  // namespace esimgo::hostile
