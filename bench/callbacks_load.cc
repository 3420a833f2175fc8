// Load generator for `esimgo callbacks listen` (bench/callbacks_load.sh builds and runs it).
//
//   callbacks_load --port P[,P2,…] --key KEY [--connections 32] [--seconds 10] [--dup 0.2]
//                  [--rate 0] [--run-id ID] [--host 127.0.0.1] [--path /callback]
//
// Each connection is a thread with a keep-alive socket bound to its own loopback source address
// (127.0.3.x), so the receiver's per-client caps (made for the open internet) do not turn the
// benchmark into a test of 429s. It POSTs eSIM Go-shaped Utilisation bodies (~380 bytes), each
// signed like eSIM Go's V3 callbacks (X-Signature-SHA256 = base64 HMAC-SHA256 of the body with the
// API key). A fraction --dup of the requests re-sends a body already sent (by any connection,
// with its signature): redeliveries the receiver must answer 2xx "duplicate" without a new row.
//
// --rate 0 (default) is a closed loop: each connection sends its next request when the answer
// arrives (wrk's model). --rate R paces the whole run at R requests/s and measures each latency
// from the request's *scheduled* time, so a stalled receiver shows up in the percentiles instead
// of slowing the generator down (no coordinated omission).
//
// Prints one line `RESULT key=value …` (requests, ok, stored, duplicate, unavailable, other,
// errors, distinct_acked, throughput_ok, p50_ms, p99_ms, max_ms) and the first error seen.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::string host = "127.0.0.1";
  std::vector<int> ports;
  std::string path = "/callback";
  std::string key;
  std::string run_id = "run";
  int connections = 32;
  double seconds = 10;
  double dup = 0.2;
  double rate = 0;
};

std::string Base64(const unsigned char* data, unsigned len) {
  std::string out(4 * ((len + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(len));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::string Sign(const std::string& key, const std::string& body) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), mac, &len);
  return Base64(mac, len);
}

// One distinct callback body per (run, connection, sequence number).
std::string Body(const std::string& run_id, int conn, long seq) {
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "{\"alertType\":\"Utilisation\",\"iccid\":\"8944%04d%011ld\",\"bundle\":{\"id\":"
                "\"%s-%d-%ld\",\"reference\":\"ref-%s\",\"name\":\"esim_1GB_7D_GB_V2\","
                "\"description\":\"eSIM, 1GB, 7 Days, United Kingdom, V2\",\"initialQuantity\":"
                "1000000000,\"remainingQuantity\":%ld,\"startTime\":\"2026-11-30T10:00:00Z\","
                "\"endTime\":\"2026-12-07T10:00:00Z\",\"unlimited\":false}}",
                conn, seq, run_id.c_str(), conn, seq, run_id.c_str(), 1000000000L - seq);
  return buf;
}

struct Sent {
  std::string request;  // the whole HTTP request, ready to re-send
  uint64_t id;          // conn << 40 | seq
};

// Recently sent requests shared by all connections, for redeliveries across connections.
class Ring {
 public:
  void Put(const Sent& s) {
    std::lock_guard lock(mu_);
    if (items_.size() < kSize) {
      items_.push_back(s);
    } else {
      items_[next_++ % kSize] = s;
    }
  }
  bool Pick(std::mt19937_64& rng, Sent& out) {
    std::lock_guard lock(mu_);
    if (items_.empty()) return false;
    out = items_[rng() % items_.size()];
    return true;
  }

 private:
  static constexpr std::size_t kSize = 4096;
  std::mutex mu_;
  std::vector<Sent> items_;
  std::size_t next_ = 0;
};

struct Stats {
  long requests = 0, ok = 0, stored = 0, duplicate = 0, unavailable = 0, other = 0, errors = 0;
  std::vector<double> latencies_ms;  // of 2xx answers
  std::vector<uint64_t> acked;       // distinct body ids that got a 2xx
  std::string first_error;
};

