#pragma once
/// @file qr.h
/// Library esimgo::qr (libqrencode, libpng, libzip), shared by the CLI and the sandbox.
/// QR codes for eSIM activation codes: PNG images, terminal art, and the
/// install-details ZIP (`Accept: application/zip` on GET /esims/assignments).
/// Everything is generated locally: an activation code sent to a third-party QR
/// service would leak a live eSIM.

#include <string>
#include <string_view>
#include <vector>

#include "esimgo/esims.h"
#include "esimgo/result.h"

namespace esimgo::qr {

/// Encodes `text` (any bytes) as a QR code at error-correction level M and
/// returns the bytes of an 8-bit greyscale PNG: black modules on white, `scale`
/// pixels per module and a quiet zone of `margin` modules on each side. Errors:
/// kInvalidArgument (empty text, text too long for a QR code, scale outside
/// 1–64, margin outside 0–64), kServer (the encoder failed). Thread-safe.
[[nodiscard]] Result<std::string> QrPng(std::string_view text, int scale = 8, int margin = 4);

/// Draws `text` as a QR code (level M) for a terminal: each line covers two
/// module rows with the Unicode half blocks ▀ ▄ █ and spaces, with a two-module
/// quiet zone; every line ends in '\n'. Light modules are drawn as blocks and
/// dark ones as spaces, which scans on the usual light-on-dark terminal (like
/// `qrencode -t UTF8`). Returns an empty string when `text` is empty or too
/// long for a QR code. Thread-safe.
[[nodiscard]] std::string QrTerminal(std::string_view text);

/// Builds the install-details ZIP eSIM Go returns for `Accept:
/// application/zip`: one PNG QR code per eSIM, named `<iccid>.png`, encoding
/// `LpaString(smdp_address, matching_id)`. Errors: kInvalidArgument (no rows; a
/// row with an empty or non-alphanumeric ICCID, an empty SM-DP+ address or
/// matching ID; the same ICCID twice), kServer (libzip failed). Thread-safe.
[[nodiscard]] Result<std::string> BuildInstallZip(const std::vector<EsimInstall>& rows);

}  // namespace esimgo::qr
