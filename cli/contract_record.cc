// Recordings of `esimgo contract check --record DIR`: the redaction that makes a recording
// safe to attach to a bug report, the file format, and the transport that replays it offline.
//
// Redaction replaces spans and leaves every other byte exactly as received: a recording is a
// regression fixture, and a "tidied" body would no longer show the drift it was made for.

#include <fmt/core.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "config.h"
#include "contract.h"

namespace esimgo::cli::contract {
namespace {

constexpr std::string_view kRedacted = "REDACTED";
constexpr std::string_view kMagic = "esimgo-contract-recording 1";

// Field and column names compared lower-case without '_', '-' and spaces, so matchingId,
// matching_id and "Matching ID" are one name.
std::string NormalizeName(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c == '_' || c == '-' || c == ' ') continue;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// Secrets whose value is also hunted elsewhere in the text (long and unique: an activation
// code inside an install URL). PIN and PUK are short digit runs that could match part of an
// ICCID or a number, so they are redacted only where they are named.
bool IsLongSecret(const std::string& n) {
  return n == "apikey" || n == "matchingid" || n == "activationcode" || n == "lpa" ||
         n == "lpastring" || n == "confirmationcode";
}
bool IsSecretName(const std::string& n) {
  // apiKey: GET /organisation answers with the account's key (whichever key asked).
  return IsLongSecret(n) || n == "pin" || n == "puk" || n == "pin1" || n == "pin2" || n == "puk1" ||
         n == "puk2" || n == "apikey";
}

struct Span {
  size_t begin, end;
  std::string replacement;
};

std::string Apply(std::string_view text, std::vector<Span> spans) {
  std::sort(spans.begin(), spans.end(),
            [](const Span& a, const Span& b) { return a.begin < b.begin; });
  std::string out;
  size_t at = 0;
  for (const Span& s : spans) {
    if (s.begin < at) continue;  // overlapping: the first wins
    out.append(text.substr(at, s.begin - at));
    out += s.replacement;
    at = s.end;
  }
  out.append(text.substr(at));
  return out;
}

// The end (one past the closing quote) of the JSON string starting at text[i] == '"'.
size_t StringEnd(std::string_view text, size_t i) {
  for (size_t j = i + 1; j < text.size(); ++j) {
    if (text[j] == '\\') {
      ++j;
    } else if (text[j] == '"') {
      return j + 1;
    }
  }
  return text.size();
}

// JSON: the values of secret-named keys. Walks the tokens without building a document, so
// the bytes around them are never re-serialised.
void JsonSecrets(std::string_view text, std::vector<Span>& spans, std::set<std::string>& found) {
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] != '"') {
      ++i;
      continue;
    }
    size_t end = StringEnd(text, i);
    size_t k = end;
    while (k < text.size() && std::isspace(static_cast<unsigned char>(text[k]))) ++k;
    if (k >= text.size() || text[k] != ':') {
      i = end;
      continue;
    }
    std::string name = NormalizeName(text.substr(i + 1, end - i - 2));
    size_t v = k + 1;
    while (v < text.size() && std::isspace(static_cast<unsigned char>(text[v]))) ++v;
    i = v;
    if (!IsSecretName(name) || v >= text.size()) continue;
    if (text[v] == '"') {
      size_t vend = StringEnd(text, v);
      std::string_view inner = text.substr(v + 1, vend - v - 2);
      if (!inner.empty()) {
        spans.push_back({v + 1, vend - 1, std::string(kRedacted)});
        if (IsLongSecret(name) && inner.size() >= 6) found.insert(std::string(inner));
      }
      i = vend;
    } else if (text[v] == '-' || std::isdigit(static_cast<unsigned char>(text[v]))) {
      size_t vend = v;
      while (vend < text.size() && (std::isalnum(static_cast<unsigned char>(text[vend])) ||
                                    text[vend] == '-' || text[vend] == '+' || text[vend] == '.')) {
        ++vend;
      }
      // A number stays a number (the replay decodes the same types): 0.
      spans.push_back({v, vend, "0"});
      i = vend;
    }
  }
}