int Connect(const Options& o, int conn, int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in src{};
  src.sin_family = AF_INET;
  // 127.0.3.1 … 127.0.3.254, 127.0.4.1 …: one source address per connection.
  src.sin_addr.s_addr = htonl((127u << 24) | ((3u + conn / 254) << 8) | (1u + conn % 254));
  if (::bind(fd, reinterpret_cast<sockaddr*>(&src), sizeof src) != 0) {
    ::close(fd);
    return -1;
  }
  sockaddr_in dst{};
  dst.sin_family = AF_INET;
  dst.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, o.host.c_str(), &dst.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&dst), sizeof dst) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Reads one answer; returns the status (-1 on a broken connection) and fills `body`.
int ReadAnswer(int fd, std::string& buf, std::string& body) {
  for (;;) {
    auto end = buf.find("\r\n\r\n");
    if (end != std::string::npos) {
      int status = std::atoi(buf.c_str() + 9);
      std::size_t length = 0;
      for (std::size_t p = buf.find("\r\n"); p < end; p = buf.find("\r\n", p + 2)) {
        if (strncasecmp(buf.c_str() + p + 2, "Content-Length:", 15) == 0) {
          length = std::strtoul(buf.c_str() + p + 17, nullptr, 10);
        }
      }
      while (buf.size() < end + 4 + length) {
        char tmp[4096];
        ssize_t n = ::read(fd, tmp, sizeof tmp);
        if (n <= 0) return -1;
        buf.append(tmp, static_cast<std::size_t>(n));
      }
      body = buf.substr(end + 4, length);
      buf.erase(0, end + 4 + length);
      return status;
    }
    char tmp[4096];
    ssize_t n = ::read(fd, tmp, sizeof tmp);
    if (n <= 0) return -1;
    buf.append(tmp, static_cast<std::size_t>(n));
  }
}

void Run(const Options& o, int conn, Ring& ring, Clock::time_point start, Stats& st) {
  std::mt19937_64 rng(static_cast<uint64_t>(conn) * 7919 + 17);
  std::uniform_real_distribution<double> coin(0, 1);
  const int port = o.ports[static_cast<std::size_t>(conn) % o.ports.size()];
  const auto stop = start + std::chrono::duration_cast<Clock::duration>(
                                std::chrono::duration<double>(o.seconds));
  // Paced mode: this connection's share of the rate, first send staggered.
  const double interval = o.rate > 0 ? o.connections / o.rate : 0;
  auto next = start + std::chrono::duration_cast<Clock::duration>(
                          std::chrono::duration<double>(interval * conn / o.connections));
  int fd = -1;
  std::string buf, body;
  long seq = 0;
  while (Clock::now() < stop) {
    if (fd < 0) {
      fd = Connect(o, conn, port);
      buf.clear();
      if (fd < 0) {
        ++st.errors;
        if (st.first_error.empty()) st.first_error = std::string("connect: ") + strerror(errno);
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        continue;
      }
    }
    Sent s;
    if (!(coin(rng) < o.dup && ring.Pick(rng, s))) {
      std::string b = Body(o.run_id, conn, seq);
      s.id = (static_cast<uint64_t>(conn) << 40) | static_cast<uint64_t>(seq);
      ++seq;
      s.request = "POST " + o.path + " HTTP/1.1\r\nHost: " + o.host +
                  "\r\nContent-Type: application/json\r\nX-Signature-SHA256: " + Sign(o.key, b) +
                  "\r\nContent-Length: " + std::to_string(b.size()) + "\r\n\r\n" + b;
      ring.Put(s);
    }
    Clock::time_point t0;
    if (interval > 0) {
      std::this_thread::sleep_until(next);
      t0 = next;
      next += std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(interval));
    } else {
      t0 = Clock::now();
    }
    ++st.requests;
    if (::write(fd, s.request.data(), s.request.size()) != static_cast<ssize_t>(s.request.size())) {
      ++st.errors;
      if (st.first_error.empty()) st.first_error = "write failed";
      ::close(fd);
      fd = -1;
      continue;
    }
    int status = ReadAnswer(fd, buf, body);
    double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    if (status < 0) {
      ++st.errors;
      if (st.first_error.empty()) st.first_error = "connection closed before an answer";
      ::close(fd);
      fd = -1;
      continue;
    }
    if (status >= 200 && status < 300) {
      ++st.ok;
      st.latencies_ms.push_back(ms);
      st.acked.push_back(s.id);
      if (body.find("\"duplicate\"") != std::string::npos) {
        ++st.duplicate;
      } else if (body.find("\"stored\"") != std::string::npos) {
        ++st.stored;
      }
    } else if (status == 503) {
      ++st.unavailable;
    } else {
      ++st.other;
      if (st.first_error.empty()) st.first_error = "HTTP " + std::to_string(status) + ": " + body;
    }
  }
  if (fd >= 0) ::close(fd);
}

