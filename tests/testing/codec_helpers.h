#pragma once
// Helpers for codec and decode tests: spec example payloads from tests/data, decoding that
// fails the test on error, and request counting.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "api_call.h"
#include "esimgo/transport.h"
#include "json/json_reader.h"

namespace esimgo::testing {

// The bytes of tests/data/<name> (spec examples and live-shape variants).
inline std::string SpecExample(const std::string& name) {
  std::ifstream in(std::string(ESIMGO_SOURCE_DIR) + "/tests/data/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_FALSE(ss.str().empty()) << "missing tests/data/" << name;
  return ss.str();
}

// Decodes `body` into T, failing the test (and returning T{}) if it does not decode.
template <class T>
T MustDecode(std::string_view body) {
  auto r = internal::json::DecodeBody<T>(body, "test");
  EXPECT_TRUE(r) << r.error().ToString();
  return r ? *r : T{};
}

// How many of `requests` used `method`.
inline size_t CountMethod(const std::vector<HttpRequest>& requests, std::string_view method) {
  size_t n = 0;
  for (const auto& r : requests) n += r.method == method ? 1 : 0;
  return n;
}

}  // namespace esimgo::testing
