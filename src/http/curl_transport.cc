// The default Transport: libcurl, with a pool of easy handles so that connections are kept
// alive across calls and threads never share a handle. libcurl is loaded on the first request
// (http/curl_api.h), not when the program starts.

#include <dlfcn.h>

#include <mutex>
#include <vector>

#include "esimgo/transport.h"
#include "http/curl_api.h"
#include "http/url.h"

namespace esimgo {
namespace internal {

Result<std::shared_ptr<const CurlApi>> LoadLibcurl(const std::string& library) {
  auto fail = [&library](const std::string& why) {
    Error e;
    e.code = ErrorCode::kTransport;
    e.maybe_sent = false;
    e.message = "cannot load libcurl (" + library + "): " + why +
                "; the HTTP transport needs it: install libcurl (Debian: apt-get install libcurl4)";
    return tl::unexpected(std::move(e));
  };
  // RTLD_LOCAL: libcurl's symbols serve only this lookup, never another library's references.
  // The handle is never closed: libcurl keeps process-wide state (TLS backends, atexit).
  void* handle = dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = dlerror();
    return fail(why != nullptr ? why : "dlopen failed");
  }
  auto api = std::make_shared<CurlApi>();
  std::string missing;
  auto resolve = [&](auto& fn, const char* name) {
    fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(dlsym(handle, name));
    if (fn == nullptr) missing += missing.empty() ? name : std::string(", ") + name;
  };
  resolve(api->global_init, "curl_global_init");
  resolve(api->easy_init, "curl_easy_init");
  resolve(api->easy_cleanup, "curl_easy_cleanup");
  resolve(api->easy_reset, "curl_easy_reset");
  resolve(api->easy_setopt, "curl_easy_setopt");
  resolve(api->easy_perform, "curl_easy_perform");
  resolve(api->easy_getinfo, "curl_easy_getinfo");
  resolve(api->easy_strerror, "curl_easy_strerror");
  resolve(api->slist_append, "curl_slist_append");
  resolve(api->slist_free_all, "curl_slist_free_all");
  if (!missing.empty()) return fail("it lacks " + missing);
  if (CURLcode rc = api->global_init(CURL_GLOBAL_DEFAULT); rc != CURLE_OK) {
    return fail(std::string("curl_global_init failed: ") + api->easy_strerror(rc));
  }
  return std::shared_ptr<const CurlApi>(std::move(api));
}

const Result<std::shared_ptr<const CurlApi>>& Libcurl() {
  // A function-local static: initialised once, thread-safely, on the first request. Never
  // destroyed, so a transport that outlives static destruction (a static Client) still has it.
  static const auto* api = new Result<std::shared_ptr<const CurlApi>>(LoadLibcurl(kLibcurlName));
  return *api;
}

}  // namespace internal

namespace {

using internal::CurlApi;

size_t OnBody(char* data, size_t size, size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

size_t OnHeader(char* data, size_t size, size_t n, void* user) {
  std::string_view line(data, size * n);
  auto* headers = static_cast<Headers*>(user);
  if (line.rfind("HTTP/", 0) == 0) {
    headers->clear();  // a new response (after 100-continue or a redirect)
    return size * n;
  }
  auto colon = line.find(':');
  if (colon == std::string_view::npos) return size * n;
  auto value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) {
    value.remove_suffix(1);
  }
  headers->emplace_back(std::string(line.substr(0, colon)), std::string(value));
  return size * n;
}

class CurlTransport final : public Transport {
 public:
  // An empty `library` is the process-wide libcurl (internal::Libcurl()).
  CurlTransport(std::string library, CurlTransportOptions options)
      : library_(std::move(library)), options_(std::move(options)) {}
  ~CurlTransport() override {
    if (pool_.empty()) return;
    const CurlApi& curl = **Load();  // a handle in the pool means libcurl was loaded
    for (CURL* h : pool_) curl.easy_cleanup(h);
  }

