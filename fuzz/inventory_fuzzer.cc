// Feeds arbitrary bytes to the inventory decoders: they must fail cleanly, never crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "json/json_reader.h"
#include "model/inventory_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace json = esimgo::internal::json;
  std::string_view body(reinterpret_cast<const char*>(data), size);
  (void)json::DecodeBody<esimgo::Inventory>(body, "fuzz");
  (void)json::DecodeBody<esimgo::InventoryBundle>(body, "fuzz");
  (void)json::DecodeBody<esimgo::InventoryLot>(body, "fuzz");
  (void)json::DecodeBody<esimgo::Allowance>(body, "fuzz");
  (void)json::DecodeBody<esimgo::RefundRequest>(body, "fuzz");
  return 0;
}
