#include "internal.h"

namespace esimgo::callbacks::internal {

Result<std::unique_ptr<Store>> OpenSqliteStore(std::string_view, const StoreOptions&) {
  return Fail(ErrorCode::kInvalidArgument, "SQLite store: not implemented yet");
}
Result<std::unique_ptr<BatchSink>> NewSqliteSink(std::string_view, const StoreOptions&) {
  return Fail(ErrorCode::kInvalidArgument, "SQLite store: not implemented yet");
}
Result<std::unique_ptr<Waker>> NewSqliteWaker(std::string_view, const StoreOptions&) {
  return Fail(ErrorCode::kInvalidArgument, "SQLite store: not implemented yet");
}

}  // namespace esimgo::callbacks::internal
