// The shared hardening of the toolkit's cpp-httplib servers (see esimgo/net/http_guard.h).

#include "esimgo/net/http_guard.h"

#include "esimgo/net/guarded_server.h"

#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <system_error>

#include "json/json_writer.h"
#include "model/common_codec.h"

namespace esimgo::net {
namespace {

// Marks a response whose request was counted by ClientCounter::Enter, so that the post-routing
// handler leaves exactly the requests that entered. A response header, because a client cannot
// forge one; removed before the answer is written.
constexpr const char* kCountedMarker = "X-Esimgo-Counted";

bool IsBodyMethod(const std::string& method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Set by the guard on the request when the client accepted gzip; any client-sent copy is removed
// first, so a handler can trust it.
constexpr const char* kAcceptsGzip = "X-Esimgo-Accepts-Gzip";

// Whether an Accept-Encoding value accepts gzip: a "gzip" (or "x-gzip") coding whose q is not 0,
// or "*" with q not 0. (cpp-httplib's own test is a substring search that honours q=0.)
bool GzipAcceptable(std::string_view value) {
  while (!value.empty()) {
    size_t comma = value.find(',');
    std::string_view token = Trim(value.substr(0, comma));
    value = comma == std::string_view::npos ? std::string_view() : value.substr(comma + 1);
    size_t semi = token.find(';');
    std::string_view coding = Trim(token.substr(0, semi));
    bool zero = false;
    if (semi != std::string_view::npos) {
      std::string_view params = token.substr(semi + 1);
      size_t q = params.find("q=");
      if (q != std::string_view::npos) {
        std::string_view num = Trim(params.substr(q + 2));
        zero = !num.empty() && num.find_first_of("123456789") == std::string_view::npos;
      }
    }
    if (zero) continue;
    if (EqualsIgnoreCase(coding, "gzip") || EqualsIgnoreCase(coding, "x-gzip") || coding == "*") {
      return true;
    }
  }
  return false;
}

// Content-Length must be 1 to 19 decimal digits (RFC 9110 §8.6); anything else is a framing
// error the server must not guess about.
bool ParseLength(std::string_view text, uint64_t& out) {
  text = Trim(text);
  if (text.empty() || text.size() > 19) return false;
  out = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + static_cast<uint64_t>(c - '0');
  }
  return true;
}

}  // namespace

// ---- ElasticPool ---------------------------------------------------------------------------

ElasticPool::ElasticPool(std::size_t min_workers, std::size_t max_workers)
    : max_workers_(std::max<std::size_t>(max_workers, 1)) {
  std::lock_guard lock(mu_);
  for (std::size_t i = 0; i < std::min(min_workers, max_workers_); ++i) StartWorkerLocked();
}

ElasticPool::~ElasticPool() { shutdown(); }

void ElasticPool::StartWorkerLocked() {
  try {
    threads_.emplace_back([this] { Work(); });
    ++idle_;  // counted as idle from now on, so a burst of connections starts one worker each
  } catch (const std::system_error&) {
    // Out of threads: the queued connection waits for a busy worker instead. With none at all
    // the server could not serve anything, so that one is not survivable.
    if (threads_.empty()) throw;
  }
}

void ElasticPool::enqueue(std::function<void()> fn) {
  std::lock_guard lock(mu_);
  jobs_.push_back(std::move(fn));
  if (jobs_.size() > idle_ && threads_.size() < max_workers_) StartWorkerLocked();
  cv_.notify_one();
}

void ElasticPool::shutdown() {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mu_);
    shutdown_ = true;
    threads.swap(threads_);
  }
  cv_.notify_all();
  for (auto& t : threads) t.join();
}

std::size_t ElasticPool::workers() const {
  std::lock_guard lock(mu_);
  return threads_.size();
}

void ElasticPool::Work() {
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait(lock, [&] { return !jobs_.empty() || shutdown_; });
    --idle_;
    if (jobs_.empty()) return;  // shut down and drained: queued connections are still closed
    auto fn = std::move(jobs_.front());
    jobs_.pop_front();
    lock.unlock();
    fn();
    lock.lock();
    ++idle_;
  }
}

// ---- ClientCounter -------------------------------------------------------------------------

bool ClientCounter::Enter(const std::string& address) {
  std::lock_guard lock(mu_);
  std::size_t& n = in_progress_[address];
  if (limit_ > 0 && n >= limit_) return false;
  ++n;
  return true;
}

void ClientCounter::Leave(const std::string& address) {
  std::lock_guard lock(mu_);
  auto it = in_progress_.find(address);
  if (it == in_progress_.end()) return;
  if (--it->second == 0) in_progress_.erase(it);  // the map holds only addresses in progress
}

