#pragma once
// Which drift-check operation (include/esimgo/drift.h) each row of the operations table
// (src/retry/operations.h) answers: the name ClientOptions::on_drift reports.

#include <string_view>

#include "retry/operations.h"

namespace esimgo::drift::internal {

// "GET /esims/{iccid}" for esimgo::internal::Op::kEsimsGet; empty for the operations whose
// answer is not JSON (the deprecated QR ZIP and install CSV).
std::string_view OperationOf(esimgo::internal::Op op) noexcept;

}  // namespace esimgo::drift::internal
