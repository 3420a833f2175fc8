#include "esimgo/qr.h"

#include <png.h>
#include <qrencode.h>
#include <zip.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <set>
#include <string>

namespace esimgo::qr {
namespace {

struct QrDeleter {
  void operator()(QRcode* q) const { QRcode_free(q); }
};
using QrPtr = std::unique_ptr<QRcode, QrDeleter>;

// Encodes at level M in 8-bit mode (binary-safe; the LPA string has '$' and
// ':').
Result<QrPtr> Encode(std::string_view text) {
  if (text.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "cannot make a QR code of empty text");
  }
  errno = 0;
  QrPtr qr(QRcode_encodeData(static_cast<int>(text.size()),
                             reinterpret_cast<const unsigned char*>(text.data()), 0, QR_ECLEVEL_M));
  if (!qr) {
    if (errno == ERANGE) {
      return Fail(ErrorCode::kInvalidArgument,
                  "text of " + std::to_string(text.size()) +
                      " bytes is too long for a QR code (at most 2331 bytes at "
                      "level M)");
    }
    return Fail(ErrorCode::kServer,
                std::string("the QR encoder failed: ") + std::strerror(errno ? errno : EINVAL));
  }
  return qr;
}

bool Dark(const QRcode& qr, int x, int y) {
  if (x < 0 || y < 0 || x >= qr.width || y >= qr.width) return false;  // quiet zone
  return (qr.data[static_cast<size_t>(y) * qr.width + x] & 1) != 0;
}

struct ZipSourceDeleter {
  void operator()(zip_source_t* s) const { zip_source_free(s); }
};

bool ValidIccid(std::string_view iccid) {
  if (iccid.empty() || iccid.size() > 32) return false;
  for (char c : iccid) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    if (!ok) return false;  // also keeps "../" and "/" out of the entry names
  }
  return true;
}

std::string ZipErrorText(zip_error_t* err) {
  const char* s = zip_error_strerror(err);
  return s ? s : "unknown libzip error";
}

}  // namespace

