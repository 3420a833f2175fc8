// Feeds arbitrary bytes to every order decoder (responses and the request the sandbox
// decodes): they must fail cleanly, never crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "json/json_reader.h"
#include "model/orders_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace json = esimgo::internal::json;
  std::string_view body(reinterpret_cast<const char*>(data), size);
  (void)json::DecodeBody<esimgo::OrderListBody>(body, "fuzz");
  (void)json::DecodeBody<esimgo::Order>(body, "fuzz");
  (void)json::DecodeBody<esimgo::OrderValidation>(body, "fuzz");
  (void)json::DecodeBody<esimgo::OrderRequest>(body, "fuzz");
  (void)json::DecodeBody<esimgo::OrderLine>(body, "fuzz");
  (void)json::DecodeBody<esimgo::BundleOrder>(body, "fuzz");
  (void)json::DecodeBody<esimgo::OrderEsim>(body, "fuzz");
  return 0;
}
