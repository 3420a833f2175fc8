#include "in_process.h"

#include <string_view>
#include <utility>

namespace esimgo::sandbox {
namespace {

// The characters before the first regex construct of `pattern` (ECMAScript syntax as the routes
// use it), with escapes resolved: a prefix every match must start with. A quantifier makes the
// character before it optional, so that character is not part of the prefix.
std::string LiteralPrefix(std::string_view pattern) {
  // An alternation may start a match with either branch: no prefix is safe then.
  if (pattern.find('|') != std::string_view::npos) return {};
  std::string out;
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '\\') {
      if (i + 1 < pattern.size() &&
          std::string_view(".\\/-_[](){}*+?|^$").find(pattern[i + 1]) != std::string_view::npos) {
        out += pattern[++i];
        continue;
      }
      break;  // \d, \w, \s …: a class, not a literal
    }
    if (std::string_view("*+?{").find(c) != std::string_view::npos) {
      if (!out.empty()) out.pop_back();
      break;
    }
    if (std::string_view(".[]()|^$").find(c) != std::string_view::npos) break;
    out += c;
  }
  return out;
}

class InProcessTransport final : public Transport {
 public:
  explicit InProcessTransport(std::shared_ptr<InProcessGate> gate) : gate_(std::move(gate)) {}
  Result<HttpResponse> Send(const HttpRequest& request) override { return gate_->Send(request); }

 private:
  std::shared_ptr<InProcessGate> gate_;
};

}  // namespace

void InProcessRouter::Add(std::string method, std::string pattern, Handler handler) {
  auto e = std::make_unique<Entry>();
  e->literal_prefix = LiteralPrefix(pattern);
  e->method = std::move(method);
  e->pattern = std::move(pattern);
  e->handler = std::move(handler);
  entries_.push_back(std::move(e));
}

bool InProcessRouter::Route(httplib::Request& req, httplib::Response& res) const {
  // cpp-httplib serves HEAD with the GET handlers.
  const std::string& method = req.method == "HEAD" ? std::string("GET") : req.method;
  for (const auto& e : entries_) {
    if (e->method != method || !req.path.starts_with(e->literal_prefix)) continue;
    std::call_once(e->compiled, [&e] { e->regex = std::regex(e->pattern); });
    if (std::regex_match(req.path, req.matches, e->regex)) {
      e->handler(req, res);
      return true;
    }
  }
  return false;
}

Result<void> ToServerRequest(const HttpRequest& in, httplib::Request& out) {
  std::string_view url = in.url;
  size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) {
    return Fail(ErrorCode::kInvalidArgument,
                "in-process sandbox: the URL '" + in.url + "' has no scheme://host");
  }
  std::string_view rest = url.substr(scheme + 3);
  size_t slash = rest.find_first_of("/?#");
  std::string_view target = slash == std::string_view::npos ? "/" : rest.substr(slash);
  if (size_t hash = target.find('#'); hash != std::string_view::npos)
    target = target.substr(0, hash);
  if (target.empty() || target.front() != '/') {
    out.target = "/" + std::string(target);
  } else {
    out.target = std::string(target);
  }
  out.method = in.method;
  out.version = "HTTP/1.1";
  // The same decoding as cpp-httplib's request line: the path percent-decoded ('+' kept), the
  // query split into params ('+' → space).
  std::string_view t = out.target;
  size_t q = t.find('?');
  out.path = httplib::detail::decode_url(std::string(t.substr(0, q)), false);
  if (q != std::string_view::npos && q + 1 < t.size()) {
    httplib::detail::parse_query_text(std::string(t.substr(q + 1)), out.params);
  }
  for (const auto& [name, value] : in.headers) out.headers.emplace(name, value);
  out.body = in.body;
  out.remote_addr = kInProcessRemoteAddr;
  out.remote_port = 0;
  out.local_addr = kInProcessRemoteAddr;
  out.local_port = 0;
  return {};
}

HttpResponse FromServerResponse(httplib::Response& res) {
  HttpResponse out;
  out.status = res.status;
  for (const auto& [name, value] : res.headers) out.headers.emplace_back(name, value);
  if (FindHeader(out.headers, "Content-Length").empty()) {
    out.headers.emplace_back("Content-Length", std::to_string(res.body.size()));
  }
  out.body = std::move(res.body);
  return out;
}

Result<HttpResponse> InProcessGate::Send(const HttpRequest& request) {
  std::shared_lock lock(mu_);
  if (closed_) {
    Error e;
    e.code = ErrorCode::kTransport;
    e.maybe_sent = false;
    e.message = "the in-process sandbox was stopped (request not sent)";
    return tl::unexpected(std::move(e));
  }
  return dispatch_(request);
}

void InProcessGate::Close() {
  std::unique_lock lock(mu_);  // waits for requests in flight
  closed_ = true;
  dispatch_ = nullptr;
}

std::shared_ptr<Transport> MakeInProcessTransport(std::shared_ptr<InProcessGate> gate) {
  return std::make_shared<InProcessTransport>(std::move(gate));
}

}  // namespace esimgo::sandbox
