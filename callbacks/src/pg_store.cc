#include "internal.h"

namespace esimgo::callbacks::internal {

Result<std::unique_ptr<Store>> OpenPgStore(std::string_view, const StoreOptions&) {
  return Fail(ErrorCode::kInvalidArgument, "PostgreSQL store: not implemented yet");
}
Result<std::unique_ptr<BatchSink>> NewPgSink(std::string_view, const StoreOptions&) {
  return Fail(ErrorCode::kInvalidArgument, "PostgreSQL store: not implemented yet");
}
Result<std::unique_ptr<Waker>> NewPgWaker(std::string_view, const StoreOptions&) {
  return Fail(ErrorCode::kInvalidArgument, "PostgreSQL store: not implemented yet");
}

}  // namespace esimgo::callbacks::internal
