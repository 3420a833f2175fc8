// libcurl is loaded at run time (src/http/curl_api.h): nothing maps it before the first request,
// the process-wide load happens once, and a machine without it gets an error that says what to
// install instead of a loader failure before main().

#include <dlfcn.h>
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "esimgo/transport.h"
#include "http/curl_api.h"

namespace esimgo {
namespace {

// Evaluated while the program starts, before any test runs (and so before any request): every
// library the executable needs is mapped by then, and RTLD_NOLOAD only looks.
const bool kLibcurlMappedAtStart = [] {
  void* h = dlopen(internal::kLibcurlName, RTLD_NOW | RTLD_NOLOAD);
  if (h != nullptr) dlclose(h);
  return h != nullptr;
}();

TEST(CurlLoader, TheSdkDoesNotMapLibcurlBeforeTheFirstRequest) {
  EXPECT_FALSE(kLibcurlMappedAtStart)
      << "libcurl was loaded before main(): something links it (DT_NEEDED) again";
}

TEST(CurlLoader, TheProcessWideLibcurlLoadsOnceForEveryThread) {
  std::vector<const internal::CurlApi*> seen(4, nullptr);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < seen.size(); ++i) {
    threads.emplace_back([&seen, i] {
      const auto& api = internal::Libcurl();
      if (api) seen[i] = api->get();
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_NE(seen[0], nullptr) << internal::Libcurl().error().message;
  for (const auto* api : seen) EXPECT_EQ(api, seen[0]);
  EXPECT_NE(seen[0]->easy_setopt, nullptr);
  EXPECT_NE(seen[0]->easy_strerror, nullptr);
}

TEST(CurlLoader, AMissingLibcurlIsAClearTransportErrorNamingWhatToInstall) {
  auto api = internal::LoadLibcurl("libcurl-esimgo-test-missing.so.4");
  ASSERT_FALSE(api);
  EXPECT_EQ(api.error().code, ErrorCode::kTransport);
  EXPECT_FALSE(api.error().maybe_sent);
  EXPECT_NE(api.error().message.find("libcurl-esimgo-test-missing.so.4"), std::string::npos)
      << api.error().message;
  EXPECT_NE(api.error().message.find("apt-get install libcurl4"), std::string::npos)
      << api.error().message;
}

TEST(CurlLoader, ALibraryWithoutCurlsFunctionsIsRefusedByName) {
  // libc is loaded in every process and has none of libcurl's functions.
  auto api = internal::LoadLibcurl("libc.so.6");
  ASSERT_FALSE(api);
  EXPECT_NE(api.error().message.find("curl_global_init"), std::string::npos) << api.error().message;
}

TEST(CurlLoader, ATransportWithoutLibcurlFailsEachRequestUnsentAndNeverCrashes) {
  auto transport = internal::MakeCurlTransportFrom("libcurl-esimgo-test-missing.so.4", {});
  for (int i = 0; i < 2; ++i) {
    auto r = transport->Send({.url = "http://127.0.0.1:9/v2.4/organisation"});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kTransport);
    EXPECT_FALSE(r.error().maybe_sent);
    EXPECT_NE(r.error().message.find("cannot load libcurl"), std::string::npos)
        << r.error().message;
  }
}

}  // namespace
}  // namespace esimgo
