#include "pg.h"

#include <arpa/inet.h>
#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <type_traits>

#include "pq_api.h"

namespace esimgo::callbacks {
namespace internal {

Result<std::shared_ptr<const PqApi>> LoadLibpq(const std::string& library) {
  auto fail = [&library](const std::string& why) {
    Error e;
    // kTransport, as for a missing libcurl: not kUnavailable (an unreachable database), whose
    // callers retry or say "try again later" - waiting does not install a library.
    e.code = ErrorCode::kTransport;
    e.maybe_sent = false;
    e.operation = "callbacks.Store.Connect";
    e.message = "cannot load libpq (" + library + "): " + why +
                "; a PostgreSQL event store needs it: install libpq (Debian: apt-get install "
                "libpq5)";
    return tl::unexpected(std::move(e));
  };
  // RTLD_LOCAL: libpq's symbols serve only this lookup, never another library's references.
  // The handle is never closed: a PGconn or PGresult may live until static destruction.
  void* handle = dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = dlerror();
    return fail(why != nullptr ? why : "dlopen failed");
  }
  auto api = std::make_shared<PqApi>();
  std::string missing;
  auto resolve = [&](auto& fn, const char* name) {
    fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(dlsym(handle, name));
    if (fn == nullptr) missing += missing.empty() ? name : std::string(", ") + name;
  };
  resolve(api->connectdb_params, "PQconnectdbParams");
  resolve(api->finish, "PQfinish");
  resolve(api->status, "PQstatus");
  resolve(api->error_message, "PQerrorMessage");
  resolve(api->socket, "PQsocket");
  resolve(api->exec, "PQexec");
  resolve(api->exec_params, "PQexecParams");
  resolve(api->prepare, "PQprepare");
  resolve(api->exec_prepared, "PQexecPrepared");
  resolve(api->consume_input, "PQconsumeInput");
  resolve(api->notifies, "PQnotifies");
  resolve(api->result_status, "PQresultStatus");
  resolve(api->result_error_message, "PQresultErrorMessage");
  resolve(api->result_error_field, "PQresultErrorField");
  resolve(api->ntuples, "PQntuples");
  resolve(api->getvalue, "PQgetvalue");
  resolve(api->getlength, "PQgetlength");
  resolve(api->getisnull, "PQgetisnull");
  resolve(api->cmd_tuples, "PQcmdTuples");
  resolve(api->clear, "PQclear");
  resolve(api->freemem, "PQfreemem");
  if (!missing.empty()) return fail("it lacks " + missing);
  return std::shared_ptr<const PqApi>(std::move(api));
}

const Result<std::shared_ptr<const PqApi>>& Libpq() {
  // A function-local static: initialised once, thread-safely, on the first connection. Never
  // destroyed, so a connection closed during static destruction still has it.
  static const auto* api = new Result<std::shared_ptr<const PqApi>>(LoadLibpq(kLibpqName));
  return *api;
}

const PqApi& Pq() {
  const auto& api = Libpq();
  if (!api) {
    // Unreachable through pg::Conn (Connect loads first); a bug elsewhere must not call null.
    std::fprintf(stderr, "esimgo::callbacks: libpq used before it was loaded: %s\n",
                 api.error().message.c_str());
    std::abort();
  }
  return **api;
}

}  // namespace internal

