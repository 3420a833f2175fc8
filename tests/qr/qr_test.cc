#include "esimgo/qr.h"

#include <gtest/gtest.h>
#include <png.h>
#include <qrencode.h>
#include <zip.h>

#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace esimgo::qr {
namespace {

constexpr std::string_view kLpa = "LPA:1$smdp.example.com$A1B2-C3D4-E5F6-G7H8";

uint32_t BigEndian32(const std::string& s, size_t at) {
  return (uint32_t{static_cast<unsigned char>(s[at])} << 24) |
         (uint32_t{static_cast<unsigned char>(s[at + 1])} << 16) |
         (uint32_t{static_cast<unsigned char>(s[at + 2])} << 8) |
         uint32_t{static_cast<unsigned char>(s[at + 3])};
}

struct Decoded {
  uint32_t width = 0;
  uint32_t height = 0;
  std::vector<unsigned char> gray;  // one byte per pixel
};

// Decodes a PNG with libpng: proves the bytes are a valid image, not just a header.
bool DecodePng(const std::string& png, Decoded& out) {
  png_image image;
  std::memset(&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&image, png.data(), png.size())) return false;
  image.format = PNG_FORMAT_GRAY;
  out.width = image.width;
  out.height = image.height;
  out.gray.resize(PNG_IMAGE_SIZE(image));
  if (!png_image_finish_read(&image, nullptr, out.gray.data(), 0, nullptr)) {
    png_image_free(&image);
    return false;
  }
  return true;
}

struct QrFree {
  void operator()(QRcode* q) const { QRcode_free(q); }
};

// The reference symbol, straight from libqrencode, to compare the rendering against.
std::unique_ptr<QRcode, QrFree> Reference(std::string_view text) {
  return std::unique_ptr<QRcode, QrFree>(
      QRcode_encodeData(static_cast<int>(text.size()),
                        reinterpret_cast<const unsigned char*>(text.data()), 0, QR_ECLEVEL_M));
}

TEST(QrPng, StartsWithThePngSignatureAndAnIhdrOfTheRightSize) {
  auto png = QrPng(kLpa, 8, 4);
  ASSERT_TRUE(png) << png.error().ToString();
  ASSERT_GT(png->size(), 33u);
  EXPECT_EQ(png->substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_EQ(png->substr(12, 4), "IHDR");
  auto ref = Reference(kLpa);
  ASSERT_TRUE(ref);
  const uint32_t side = static_cast<uint32_t>((ref->width + 2 * 4) * 8);
  EXPECT_EQ(BigEndian32(*png, 16), side);
  EXPECT_EQ(BigEndian32(*png, 20), side);
}

TEST(QrPng, PixelsMatchTheModulesWithScaleAndQuietZone) {
  constexpr int kScale = 3;
  constexpr int kMargin = 2;
  auto png = QrPng(kLpa, kScale, kMargin);
  ASSERT_TRUE(png) << png.error().ToString();
  Decoded img;
  ASSERT_TRUE(DecodePng(*png, img));
  auto ref = Reference(kLpa);
  ASSERT_TRUE(ref);
  const int side = (ref->width + 2 * kMargin) * kScale;
  ASSERT_EQ(img.width, static_cast<uint32_t>(side));
  ASSERT_EQ(img.height, static_cast<uint32_t>(side));
  int mismatches = 0;
  for (int y = 0; y < side; ++y) {
    for (int x = 0; x < side; ++x) {
      const int mx = x / kScale - kMargin;
      const int my = y / kScale - kMargin;
      const bool dark = mx >= 0 && my >= 0 && mx < ref->width && my < ref->width &&
                        (ref->data[my * ref->width + mx] & 1);
      const unsigned char expected = dark ? 0 : 255;
      if (img.gray[static_cast<size_t>(y) * side + x] != expected) ++mismatches;
    }
  }
  EXPECT_EQ(mismatches, 0);
}

TEST(QrPng, RejectsEmptyTextAndBadSizesWithoutCrashing) {
  auto empty = QrPng("");
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, ErrorCode::kInvalidArgument);
  EXPECT_FALSE(QrPng(kLpa, 0));
  EXPECT_FALSE(QrPng(kLpa, 8, -1));
  auto huge = QrPng(std::string(5000, 'x'));
  ASSERT_FALSE(huge);
  EXPECT_EQ(huge.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(huge.error().message.find("too long"), std::string::npos);
}

// Counts UTF-8 code points (each glyph is one column).
size_t Columns(std::string_view line) {
  size_t n = 0;
  for (unsigned char c : line) n += (c & 0xC0) != 0x80;
  return n;
}

TEST(QrTerminal, HasOneLinePerTwoModuleRowsPlusTheQuietZone) {
  const std::string art = QrTerminal(kLpa);
  auto ref = Reference(kLpa);
  ASSERT_TRUE(ref);
  const int rows = ref->width + 4;  // two quiet modules on each side
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t nl; (nl = art.find('\n', start)) != std::string::npos; start = nl + 1) {
    lines.push_back(art.substr(start, nl - start));
  }
  EXPECT_EQ(start, art.size()) << "the last line must end in a newline";
  ASSERT_EQ(lines.size(), static_cast<size_t>((rows + 1) / 2));
  for (const auto& line : lines) {
    EXPECT_EQ(Columns(line), static_cast<size_t>(rows));
    for (size_t i = 0; i < line.size();) {
      std::string_view rest(line);
      rest.remove_prefix(i);
      if (rest[0] == ' ') {
        ++i;
      } else {
        const std::string_view glyph = rest.substr(0, 3);
        EXPECT_TRUE(glyph == "\u2580" || glyph == "\u2584" || glyph == "\u2588") << line;
        i += 3;
      }
    }
  }
  // The quiet zone is light, so the first line is solid full blocks.
  std::string solid;
  for (int i = 0; i < rows; ++i) solid += "\u2588";
  EXPECT_EQ(lines.front(), solid);
  // Line 2 holds module rows 0-1: quiet zone (light), then the finder's corner (dark over
  // dark), then its top edge over its light ring (dark over light).
  EXPECT_EQ(lines[1].substr(0, 10), "\u2588\u2588 \u2584");
}