// CSV (RFC 4180, quoted fields, CRLF): the cells of the secret columns named in the header.
void CsvSecrets(std::string_view text, std::vector<Span>& spans, std::set<std::string>& found) {
  struct Cell {
    size_t begin, end;
  };
  std::vector<std::string> secret_cols;  // normalized name per column; "" = not secret
  std::vector<Cell> row;
  size_t line = 0;
  size_t i = 0;
  auto end_row = [&]() {
    if (line == 0) {
      for (const Cell& c : row) {
        std::string n = NormalizeName(text.substr(c.begin, c.end - c.begin));
        secret_cols.push_back(IsSecretName(n) ? n : "");
      }
    } else {
      for (size_t col = 0; col < row.size() && col < secret_cols.size(); ++col) {
        const Cell& c = row[col];
        if (secret_cols[col].empty() || c.end == c.begin) continue;
        spans.push_back({c.begin, c.end, std::string(kRedacted)});
        if (IsLongSecret(secret_cols[col]) && c.end - c.begin >= 6) {
          found.insert(std::string(text.substr(c.begin, c.end - c.begin)));
        }
      }
    }
    row.clear();
    ++line;
  };
  while (i <= text.size()) {
    if (i == text.size()) {
      if (!row.empty()) end_row();
      break;
    }
    Cell cell{i, i};
    size_t next = i;
    if (text[i] == '"') {
      size_t j = i + 1;
      while (j < text.size()) {
        if (text[j] == '"' && j + 1 < text.size() && text[j + 1] == '"') {
          j += 2;
        } else if (text[j] == '"') {
          break;
        } else {
          ++j;
        }
      }
      cell = {i + 1, std::min(j, text.size())};
      next = std::min(j + 1, text.size());
      while (next < text.size() && text[next] != ',' && text[next] != '\n' && text[next] != '\r')
        ++next;
    } else {
      while (next < text.size() && text[next] != ',' && text[next] != '\n' && text[next] != '\r')
        ++next;
      cell = {i, next};
    }
    row.push_back(cell);
    if (next >= text.size()) {
      end_row();
      break;
    }
    if (text[next] == ',') {
      i = next + 1;
      continue;
    }
    // End of line: CRLF or LF.
    end_row();
    i = next + ((text[next] == '\r' && next + 1 < text.size() && text[next + 1] == '\n') ? 2 : 1);
  }
}

// Every LPA activation string ("LPA:1$smdp$code", or URL-encoded "LPA:1%24…"): what follows
// the prefix, up to the first character an address or code cannot hold.
void LpaStrings(std::string_view text, std::vector<Span>& spans) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  for (std::string_view prefix : {std::string_view("lpa:1$"), std::string_view("lpa:1%24")}) {
    size_t at = 0;
    while ((at = lower.find(prefix, at)) != std::string::npos) {
      size_t begin = at + prefix.size();
      size_t end = begin;
      while (end < text.size()) {
        unsigned char c = static_cast<unsigned char>(text[end]);
        if (!(std::isalnum(c) || c == '.' || c == '-' || c == '_' || c == '$' || c == '%' ||
              c == ':')) {
          break;
        }
        ++end;
      }
      if (end > begin) spans.push_back({begin, end, std::string(kRedacted)});
      at = end;
    }
  }
}