  Result<HttpResponse> Send(const HttpRequest& request) override {
    const auto& loaded = Load();
    if (!loaded) return tl::unexpected(loaded.error());
    const CurlApi& curl = **loaded;
    CURL* h = Take(curl);
    if (h == nullptr) return Fail(ErrorCode::kTransport, "curl_easy_init failed (out of memory)");
    HttpResponse response;
    curl_slist* header_list = nullptr;
    for (const auto& [k, v] : request.headers) {
      std::string line = k + ": " + v;
      header_list = curl.slist_append(header_list, line.c_str());
    }
    header_list = curl.slist_append(header_list, "Expect:");
    curl.easy_reset(h);
    curl.easy_setopt(h, CURLOPT_URL, request.url.c_str());
    curl.easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    if (request.method == "GET") curl.easy_setopt(h, CURLOPT_HTTPGET, 1L);
    if (!request.body.empty() || request.method == "POST" || request.method == "PUT") {
      curl.easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
      curl.easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(request.body.size()));
    }
    curl.easy_setopt(h, CURLOPT_HTTPHEADER, header_list);
    curl.easy_setopt(h, CURLOPT_WRITEFUNCTION, OnBody);
    curl.easy_setopt(h, CURLOPT_WRITEDATA, &response.body);
    curl.easy_setopt(h, CURLOPT_HEADERFUNCTION, OnHeader);
    curl.easy_setopt(h, CURLOPT_HEADERDATA, &response.headers);
    curl.easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));
    curl.easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(options_.connect_timeout.count()));
    curl.easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl.easy_setopt(h, CURLOPT_USERAGENT, options_.user_agent.c_str());
    // Compression pays where bandwidth is scarce (the 2 MB catalogue is ~10x smaller gzipped)
    // and costs CPU on both ends where it is not: on loopback (the sandbox) ask for none. To
    // the live API offer gzip only (ADR 0005): the same header on every machine (libcurl's ""
    // offers whatever it was built with), a bounded cost on the server (a server compressing
    // with brotli at quality 11 made one page 25x slower), and brotli saves only ~10 kB a page.
    if (!internal::IsLoopbackUrl(request.url)) {
      curl.easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "gzip");
    }
    curl.easy_setopt(h, CURLOPT_TCP_NODELAY, 1L);
    // libcurl silently re-sends a request whose reused keep-alive connection turns out dead
    // before any answer byte arrives, even a POST. If the server had received it (and died or
    // dropped the connection before answering), that is a second order behind the retry
    // table's back. Requests that change state therefore always open their own connection,
    // where libcurl never retries. Reads keep the pooled connections.
    if (request.method != "GET" && request.method != "HEAD") {
      curl.easy_setopt(h, CURLOPT_FRESH_CONNECT, 1L);
    }
    if (!options_.verify_tls && internal::IsLoopbackUrl(request.url)) {
      curl.easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
      curl.easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    CURLcode rc = curl.easy_perform(h);
    long status = 0;
    curl.easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    long request_size = 0;
    curl.easy_getinfo(h, CURLINFO_REQUEST_SIZE, &request_size);
    curl.slist_free_all(header_list);
    Give(h);
    if (rc != CURLE_OK) {
      Error e;
      e.code = rc == CURLE_OPERATION_TIMEDOUT ? ErrorCode::kTimeout : ErrorCode::kTransport;
      // Bytes on the wire mean the server may have acted; DNS, connect and TLS handshake
      // failures send nothing (request_size stays 0). Any byte sent counts, whatever the final
      // error, so that a failure after an internal reconnect is never reported as unsent.
      e.maybe_sent = request_size > 0;
      e.message = std::string(curl.easy_strerror(rc)) +
                  (e.maybe_sent ? " (after the request was sent)" : " (request not sent)");
      return tl::unexpected(std::move(e));
    }
    response.status = static_cast<int>(status);
    return response;
  }

 private:
  const Result<std::shared_ptr<const CurlApi>>& Load() {
    if (library_.empty()) return internal::Libcurl();
    std::call_once(load_once_, [this] { own_ = internal::LoadLibcurl(library_); });
    return own_;
  }

  CURL* Take(const CurlApi& curl) {
    std::lock_guard<std::mutex> lock(mu_);
    if (pool_.empty()) return curl.easy_init();
    CURL* h = pool_.back();
    pool_.pop_back();
    return h;
  }
  void Give(CURL* h) {
    std::lock_guard<std::mutex> lock(mu_);
    pool_.push_back(h);
  }

  std::string library_;
  CurlTransportOptions options_;
  std::once_flag load_once_;
  Result<std::shared_ptr<const CurlApi>> own_;
  std::mutex mu_;
  std::vector<CURL*> pool_;
};

}  // namespace

std::shared_ptr<Transport> MakeCurlTransport(CurlTransportOptions options) {
  return std::make_shared<CurlTransport>(std::string(), std::move(options));
}

std::shared_ptr<Transport> internal::MakeCurlTransportFrom(std::string library,
                                                           CurlTransportOptions options) {
  return std::make_shared<CurlTransport>(std::move(library), std::move(options));
}

}  // namespace esimgo