[[noreturn]] void Usage(const char* why) {
  std::fprintf(stderr,
               "callbacks_load: %s\nusage: callbacks_load --port P[,P2…] --key KEY "
               "[--connections N] [--seconds S] [--dup F] [--rate R] [--run-id ID] "
               "[--host H] [--path /callback]\n",
               why);
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (i + 1 >= argc) Usage(("missing value for " + a).c_str());
    std::string v = argv[++i];
    if (a == "--port") {
      for (std::size_t p = 0; p <= v.size();) {
        std::size_t comma = v.find(',', p);
        if (comma == std::string::npos) comma = v.size();
        o.ports.push_back(std::atoi(v.substr(p, comma - p).c_str()));
        p = comma + 1;
      }
    } else if (a == "--key") {
      o.key = v;
    } else if (a == "--connections") {
      o.connections = std::atoi(v.c_str());
    } else if (a == "--seconds") {
      o.seconds = std::atof(v.c_str());
    } else if (a == "--dup") {
      o.dup = std::atof(v.c_str());
    } else if (a == "--rate") {
      o.rate = std::atof(v.c_str());
    } else if (a == "--run-id") {
      o.run_id = v;
    } else if (a == "--host") {
      o.host = v;
    } else if (a == "--path") {
      o.path = v;
    } else {
      Usage(("unknown option " + a).c_str());
    }
  }
  if (o.ports.empty() || o.key.empty()) Usage("--port and --key are required");
  if (o.connections < 1 || o.connections > 2000) Usage("--connections must be 1..2000");
  if (o.seconds <= 0) Usage("--seconds must be positive");

  Ring ring;
  std::vector<Stats> stats(static_cast<std::size_t>(o.connections));
  std::vector<std::thread> threads;
  auto start = Clock::now();
  for (int c = 0; c < o.connections; ++c) {
    threads.emplace_back(
        [&, c] { Run(o, c, ring, start, stats[static_cast<std::size_t>(c)]); });
  }
  for (auto& t : threads) t.join();
  double elapsed = std::chrono::duration<double>(Clock::now() - start).count();

  Stats all;
  std::unordered_set<uint64_t> distinct;
  for (auto& s : stats) {
    all.requests += s.requests;
    all.ok += s.ok;
    all.stored += s.stored;
    all.duplicate += s.duplicate;
    all.unavailable += s.unavailable;
    all.other += s.other;
    all.errors += s.errors;
    all.latencies_ms.insert(all.latencies_ms.end(), s.latencies_ms.begin(), s.latencies_ms.end());
    distinct.insert(s.acked.begin(), s.acked.end());
    if (all.first_error.empty()) all.first_error = s.first_error;
  }
  std::sort(all.latencies_ms.begin(), all.latencies_ms.end());
  auto pct = [&](double q) {
    if (all.latencies_ms.empty()) return 0.0;
    std::size_t i = static_cast<std::size_t>(q * static_cast<double>(all.latencies_ms.size() - 1));
    return all.latencies_ms[i];
  };
  std::printf(
      "RESULT requests=%ld ok=%ld stored=%ld duplicate=%ld unavailable=%ld other=%ld errors=%ld "
      "distinct_acked=%zu seconds=%.2f throughput_ok=%.0f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f\n",
      all.requests, all.ok, all.stored, all.duplicate, all.unavailable, all.other, all.errors,
      distinct.size(), elapsed, static_cast<double>(all.ok) / elapsed, pct(0.5), pct(0.99),
      all.latencies_ms.empty() ? 0.0 : all.latencies_ms.back());
  if (!all.first_error.empty()) std::printf("FIRST_ERROR %s\n", all.first_error.c_str());
  return 0;
}