// Every other occurrence of a secret value found in a named field (longest first).
std::string ReplaceEverywhere(std::string text, const std::set<std::string>& secrets) {
  std::vector<std::string> sorted(secrets.begin(), secrets.end());
  std::sort(sorted.begin(), sorted.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  for (const std::string& s : sorted) {
    size_t at = 0;
    while ((at = text.find(s, at)) != std::string::npos) {
      text.replace(at, s.size(), kRedacted);
      at += kRedacted.size();
    }
  }
  return text;
}

bool LooksLikeJson(std::string_view text) {
  size_t i = text.find_first_not_of(" \t\r\n");
  return i != std::string_view::npos && (text[i] == '{' || text[i] == '[');
}

// The body redacted by its structure, and the long secrets found in it.
std::string RedactBody(std::string_view body, std::set<std::string>& found) {
  std::vector<Span> spans;
  if (LooksLikeJson(body)) {
    JsonSecrets(body, spans, found);
  } else {
    CsvSecrets(body, spans, found);
  }
  return Apply(body, std::move(spans));
}

std::string RedactLoose(std::string_view text, const std::set<std::string>& found,
                        std::string_view api_key) {
  std::vector<Span> spans;
  LpaStrings(text, spans);
  std::string out = ReplaceEverywhere(Apply(text, std::move(spans)), found);
  return RedactKey(out, api_key);
}

std::string OneLine(std::string_view s) {
  std::string out(s);
  std::replace_if(
      out.begin(), out.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  return out;
}

}  // namespace

std::string RedactRecording(std::string_view text, std::string_view api_key) {
  std::set<std::string> found;
  std::string body = RedactBody(text, found);
  return RedactLoose(body, found, api_key);
}

std::string FormatRecording(const Exchange& x, std::string_view api_key) {
  std::set<std::string> found;
  std::string body = RedactBody(x.body, found);
  std::string head = std::string(kMagic) + "\n";
  head += fmt::format("operation: {}\nrequest: {} {}\nms: {}\nstatus: {}\n", OneLine(x.operation),
                      OneLine(x.method), OneLine(x.target), x.ms, x.status);
  if (!x.transport_error.empty()) head += fmt::format("error: {}\n", OneLine(x.transport_error));
  for (const auto& [name, value] : x.headers) {
    head += fmt::format("header: {}: {}\n", OneLine(name), OneLine(value));
  }
  // The header lines and the body share the loose pass: a secret echoed in a header goes too.
  return RedactLoose(head + "\n" + body, found, api_key);
}

Result<Exchange> ParseRecording(std::string_view text) {
  auto bad = [](std::string why) {
    return Fail(ErrorCode::kDecode, "not an esimgo contract recording: " + why);
  };
  Exchange x;
  size_t at = 0;
  bool first = true;
  bool have_request = false;
  while (true) {
    size_t nl = text.find('\n', at);
    if (nl == std::string_view::npos) return bad("no blank line before the body");
    std::string_view line = text.substr(at, nl - at);
    at = nl + 1;
    if (first) {
      if (line != kMagic) return bad(fmt::format("the first line is not \"{}\"", kMagic));
      first = false;
      continue;
    }
    if (line.empty()) break;
    size_t colon = line.find(": ");
    if (colon == std::string_view::npos) {
      return bad(fmt::format("header line without \": \": {}", line.substr(0, 60)));
    }
    std::string_view key = line.substr(0, colon);
    std::string_view value = line.substr(colon + 2);
    if (key == "operation") {
      x.operation = value;
    } else if (key == "request") {
      size_t sp = value.find(' ');
      if (sp == std::string_view::npos) return bad("request line is not \"METHOD target\"");
      x.method = value.substr(0, sp);
      x.target = value.substr(sp + 1);
      have_request = true;
    } else if (key == "ms") {
      x.ms = std::atoll(std::string(value).c_str());
    } else if (key == "status") {
      x.status = std::atoi(std::string(value).c_str());
    } else if (key == "error") {
      x.transport_error = value;
    } else if (key == "header") {
      size_t c = value.find(": ");
      if (c == std::string_view::npos) return bad("header without \": \"");
      x.headers.emplace_back(std::string(value.substr(0, c)), std::string(value.substr(c + 2)));
    }  // other keys: from a newer esimgo, ignored
  }
  if (!have_request) return bad("no request line");
  x.body = text.substr(at);
  return x;
}

ReplayTransport::ReplayTransport(std::string base_url, std::vector<Exchange> exchanges)
    : base_url_(std::move(base_url)),
      exchanges_(std::move(exchanges)),
      used_(exchanges_.size(), false) {}

Result<HttpResponse> ReplayTransport::Send(const HttpRequest& request) {
  auto target = TargetOf(request.url, base_url_);
  std::string t = target.value_or(request.url);
  std::string_view path = std::string_view(t).substr(0, t.find('?'));
  std::lock_guard<std::mutex> lock(mu_);
  auto pick = [&](bool exact) -> const Exchange* {
    for (size_t i = 0; i < exchanges_.size(); ++i) {
      const Exchange& x = exchanges_[i];
      if (used_[i] || x.method != request.method) continue;
      std::string_view xpath = std::string_view(x.target).substr(0, x.target.find('?'));
      if (exact ? x.target == t : xpath == path) {
        used_[i] = true;
        return &x;
      }
    }
    return nullptr;
  };
  const Exchange* x = pick(true);
  if (!x) x = pick(false);
  if (!x) {
    Error e;
    e.code = ErrorCode::kTransport;
    e.message = fmt::format("the recording has no answer to {} {}", request.method, t);
    return tl::unexpected(e);
  }
  ms_ += x->ms;
  if (x->status == 0) {
    Error e;
    e.code = ErrorCode::kTransport;
    e.message = x->transport_error.empty() ? "no answer (recorded)" : x->transport_error;
    e.maybe_sent = true;
    return tl::unexpected(e);
  }
  return HttpResponse{.status = x->status, .headers = x->headers, .body = x->body};
}

int64_t ReplayTransport::TakeMs() {
  std::lock_guard<std::mutex> lock(mu_);
  return std::exchange(ms_, 0);
}

std::chrono::steady_clock::time_point InstantClock::Now() {
  std::lock_guard<std::mutex> lock(mu_);
  return std::chrono::steady_clock::time_point(
      std::chrono::duration_cast<std::chrono::steady_clock::duration>(elapsed_));
}

std::chrono::system_clock::time_point InstantClock::WallNow() {
  return std::chrono::system_clock::now();
}

void InstantClock::Sleep(std::chrono::nanoseconds d) {
  std::lock_guard<std::mutex> lock(mu_);
  elapsed_ += d;
}

}  // namespace esimgo::cli::contract