namespace pg {

namespace {

void PutInt32(std::string& out, int32_t v) {
  uint32_t be = htonl(static_cast<uint32_t>(v));
  out.append(reinterpret_cast<const char*>(&be), 4);
}

void PutInt64(std::string& out, int64_t v) {
  uint64_t u = static_cast<uint64_t>(v);
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>(u >> shift));
}

// PostgreSQL timestamps count microseconds from 2000-01-01 00:00:00 UTC.
constexpr int64_t kPgEpochUnixMicros = 946684800LL * 1000000LL;

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

Params& Params::Null(Oid type) {
  values_.emplace_back(std::nullopt);
  types_.push_back(type);
  formats_.push_back(0);
  lengths_.push_back(0);
  return *this;
}

Params& Params::Text(Oid type, std::string_view value) {
  values_.emplace_back(std::string(value));
  types_.push_back(type);
  formats_.push_back(0);
  lengths_.push_back(static_cast<int>(value.size()));
  return *this;
}

Params& Params::Binary(Oid type, std::string value) {
  lengths_.push_back(static_cast<int>(value.size()));
  values_.emplace_back(std::move(value));
  types_.push_back(type);
  formats_.push_back(1);
  return *this;
}

Params& Params::Int8(int64_t v) {
  std::string s;
  PutInt64(s, v);
  return Binary(kInt8, std::move(s));
}

Params& Params::Bool(bool v) { return Binary(kBool, std::string(1, v ? '\1' : '\0')); }

Params& Params::Interval(std::chrono::milliseconds d) {
  return Text(kInterval, std::to_string(d.count()) + " milliseconds");
}

Params& Params::Timestamptz(std::chrono::system_clock::time_point t) {
  int64_t micros =
      std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
  std::string s;
  PutInt64(s, micros - kPgEpochUnixMicros);
  return Binary(kTimestamptz, std::move(s));
}

Params& Params::Xid8(uint64_t v) { return Text(kXid8, std::to_string(v)); }

std::vector<const char*> Params::pointers() const {
  std::vector<const char*> out;
  out.reserve(values_.size());
  for (const auto& v : values_) out.push_back(v ? v->data() : nullptr);
  return out;
}

void ArrayBuilder::Add(std::string_view bytes) {
  PutInt32(elements_, static_cast<int32_t>(bytes.size()));
  elements_.append(bytes);
  ++count_;
}

void ArrayBuilder::AddNull() {
  PutInt32(elements_, -1);
  has_null_ = true;
  ++count_;
}

void ArrayBuilder::AddInt2(int16_t v) {
  uint16_t be = htons(static_cast<uint16_t>(v));
  Add(std::string_view(reinterpret_cast<const char*>(&be), 2));
}

void ArrayBuilder::AddInt8(int64_t v) {
  std::string s;
  PutInt64(s, v);
  Add(s);
}

std::string ArrayBuilder::Finish() const {
  std::string out;
  out.reserve(20 + elements_.size());
  PutInt32(out, count_ == 0 ? 0 : 1);  // dimensions
  PutInt32(out, has_null_ ? 1 : 0);
  PutInt32(out, static_cast<int32_t>(element_));
  if (count_ > 0) {
    PutInt32(out, count_);
    PutInt32(out, 1);  // lower bound
  }
  out += elements_;
  return out;
}

uint64_t ReadUint8(const char* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

int64_t ReadInt8(const char* p) { return static_cast<int64_t>(ReadUint8(p)); }

int16_t ReadInt2(const char* p) {
  return static_cast<int16_t>((static_cast<unsigned char>(p[0]) << 8) |
                              static_cast<unsigned char>(p[1]));
}

std::chrono::system_clock::time_point ReadTimestamptz(const char* p) {
  return std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::microseconds(ReadInt8(p) + kPgEpochUnixMicros)));
}

std::string SqlState(const PGresult* r) {
  if (r == nullptr) return {};
  const char* s = internal::Pq().result_error_field(r, PG_DIAG_SQLSTATE);
  return s ? s : "";
}

bool IsRetryableNow(std::string_view sqlstate) {
  return sqlstate == "40P01" || sqlstate == "40001";
}

Error ToError(PGconn* conn, const PGresult* r, std::string_view operation) {
  Error e;
  e.operation = std::string(operation);
  const std::string state = SqlState(r);
  std::string detail;
  if (r != nullptr && internal::Pq().result_error_message(r)[0] != '\0') {
    detail = Trim(internal::Pq().result_error_message(r));
  } else if (conn != nullptr) {
    detail = Trim(internal::Pq().error_message(conn));
  }
  const bool lost = conn == nullptr || internal::Pq().status(conn) != CONNECTION_OK;
  const bool transient = lost || state.starts_with("08") || state.starts_with("57P") ||
                         state.starts_with("53") || state == "40P01" || state == "40001" ||
                         state == "55P03" || state == "57014" || state.empty();
  if (transient) {
    e.code = ErrorCode::kUnavailable;
    e.http_status = 503;
    e.retry_after = std::chrono::seconds(5);
    e.message = "the PostgreSQL event store is unavailable (" +
                (state.empty() ? std::string("connection") : "SQLSTATE " + state) + "): " + detail;
  } else {
    e.code = ErrorCode::kServer;
    e.message =
        "the PostgreSQL event store refused a statement (SQLSTATE " + state + "): " + detail;
  }
  return e;
}