std::size_t ClientCounter::InProgress(const std::string& address) const {
  std::lock_guard lock(mu_);
  auto it = in_progress_.find(address);
  return it == in_progress_.end() ? 0 : it->second;
}

// ---- answers -------------------------------------------------------------------------------

// The SDK's own writer and error shape: one JSON escaping in the project, not one per server.
std::string JsonMessage(std::string_view message) {
  internal::JsonWriter w;
  EncodeErrorMessage(w, message);
  return w.Take();
}

void AnswerAndClose(httplib::Response& res, int status, std::string body,
                    std::string content_type) {
  if (body.empty()) body = JsonMessage("request rejected");
  res.status = status;
  res.body.clear();
  res.set_header("Connection", "close");
  auto shared = std::make_shared<const std::string>(std::move(body));
  res.set_content_provider(shared->size(), content_type,
                           [shared](size_t offset, size_t length, httplib::DataSink& sink) {
                             sink.write(shared->data() + offset, length);
                             // The whole answer is written; reporting failure is the one way
                             // cpp-httplib 0.11 offers to close the connection instead of reading
                             // the unread body as the next request.
                             return false;
                           });
}

bool AcceptsGzip(const httplib::Request& req) { return req.has_header(kAcceptsGzip); }

bool IsClosingAnswer(const httplib::Response& res) {
  return res.body.empty() && res.get_header_value("Connection") == "close";
}

httplib::Server::HandlerWithContentReader LimitedBody(
    std::function<void(const httplib::Request&, httplib::Response&)> handler,
    std::shared_ptr<const ServerLimits> limits) {
  return [handler = std::move(handler), limits = std::move(limits)](
             const httplib::Request& req, httplib::Response& res,
             const httplib::ContentReader& reader) {
    std::string body;
    bool over = false;
    bool ok = reader([&](const char* data, size_t n) {
      if (n > limits->max_body_bytes - body.size()) {
        over = true;
        return false;  // stop reading: the rest of the body is never buffered
      }
      body.append(data, n);
      return true;
    });
    if (over || res.status == 413) {
      AnswerAndClose(res, 413, JsonMessage(limits->body_too_large_message));
      return;
    }
    if (!ok) {
      AnswerAndClose(res, 400,
                     JsonMessage("the request body could not be read: it ended early, paused for "
                                 "longer than " +
                                 std::to_string(limits->read_timeout.count()) +
                                 " ms, or is not valid chunked encoding"));
      return;
    }
    res.status = 200;
    // The handlers (sandbox routes, the receiver) read req.body like any cpp-httplib handler.
    // The Request is a non-const local of cpp-httplib's process_request that is handed to us as
    // const, so writing the body we read into it is well-defined.
    auto& mutable_req = const_cast<httplib::Request&>(req);
    mutable_req.body = std::move(body);
    if (req.get_header_value("Content-Type").rfind("application/x-www-form-urlencoded", 0) == 0 &&
        req.body.size() <= 8192) {
      // cpp-httplib merges a form body into the query parameters for plain handlers
      // (`curl -d amount=1000`); keep that for routes registered through here.
      httplib::detail::parse_query_text(req.body, mutable_req.params);
    }
    handler(req, res);
  };
}

// ---- Harden --------------------------------------------------------------------------------

void AfterBind(GuardState& state) {
  int fd = state.listen_fd.load();
  if (fd >= 0) ::listen(fd, 1024);  // a second listen() only changes the backlog
}

