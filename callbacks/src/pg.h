#pragma once
// A thin RAII layer over libpq: connection, result, parameters (text or binary, including
// one-dimensional binary arrays), binary field readers and SQLSTATE → Error mapping. libpq itself
// is loaded by the first Conn::Connect (pq_api.h); every call goes through internal::Pq().

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "esimgo/result.h"
#include "pq_api.h"

namespace esimgo::callbacks::pg {

// Type OIDs (pg_type.dat; stable across versions).
inline constexpr Oid kBool = 16, kBytea = 17, kInt8 = 20, kInt2 = 21, kText = 25,
                     kTimestamptz = 1184, kInterval = 1186, kXid8 = 5069, kBoolArray = 1000,
                     kByteaArray = 1001, kInt2Array = 1005, kTextArray = 1009, kInt8Array = 1016;

struct ResultDeleter {
  void operator()(PGresult* r) const noexcept { internal::Pq().clear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

struct ConnDeleter {
  void operator()(PGconn* c) const noexcept { internal::Pq().finish(c); }
};
using ConnPtr = std::unique_ptr<PGconn, ConnDeleter>;

/// Parameters for PQexecParams/PQexecPrepared; each value keeps its own bytes.
class Params {
 public:
  Params& Null(Oid type);
  Params& Text(Oid type, std::string_view value);
  Params& Binary(Oid type, std::string value);
  Params& Int8(int64_t v);                                       ///< binary int8
  Params& Bool(bool v);                                          ///< binary bool
  Params& Interval(std::chrono::milliseconds d);                 ///< text interval
  Params& Timestamptz(std::chrono::system_clock::time_point t);  ///< binary timestamptz
  Params& Xid8(uint64_t v);                                      ///< text xid8
  [[nodiscard]] int size() const { return static_cast<int>(values_.size()); }
  [[nodiscard]] const Oid* types() const { return types_.data(); }
  [[nodiscard]] const int* formats() const { return formats_.data(); }
  [[nodiscard]] const int* lengths() const { return lengths_.data(); }
  /// Pointers into the stored values (valid while this object lives and is not modified).
  [[nodiscard]] std::vector<const char*> pointers() const;

 private:
  std::vector<std::optional<std::string>> values_;
  std::vector<Oid> types_;
  std::vector<int> formats_;
  std::vector<int> lengths_;
};

/// A one-dimensional array in PostgreSQL's binary array format.
class ArrayBuilder {
 public:
  explicit ArrayBuilder(Oid element_type) : element_(element_type) {}
  void Add(std::string_view bytes);
  void AddNull();
  void AddBool(bool v) { Add(std::string_view(v ? "\1" : "\0", 1)); }
  void AddInt2(int16_t v);
  void AddInt8(int64_t v);
  [[nodiscard]] std::string Finish() const;

 private:
  Oid element_;
  bool has_null_ = false;
  int count_ = 0;
  std::string elements_;
};

/// Binary field readers (network byte order).
int64_t ReadInt8(const char* p);
int16_t ReadInt2(const char* p);
uint64_t ReadUint8(const char* p);
std::chrono::system_clock::time_point ReadTimestamptz(const char* p);

/// A connection that may be closed and reopened.
class Conn {
 public:
  Conn() = default;
  /// Loads libpq on the first call in the process (a clear error when it is missing), then
  /// connects.
  Result<void> Connect(std::string_view target, std::chrono::seconds connect_timeout,
                       std::string_view application);
  void Close() { conn_.reset(); }
  [[nodiscard]] bool ok() const {
    return conn_ && internal::Pq().status(conn_.get()) == CONNECTION_OK;
  }
  [[nodiscard]] PGconn* get() const { return conn_.get(); }

  /// Runs a statement; binary results when `binary_results`. Errors: see ToError.
  Result<ResultPtr> Exec(std::string_view sql, const Params& params = {},
                         bool binary_results = false, std::string_view operation = {});
  /// Runs a prepared statement.
  Result<ResultPtr> ExecPrepared(const std::string& name, const Params& params, bool binary_results,
                                 std::string_view operation);
  /// Prepares a statement (untyped parameters take the types given at execution).
  Result<void> Prepare(const std::string& name, std::string_view sql, const Params& shape,
                       std::string_view operation);

 private:
  Result<ResultPtr> Check(PGresult* raw, std::string_view operation);
  ConnPtr conn_;
};

/// SQLSTATE of a result ("" for client-side failures such as a lost connection).
std::string SqlState(const PGresult* r);

/// Maps a failure to an Error: connection loss (08xxx, 57P0x, no SQLSTATE with a bad
/// connection), resource and concurrency failures (53xxx, 40P01, 40001, 55P03, 57014) →
/// kUnavailable (retry later); anything else → kServer (a bug or a schema problem).
Error ToError(PGconn* conn, const PGresult* r, std::string_view operation);

/// True if the batch may be retried at once (deadlock, serialization failure).
bool IsRetryableNow(std::string_view sqlstate);

}  // namespace esimgo::callbacks::pg