TEST(QrTerminal, EmptyTextGivesAnEmptyStringNotACrash) {
  EXPECT_EQ(QrTerminal(""), "");
  EXPECT_EQ(QrTerminal(std::string(5000, 'x')), "");
}

// Reads every entry of a ZIP back with libzip: name → bytes.
std::map<std::string, std::string> Unzip(const std::string& bytes) {
  std::map<std::string, std::string> out;
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &err);
  if (!src) return out;
  zip_t* za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &err);
  zip_error_fini(&err);
  if (!za) {
    zip_source_free(src);
    return out;
  }
  const zip_int64_t n = zip_get_num_entries(za, 0);
  for (zip_int64_t i = 0; i < n; ++i) {
    zip_stat_t st;
    if (zip_stat_index(za, static_cast<zip_uint64_t>(i), 0, &st) != 0) continue;
    zip_file_t* f = zip_fopen_index(za, static_cast<zip_uint64_t>(i), 0);
    if (!f) continue;
    std::string data(st.size, '\0');
    if (zip_fread(f, data.data(), st.size) == static_cast<zip_int64_t>(st.size)) {
      out[st.name] = std::move(data);
    }
    zip_fclose(f);
  }
  zip_discard(za);
  return out;
}

std::vector<EsimInstall> TwoEsims() {
  return {{.iccid = "8944123456789012345",
           .matching_id = "A1B2-C3D4-E5F6-G7H8",
           .smdp_address = "https://smdp.example.com"},
          {.iccid = "89445385320081602221",
           .matching_id = "ZZZZ-0000",
           .smdp_address = "rsp.example.org"}};
}

TEST(InstallZip, HoldsOneValidPngPerEsimNamedByIccid) {
  auto zip = BuildInstallZip(TwoEsims());
  ASSERT_TRUE(zip) << zip.error().ToString();
  EXPECT_EQ(zip->substr(0, 4), std::string("PK\x03\x04", 4));
  auto files = Unzip(*zip);
  ASSERT_EQ(files.size(), 2u);
  ASSERT_TRUE(files.count("8944123456789012345.png"));
  ASSERT_TRUE(files.count("89445385320081602221.png"));
  for (const auto& [name, png] : files) {
    Decoded img;
    EXPECT_TRUE(DecodePng(png, img)) << name;
    EXPECT_GT(img.width, 0u);
  }
  // Each PNG encodes that eSIM's LPA string: identical to rendering it directly.
  auto expected = QrPng(LpaString("https://smdp.example.com", "A1B2-C3D4-E5F6-G7H8"));
  ASSERT_TRUE(expected);
  EXPECT_EQ(files["8944123456789012345.png"], *expected);
  auto other = QrPng("LPA:1$rsp.example.org$ZZZZ-0000");
  ASSERT_TRUE(other);
  EXPECT_EQ(files["89445385320081602221.png"], *other);
}

TEST(InstallZip, EmptyInputIsAnErrorNotACrash) {
  auto zip = BuildInstallZip({});
  ASSERT_FALSE(zip);
  EXPECT_EQ(zip.error().code, ErrorCode::kInvalidArgument);
  EXPECT_FALSE(zip.error().message.empty());
}

TEST(InstallZip, RejectsUnsafeIccidsDuplicatesAndMissingCodes) {
  auto rows = TwoEsims();
  rows[1].iccid = "../../etc/passwd";
  EXPECT_FALSE(BuildInstallZip(rows));
  rows = TwoEsims();
  rows[1].iccid = rows[0].iccid;
  auto dup = BuildInstallZip(rows);
  ASSERT_FALSE(dup);
  EXPECT_NE(dup.error().message.find("twice"), std::string::npos);
  rows = TwoEsims();
  rows[0].matching_id.clear();
  auto missing = BuildInstallZip(rows);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace esimgo::qr