std::shared_ptr<GuardState> Harden(httplib::Server& server,
                                   std::shared_ptr<const ServerLimits> limits) {
  const ServerLimits& l = *limits;
  auto state = std::make_shared<GuardState>();
  state->counter = std::make_shared<ClientCounter>(l.max_requests_per_client);
  auto counter = state->counter;
  server.set_socket_options([state](socket_t sock) {
    httplib::default_socket_options(sock);
    state->listen_fd.store(sock);
  });
  const auto sec = [](std::chrono::milliseconds d) {
    return static_cast<time_t>(d.count() / 1000);
  };
  const auto usec = [](std::chrono::milliseconds d) {
    return static_cast<time_t>((d.count() % 1000) * 1000);
  };
  server.set_read_timeout(sec(l.read_timeout), usec(l.read_timeout));
  server.set_write_timeout(sec(l.write_timeout), usec(l.write_timeout));
  server.set_keep_alive_timeout(
      static_cast<time_t>(std::max<int64_t>(l.keep_alive_timeout.count(), 1)));
  server.set_keep_alive_max_count(10'000);
  server.set_payload_max_length(l.max_body_bytes);
  server.set_tcp_nodelay(true);
  const std::size_t min_workers = l.min_workers, max_workers = l.max_workers;
  server.new_task_queue = [min_workers, max_workers] {
    return new ElasticPool(min_workers, max_workers);
  };

  // Expect: 100-continue is answered before any body is sent: refuse an oversized one there, so
  // the client never uploads it.
  server.set_expect_100_continue_handler(
      [limits](const httplib::Request& req, httplib::Response& res) {
        uint64_t length = 0;
        if (req.has_header("Content-Length") &&
            ParseLength(req.get_header_value("Content-Length"), length) &&
            length > limits->max_body_bytes) {
          AnswerAndClose(res, 413, JsonMessage(limits->body_too_large_message));
          return 413;
        }
        return 100;
      });

  server.set_pre_routing_handler([limits, counter](const httplib::Request& req,
                                                   httplib::Response& res) {
    using R = httplib::Server::HandlerResponse;
    GuardedServer::HeadersDone();  // the header deadline and budget end here
    // The guard edits request headers (Accept-Encoding, an implied Content-Length: 0) before
    // cpp-httplib acts on them. cpp-httplib hands the pre-routing handler its non-const local
    // Request as const; writing to it is well-defined.
    auto& headers = const_cast<httplib::Headers&>(req.headers);

    // Compression is the handlers' decision (GzipCache), never cpp-httplib's (see header).
    headers.erase(kAcceptsGzip);
    bool gzip = false;
    for (size_t i = 0; i < req.get_header_value_count("Accept-Encoding"); ++i) {
      gzip = gzip || GzipAcceptable(req.get_header_value("Accept-Encoding", i));
    }
    headers.erase("Accept-Encoding");
    if (gzip) headers.emplace(kAcceptsGzip, "1");

    if (IsBodyMethod(req.method)) {
      const bool has_te = req.has_header("Transfer-Encoding");
      const size_t lengths = req.get_header_value_count("Content-Length");
      if (has_te && !EqualsIgnoreCase(Trim(req.get_header_value("Transfer-Encoding")), "chunked")) {
        AnswerAndClose(res, 501,
                       JsonMessage("unsupported Transfer-Encoding \"" +
                                   req.get_header_value("Transfer-Encoding").substr(0, 64) +
                                   "\": send the body with Content-Length or chunked"));
        return R::Handled;
      }
      if (has_te && lengths > 0) {
        // Both framings at once is the request-smuggling pattern (RFC 9112 §6.1): refuse it.
        AnswerAndClose(res, 400,
                       JsonMessage("a request must not carry both Content-Length and "
                                   "Transfer-Encoding"));
        return R::Handled;
      }
      if (lengths > 0) {
        uint64_t length = 0;
        bool valid = true;
        for (size_t i = 0; i < lengths && valid; ++i) {
          uint64_t each = 0;
          valid = ParseLength(req.get_header_value("Content-Length", i), each) &&
                  (i == 0 || each == length);
          length = each;
        }
        if (!valid) {
          AnswerAndClose(res, 400,
                         JsonMessage("Content-Length must be one decimal number of bytes"));
          return R::Handled;
        }
        if (length > limits->max_body_bytes) {
          // Answered before the body is read: cpp-httplib would read (and discard) all of it.
          AnswerAndClose(res, 413, JsonMessage(limits->body_too_large_message));
          return R::Handled;
        }
      } else if (!has_te) {
        // Neither header: the body is empty (RFC 9112 §6.3). cpp-httplib 0.11 would instead
        // read until the client closes or the read timeout passes, then answer a bare 400:
        // `curl -X POST URL` stalled 5 s. Say so explicitly, so it reads no body at all.
        headers.emplace("Content-Length", "0");
      }
      if (req.is_multipart_form_data()) {
        AnswerAndClose(res, 415,
                       JsonMessage("multipart/form-data is not accepted: send a JSON body"));
        return R::Handled;
      }
    }

    if (!counter->Enter(req.remote_addr)) {
      AnswerAndClose(res, 429,
                     JsonMessage("too many requests in progress from " + req.remote_addr +
                                 " (at most " + std::to_string(limits->max_requests_per_client) +
                                 " at once): wait for the answers before sending more"));
      res.set_header("Retry-After", "1");
      return R::Handled;
    }
    res.set_header(kCountedMarker, "1");
    return R::Unhandled;
  });

  server.set_post_routing_handler([counter](const httplib::Request& req, httplib::Response& res) {
    if (!res.has_header(kCountedMarker)) return;
    res.headers.erase(kCountedMarker);
    counter->Leave(req.remote_addr);
  });
  return state;
}

}  // namespace esimgo::net
