#pragma once
// libcurl, loaded at run time. The SDK has no link-time dependency on libcurl: the transport
// resolves the few functions it calls with dlopen/dlsym the first time a request goes to the
// network, so a program that never sends one (the CLI's --version, --help, the embedded
// sandbox) never maps libcurl's dependency tree (docs/adr/0008-fast-cli-start.md).

#include <curl/curl.h>

#include <memory>
#include <string>

#include "esimgo/result.h"
#include "esimgo/transport.h"

namespace esimgo::internal {

// The soname the transport loads: the ABI of Debian's libcurl4 package (and every distribution
// that ships libcurl 7.16 or later), whichever TLS flavour is installed.
inline constexpr const char* kLibcurlName = "libcurl.so.4";

// The libcurl functions the transport calls, resolved from one loaded library.
struct CurlApi {
  CURLcode (*global_init)(long flags) = nullptr;
  CURL* (*easy_init)() = nullptr;
  void (*easy_cleanup)(CURL*) = nullptr;
  void (*easy_reset)(CURL*) = nullptr;
  CURLcode (*easy_setopt)(CURL*, CURLoption, ...) = nullptr;
  CURLcode (*easy_perform)(CURL*) = nullptr;
  CURLcode (*easy_getinfo)(CURL*, CURLINFO, ...) = nullptr;
  const char* (*easy_strerror)(CURLcode) = nullptr;
  curl_slist* (*slist_append)(curl_slist*, const char*) = nullptr;
  void (*slist_free_all)(curl_slist*) = nullptr;
};

// Loads `library` and resolves every function, then runs curl_global_init once for it. Fails
// with kTransport (maybe_sent = false) naming the library, the loader's reason and what to
// install. Each call loads anew: the process-wide instance is `Libcurl()`.
[[nodiscard]] Result<std::shared_ptr<const CurlApi>> LoadLibcurl(const std::string& library);

// The process-wide libcurl (kLibcurlName), loaded on the first call; thread-safe. A failure is
// remembered: the library does not appear while the process runs.
[[nodiscard]] const Result<std::shared_ptr<const CurlApi>>& Libcurl();

// The transport of MakeCurlTransport over a libcurl loaded from `library` (tests use a name that
// does not exist to see the error a machine without libcurl gives).
[[nodiscard]] std::shared_ptr<Transport> MakeCurlTransportFrom(std::string library,
                                                               CurlTransportOptions options);

}  // namespace esimgo::internal
