// Feeds arbitrary bytes to the network decoders: they must fail cleanly, never crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "json/json_reader.h"
#include "model/networks_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace json = esimgo::internal::json;
  std::string_view body(reinterpret_cast<const char*>(data), size);
  (void)json::DecodeBody<esimgo::NetworkList>(body, "fuzz");
  (void)json::DecodeBody<esimgo::CountryNetworks>(body, "fuzz");
  (void)json::DecodeBody<esimgo::Network>(body, "fuzz");
  return 0;
}
