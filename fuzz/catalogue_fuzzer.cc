// Feeds arbitrary bytes to the catalogue decoders: they must fail cleanly, never crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "json/json_reader.h"
#include "model/catalogue_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  (void)esimgo::internal::json::DecodeBody<esimgo::CataloguePage>(body, "fuzz");
  (void)esimgo::internal::json::DecodeBody<esimgo::CatalogueBundle>(body, "fuzz");
  (void)esimgo::internal::json::DecodeBody<esimgo::CataloguePrices>(body, "fuzz");  // v2.5
  return 0;
}
