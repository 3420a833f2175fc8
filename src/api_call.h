#pragma once
// The path every operation takes: validate → build Call → Execute (retry loop) → decode.

#include <optional>
#include <string>
#include <string_view>

#include "client_core.h"
#include "esimgo/limits.h"
#include "json/json_reader.h"
#include "json/json_writer.h"

namespace esimgo::internal {

// The one decode boundary for 2xx bodies: decodes into T with its `Decode` overload and,
// on failure, names the operation and redacts the body snippet (GET /organisation carries the
// API key in clear, so a malformed answer could otherwise quote it).
template <class T>
Result<T> DecodeResponse(ClientCore* core, Op op, const HttpResponse& response) {
  if (core->options().on_drift) core->ReportDrift(op, response);
  auto decoded = json::DecodeBody<T>(response.body, InfoOf(op).name);
  if (!decoded) {
    decoded.error().operation = std::string(InfoOf(op).name);
    decoded.error().http_status = response.status;
    decoded.error().attempts = 1;
    core->Redact(decoded.error());
  }
  return decoded;
}

// Sends `call` and decodes the 2xx body into T.
template <class T>
Result<T> ExecuteAndDecode(ClientCore* core, const Call& call, const CallOptions& options) {
  auto response = core->Execute(call, options);
  if (!response) return tl::unexpected(std::move(response.error()));
  return DecodeResponse<T>(core, call.op, *response);
}

// For an operation that is never sent twice, "sent but no answer" is neither success nor a
// safe-to-retry failure: turn it into kAmbiguous, saying what may have happened and how to
// find out. Every kNeverAfterSend operation except orders.Create (which reconciles) uses this.
// The one definition of "lost after the send": no answer, but bytes left this machine.
inline bool IsLostAfterSend(const Error& e) {
  return e.http_status == 0 && e.maybe_sent &&
         (e.code == ErrorCode::kTimeout || e.code == ErrorCode::kTransport);
}

template <class T>
Result<T> MarkAmbiguous(Result<T> r, std::string_view what, std::string_view how_to_check) {
  if (r || !IsLostAfterSend(r.error())) return r;
  Error& e = r.error();
  e.message = std::string(what) + " was sent but no answer came back (" + e.message +
              "): it MAY have been carried out, and it is not retried automatically. " +
              std::string(how_to_check);
  e.code = ErrorCode::kAmbiguous;
  return r;
}

// An `kInvalidArgument` error for `op`, raised before anything is sent.
inline tl::unexpected<Error> InvalidArgument(Op op, std::string message) {
  return Fail(ErrorCode::kInvalidArgument, std::move(message), std::string(InfoOf(op).name));
}

// The one range check of list parameters (include/esimgo/limits.h): a page number from 1 to
// limits::kMaxPageNumber, a page size from 1 to `max_size` (0 = no maximum).
inline Result<void> CheckPaging(Op op, std::optional<int> page, std::string_view size_name,
                                std::optional<int> size, int max_size) {
  if (page && (*page < 1 || *page > limits::kMaxPageNumber)) {
    return InvalidArgument(op, "page is " + std::to_string(*page) + ": it must be from 1 to " +
                                   std::to_string(limits::kMaxPageNumber));
  }
  if (size && (*size < 1 || (max_size > 0 && *size > max_size))) {
    std::string range = max_size > 0 ? "from 1 to " + std::to_string(max_size) : "1 or more";
    return InvalidArgument(
        op, std::string(size_name) + " is " + std::to_string(*size) + ": it must be " + range);
  }
  return {};
}

// Encodes any model with an `Encode(JsonWriter&, const T&)` overload.
template <class T>
std::string EncodeBody(const T& value) {
  JsonWriter w;
  Encode(w, value);
  return w.Take();
}

}  // namespace esimgo::internal
