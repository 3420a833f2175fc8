// Feeds arbitrary bytes to the organisation decoders: they must fail cleanly, never crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "json/json_reader.h"
#include "model/organisation_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace json = esimgo::internal::json;
  std::string_view body(reinterpret_cast<const char*>(data), size);
  (void)json::DecodeBody<esimgo::Organisation>(body, "fuzz");
  (void)json::DecodeBody<esimgo::OrganisationUser>(body, "fuzz");
  (void)json::DecodeBody<esimgo::TopUpResult>(body, "fuzz");
  (void)json::DecodeBody<esimgo::BundleGroupListBody>(body, "fuzz");
  (void)json::DecodeBody<esimgo::BundleGroup>(body, "fuzz");
  return 0;
}