Result<void> Conn::Connect(std::string_view target, std::chrono::seconds connect_timeout,
                           std::string_view application) {
  conn_.reset();
  // The first PostgreSQL connection of the process loads libpq (pq_api.h); a machine without
  // it gets the loader's error here, when a PostgreSQL store is asked for, and never before.
  if (const auto& libpq = internal::Libpq(); !libpq) return tl::unexpected(libpq.error());
  // Our defaults come first so that the user's URL or keyword string overrides them
  // (expand_dbname: later settings win).
  const std::string timeout = std::to_string(std::max<int64_t>(2, connect_timeout.count()));
  const std::string app(application);
  const std::string dbname(target);
  // TCP keepalives and a user timeout: a server that vanishes without a FIN (network
  // partition, frozen VM) is detected in ~10-20 s instead of hanging the writer until the
  // kernel gives up after minutes. (Unix sockets ignore them.)
  const char* keys[] = {"connect_timeout",
                        "application_name",
                        "keepalives",
                        "keepalives_idle",
                        "keepalives_interval",
                        "keepalives_count",
                        "tcp_user_timeout",
                        "dbname",
                        nullptr};
  const char* values[] = {timeout.c_str(), app.c_str(),    "1",    "5", "2", "3",
                          "15000",         dbname.c_str(), nullptr};
  conn_.reset(internal::Pq().connectdb_params(keys, values, /*expand_dbname=*/1));
  if (!conn_ || internal::Pq().status(conn_.get()) != CONNECTION_OK) {
    std::string detail = conn_ ? Trim(internal::Pq().error_message(conn_.get())) : "out of memory";
    conn_.reset();
    Error e;
    e.code = ErrorCode::kUnavailable;
    e.http_status = 503;
    e.retry_after = std::chrono::seconds(5);
    e.operation = "callbacks.Store.Connect";
    e.message = "cannot connect to the PostgreSQL event store: " + detail;
    return tl::unexpected(std::move(e));
  }
  return {};
}

Result<ResultPtr> Conn::Check(PGresult* raw, std::string_view operation) {
  ResultPtr r(raw);
  ExecStatusType status = r ? internal::Pq().result_status(r.get()) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return r;
  Error e = ToError(conn_.get(), r.get(), operation);
  if (conn_ && internal::Pq().status(conn_.get()) != CONNECTION_OK) conn_.reset();
  return tl::unexpected(std::move(e));
}

Result<ResultPtr> Conn::Exec(std::string_view sql, const Params& params, bool binary_results,
                             std::string_view operation) {
  if (!conn_) return tl::unexpected(ToError(nullptr, nullptr, operation));
  const std::string text(sql);
  auto ptrs = params.pointers();
  return Check(internal::Pq().exec_params(conn_.get(), text.c_str(), params.size(), params.types(),
                                          ptrs.data(), params.lengths(), params.formats(),
                                          binary_results ? 1 : 0),
               operation);
}

Result<ResultPtr> Conn::ExecPrepared(const std::string& name, const Params& params,
                                     bool binary_results, std::string_view operation) {
  if (!conn_) return tl::unexpected(ToError(nullptr, nullptr, operation));
  auto ptrs = params.pointers();
  return Check(
      internal::Pq().exec_prepared(conn_.get(), name.c_str(), params.size(), ptrs.data(),
                                   params.lengths(), params.formats(), binary_results ? 1 : 0),
      operation);
}

Result<void> Conn::Prepare(const std::string& name, std::string_view sql, const Params& shape,
                           std::string_view operation) {
  if (!conn_) return tl::unexpected(ToError(nullptr, nullptr, operation));
  const std::string text(sql);
  auto r = Check(
      internal::Pq().prepare(conn_.get(), name.c_str(), text.c_str(), shape.size(), shape.types()),
      operation);
  if (!r) return tl::unexpected(r.error());
  return {};
}

}  // namespace pg
}  // namespace esimgo::callbacks
