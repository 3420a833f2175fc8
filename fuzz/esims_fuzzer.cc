// Feeds arbitrary bytes to every eSIM decoder and to the install-details CSV reader: they must
// fail cleanly, never crash. Whatever decodes is re-encoded and decoded again (the sandbox
// encodes with the same codecs), which must succeed.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "api_call.h"
#include "esimgo/esims.h"
#include "json/json_reader.h"
#include "model/esims_codec.h"

namespace {

template <class T>
void Check(std::string_view body) {
  auto decoded = esimgo::internal::json::DecodeBody<T>(body, "fuzz");
  if (!decoded) return;
  const std::string again = esimgo::internal::EncodeBody(*decoded);
  if (!esimgo::internal::json::DecodeBody<T>(again, "fuzz re-encode")) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  Check<esimgo::EsimSummary>(body);
  Check<esimgo::EsimListBody>(body);
  Check<esimgo::EsimDetails>(body);
  Check<esimgo::HistoryEvent>(body);
  Check<esimgo::HistoryBody>(body);
  Check<esimgo::EsimLocation>(body);
  Check<esimgo::SmsRequest>(body);
  Check<esimgo::ApplyBundleItem>(body);
  Check<esimgo::ApplyBundleRequest>(body);
  Check<esimgo::AppliedEsim>(body);
  Check<esimgo::ApplyBundleResponse>(body);
  Check<esimgo::LegacyApplyRequest>(body);
  Check<esimgo::EsimInstall>(body);
  Check<esimgo::InstallDetailsBody>(body);
  Check<esimgo::BundleAssignment>(body);
  Check<esimgo::AppliedBundle>(body);
  Check<esimgo::BundlesListBody>(body);
  Check<esimgo::AssignmentListBody>(body);
  Check<esimgo::CompatibilityBody>(body);
  Check<esimgo::UpdateEsimBody>(body);
  // v2.5
  Check<esimgo::SuspendBody>(body);
  Check<esimgo::SuspensionStatus>(body);
  (void)esimgo::ParseBundleState(body);
  (void)esimgo::ParseEsimState(body);
  if (auto rows = esimgo::ParseInstallDetailsCsv(body)) {
    // What we write, we must read back row for row.
    auto again = esimgo::ParseInstallDetailsCsv(esimgo::EncodeInstallDetailsCsv(*rows));
    if (!again || again->size() != rows->size()) std::abort();
  }
  return 0;
}
