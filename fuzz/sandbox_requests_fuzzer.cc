// Feeds arbitrary bytes to every request-body decoder of the sandbox (sandbox/wire.h): they must
// fail cleanly with a kBadRequest, never crash, and every string they accept must be UTF-8 (the
// store and the echoed messages rely on it).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wire.h"

namespace {

namespace wire = esimgo::sandbox::wire;

void Check(const std::optional<std::string>& s) {
  if (s && !wire::IsUtf8(*s)) std::abort();
}

void Check(const std::optional<std::vector<std::string>>& list) {
  if (!list) return;
  for (const auto& s : *list) Check(std::optional<std::string>(s));
}

template <class T>
bool Refused(const esimgo::Result<T>& r) {
  if (r) return false;
  if (r.error().code != esimgo::ErrorCode::kBadRequest || r.error().message.empty()) std::abort();
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  if (auto o = wire::DecodeOrder(body); !Refused(o)) {
    Check(o->type);
    if (o->order) {
      for (const auto& item : *o->order) {
        Check(item.type);
        Check(item.item);
        Check(item.iccids);
      }
    }
  }
  if (auto a = wire::DecodeApply(body); !Refused(a)) {
    Check(a->iccid);
    Check(a->name);
    if (a->bundles) {
      for (const auto& b : *a->bundles) Check(b.name);
    }
  }
  if (auto l = wire::DecodeLegacyApply(body); !Refused(l)) {
    Check(l->name);
    Check(l->start_time);
  }
  if (auto s = wire::DecodeSms(body); !Refused(s)) {
    Check(s->message);
    Check(s->from);
  }
  (void)Refused(wire::DecodeRefund(body));
  if (auto u = wire::DecodeUpdateEsim(body); !Refused(u)) {
    Check(u->iccid);
    Check(u->customer_ref);
  }
  if (auto u = wire::DecodeUsage(body); !Refused(u)) {
    Check(u->iccid);
    Check(u->country);
  }
  (void)Refused(wire::DecodeClock(body));
  (void)Refused(wire::DecodeSuspend(body));  // v2.5 {"suspend": bool}
  (void)Refused(wire::DecodeFlag(body, "enabled"));
  if (auto u = wire::DecodeUrl(body); !Refused(u)) Check(u->url);
  if (auto f = wire::DecodeFaults(body); !Refused(f)) Check(f->spec);
  (void)wire::IsUtf8(body);
  return 0;
}
