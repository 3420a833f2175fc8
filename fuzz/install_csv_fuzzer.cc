// Feeds arbitrary bytes to the install-details CSV reader.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "esimgo/esims.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)esimgo::ParseInstallDetailsCsv(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
