// Feeds arbitrary bytes to the webhook parser and verifier: they must fail cleanly, never
// crash, and a body must always verify against its own signature.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "esimgo/webhook.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  if (auto alert = esimgo::webhook::ParseAlert(input)) {
    // Whatever parsed must encode to JSON that parses again, to the same type (dispatched on
    // `alertType` or `event`) and the same ICCID.
    auto again = esimgo::webhook::ParseAlert(esimgo::webhook::EncodeAlert(*alert));
    if (!again) std::abort();
    if (again->alert_type.value != alert->alert_type.value) std::abort();
    if (again->iccid != alert->iccid) std::abort();
  }
  // Split the input into key | signature | body on the first two '\n's.
  std::string_view key = input.substr(0, input.find('\n'));
  std::string_view rest = input.substr(key.size() < input.size() ? key.size() + 1 : input.size());
  std::string_view signature = rest.substr(0, rest.find('\n'));
  std::string_view body =
      rest.substr(signature.size() < rest.size() ? signature.size() + 1 : rest.size());
  (void)esimgo::webhook::VerifySignature(key, body, signature);
  if (!esimgo::webhook::VerifySignature(key, body, esimgo::webhook::ComputeSignature(key, body)) ||
      !esimgo::webhook::VerifySignature(key, body,
                                        esimgo::webhook::ComputeSignatureHex(key, body))) {
    std::abort();
  }
  esimgo::Headers headers{{"x-signature-sha256", std::string(signature)}};
  (void)esimgo::webhook::VerifyRequest(key, headers, body);
  return 0;
}
