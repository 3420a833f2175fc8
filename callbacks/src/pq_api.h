#pragma once
// libpq, loaded at run time. esimgo::callbacks has no link-time dependency on libpq: the first
// PostgreSQL connection (pg::Conn::Connect) resolves the few functions the store calls with
// dlopen/dlsym, so a program that never opens a PostgreSQL store (the CLI's --version, a SQLite
// receiver) never maps libpq's dependency tree (gssapi, krb5, ldap, gnutls…). The same
// mechanism as the SDK's libcurl (src/http/curl_api.h; docs/adr/0008-fast-cli-start.md).

#include <libpq-fe.h>

#include <memory>
#include <string>

#include "esimgo/result.h"

namespace esimgo::callbacks::internal {

// The soname the store loads: libpq's ABI since PostgreSQL 8.2 (Debian: libpq5), whichever
// server version it comes with.
inline constexpr const char* kLibpqName = "libpq.so.5";

// The libpq functions the store calls, resolved from one loaded library. The types come from
// libpq-fe.h through decltype (an unevaluated use: no reference to the symbols), so a
// signature here cannot drift from the header's.
struct PqApi {
  decltype(&::PQconnectdbParams) connectdb_params = nullptr;
  decltype(&::PQfinish) finish = nullptr;
  decltype(&::PQstatus) status = nullptr;
  decltype(&::PQerrorMessage) error_message = nullptr;
  decltype(&::PQsocket) socket = nullptr;
  decltype(&::PQexec) exec = nullptr;
  decltype(&::PQexecParams) exec_params = nullptr;
  decltype(&::PQprepare) prepare = nullptr;
  decltype(&::PQexecPrepared) exec_prepared = nullptr;
  decltype(&::PQconsumeInput) consume_input = nullptr;
  decltype(&::PQnotifies) notifies = nullptr;
  decltype(&::PQresultStatus) result_status = nullptr;
  decltype(&::PQresultErrorMessage) result_error_message = nullptr;
  decltype(&::PQresultErrorField) result_error_field = nullptr;
  decltype(&::PQntuples) ntuples = nullptr;
  decltype(&::PQgetvalue) getvalue = nullptr;
  decltype(&::PQgetlength) getlength = nullptr;
  decltype(&::PQgetisnull) getisnull = nullptr;
  decltype(&::PQcmdTuples) cmd_tuples = nullptr;
  decltype(&::PQclear) clear = nullptr;
  decltype(&::PQfreemem) freemem = nullptr;
};

// Loads `library` and resolves every function. Fails with kTransport (maybe_sent = false, no
// retry_after) naming the library, the loader's reason and what to install. Each call loads anew:
// the process-wide instance is `Libpq()`.
[[nodiscard]] Result<std::shared_ptr<const PqApi>> LoadLibpq(const std::string& library);

// The process-wide libpq (kLibpqName), loaded on the first call; thread-safe. A failure is
// remembered: the library does not appear while the process runs.
[[nodiscard]] const Result<std::shared_ptr<const PqApi>>& Libpq();

// The process-wide libpq for code that holds a PGconn or PGresult: one exists only after
// Libpq() succeeded (pg::Conn::Connect loads it before anything else), so this never sees the
// failure; called without one, it aborts with the loader's message rather than jump to null.
[[nodiscard]] const PqApi& Pq();

}  // namespace esimgo::callbacks::internal