Result<std::string> QrPng(std::string_view text, int scale, int margin) {
  if (scale < 1 || scale > 64) {
    return Fail(ErrorCode::kInvalidArgument,
                "QR scale must be 1-64 pixels per module, got " + std::to_string(scale));
  }
  if (margin < 0 || margin > 64) {
    return Fail(ErrorCode::kInvalidArgument,
                "QR margin must be 0-64 modules, got " + std::to_string(margin));
  }
  auto qr = Encode(text);
  if (!qr) return tl::unexpected(qr.error());
  const QRcode& q = **qr;
  const int modules = q.width + 2 * margin;
  const int side = modules * scale;
  std::string pixels(static_cast<size_t>(side) * side, '\xff');
  for (int my = 0; my < q.width; ++my) {
    for (int mx = 0; mx < q.width; ++mx) {
      if (!Dark(q, mx, my)) continue;
      for (int dy = 0; dy < scale; ++dy) {
        const size_t row = static_cast<size_t>((my + margin) * scale + dy) * side;
        std::memset(pixels.data() + row + static_cast<size_t>((mx + margin) * scale), 0,
                    static_cast<size_t>(scale));
      }
    }
  }
  // The simplified libpng API writes to memory without setjmp/longjmp error
  // handling.
  png_image image;
  std::memset(&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  image.width = static_cast<png_uint_32>(side);
  image.height = static_cast<png_uint_32>(side);
  image.format = PNG_FORMAT_GRAY;
  png_alloc_size_t size = 0;
  if (!png_image_write_to_memory(&image, nullptr, &size, 0, pixels.data(), 0, nullptr) ||
      size == 0) {
    std::string why = image.message;
    png_image_free(&image);
    return Fail(ErrorCode::kServer, "cannot encode the QR PNG: " + why);
  }
  std::string png(size, '\0');
  if (!png_image_write_to_memory(&image, png.data(), &size, 0, pixels.data(), 0, nullptr)) {
    std::string why = image.message;
    png_image_free(&image);
    return Fail(ErrorCode::kServer, "cannot encode the QR PNG: " + why);
  }
  png_image_free(&image);
  png.resize(size);
  return png;
}

std::string QrTerminal(std::string_view text) {
  auto qr = Encode(text);
  if (!qr) return {};
  const QRcode& q = **qr;
  constexpr int kQuiet = 2;
  // Light modules are "ink": index = (top light) | (bottom light) << 1.
  static constexpr std::string_view kGlyph[4] = {" ", "\u2580", "\u2584", "\u2588"};
  std::string out;
  const int first = -kQuiet;
  const int last = q.width + kQuiet;  // exclusive
  for (int y = first; y < last; y += 2) {
    for (int x = first; x < last; ++x) {
      const bool top_light = !Dark(q, x, y);
      // An odd total leaves the last line's lower half outside the code: draw
      // it dark (background) so the quiet zone does not grow by half a module.
      const bool bottom_light = y + 1 < last && !Dark(q, x, y + 1);
      out += kGlyph[(top_light ? 1 : 0) | (bottom_light ? 2 : 0)];
    }
    out += '\n';
  }
  return out;
}

Result<std::string> BuildInstallZip(const std::vector<EsimInstall>& rows) {
  if (rows.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "no eSIMs to put in the ZIP: check the order or apply reference");
  }
  // Render first: zip_source_buffer borrows the bytes until zip_close.
  std::vector<std::string> pngs;
  pngs.reserve(rows.size());
  std::set<std::string_view> seen;
  for (size_t i = 0; i < rows.size(); ++i) {
    const EsimInstall& row = rows[i];
    const std::string where = "row " + std::to_string(i + 1);
    if (!ValidIccid(row.iccid)) {
      return Fail(ErrorCode::kInvalidArgument,
                  where + ": the ICCID \"" + row.iccid.substr(0, 40) +
                      "\" is empty or not alphanumeric, so it cannot name a "
                      "file in the ZIP");
    }
    if (!seen.insert(row.iccid).second) {
      return Fail(ErrorCode::kInvalidArgument,
                  where + ": ICCID " + row.iccid + " appears twice; list each eSIM once");
    }
    if (row.smdp_address.empty() || row.matching_id.empty()) {
      return Fail(ErrorCode::kInvalidArgument,
                  where + " (ICCID " + row.iccid +
                      "): the SM-DP+ address and matching ID are both needed "
                      "for the QR code");
    }
    auto png = QrPng(LpaString(row.smdp_address, row.matching_id));
    if (!png) return tl::unexpected(png.error());
    pngs.push_back(std::move(*png));
  }

  zip_error_t err;
  zip_error_init(&err);
  std::unique_ptr<zip_source_t, ZipSourceDeleter> buffer(
      zip_source_buffer_create(nullptr, 0, 0, &err));
  if (!buffer) {
    std::string why = ZipErrorText(&err);
    zip_error_fini(&err);
    return Fail(ErrorCode::kServer, "cannot create the ZIP buffer: " + why);
  }
  // zip_close/zip_discard free the source they were opened on; keep ours to
  // read it back.
  zip_source_keep(buffer.get());
  zip_t* archive = zip_open_from_source(buffer.get(), ZIP_TRUNCATE, &err);
  if (!archive) {
    std::string why = ZipErrorText(&err);
    zip_error_fini(&err);
    zip_source_free(buffer.get());  // drops the extra reference taken above
    return Fail(ErrorCode::kServer, "cannot open the ZIP: " + why);
  }
  zip_error_fini(&err);
  auto fail = [&](const std::string& what) {
    std::string why = zip_strerror(archive);
    zip_discard(archive);
    return Fail(ErrorCode::kServer, what + ": " + why);
  };
  for (size_t i = 0; i < rows.size(); ++i) {
    zip_source_t* png = zip_source_buffer(archive, pngs[i].data(), pngs[i].size(), 0);
    if (!png) return fail("cannot add " + rows[i].iccid + ".png");
    const std::string name = rows[i].iccid + ".png";
    const zip_int64_t index = zip_file_add(archive, name.c_str(), png, ZIP_FL_ENC_UTF_8);
    if (index < 0) {
      zip_source_free(png);
      return fail("cannot add " + name);
    }
    // PNG data is already deflated: storing it is as small and cheaper.
    if (zip_set_file_compression(archive, static_cast<zip_uint64_t>(index), ZIP_CM_STORE, 0) != 0) {
      return fail("cannot set the compression of " + name);
    }
  }
  if (zip_close(archive) != 0) return fail("cannot write the ZIP");

  zip_source_t* src = buffer.get();
  if (zip_source_open(src) != 0) {
    return Fail(ErrorCode::kServer, "cannot read the ZIP back: " +
                                        std::string(zip_error_strerror(zip_source_error(src))));
  }
  std::string bytes;
  if (zip_source_seek(src, 0, SEEK_END) == 0) {
    const zip_int64_t size = zip_source_tell(src);
    if (size > 0 && zip_source_seek(src, 0, SEEK_SET) == 0) {
      bytes.resize(static_cast<size_t>(size));
      const zip_int64_t n = zip_source_read(src, bytes.data(), bytes.size());
      if (n != size) bytes.clear();
    }
  }
  zip_source_close(src);
  if (bytes.empty()) return Fail(ErrorCode::kServer, "cannot read the ZIP back from memory");
  return bytes;
}

}  // namespace esimgo::qr
