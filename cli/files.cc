#include "files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fmt/core.h>

namespace esimgo::cli {
namespace {

Result<void> Refuse(const std::string& path, std::string_view why) {
  return Fail(ErrorCode::kInvalidArgument, fmt::format("cannot write {}: {}", path, why));
}

}  // namespace

Result<void> WriteFileSafely(const std::string& path, std::string_view bytes) {
  struct stat st {};
  if (lstat(path.c_str(), &st) == 0) {
    if (S_ISLNK(st.st_mode)) {
      return Refuse(path, "it is a symbolic link; remove it or choose another path");
    }
    if (!S_ISREG(st.st_mode)) return Refuse(path, "it exists and is not a regular file");
  } else if (errno != ENOENT) {
    return Refuse(path, std::strerror(errno));
  }
  std::filesystem::path target(path);
  std::filesystem::path dir = target.has_parent_path() ? target.parent_path() : ".";
  std::string tmp = (dir / ("." + target.filename().string() + ".XXXXXX")).string();
  // mkstemp creates the file with O_CREAT|O_EXCL and mode 0600: it never opens an existing
  // file or link.
  int fd = mkstemp(tmp.data());
  if (fd < 0) {
    return Refuse(
        path, fmt::format("{}: check the directory exists and is writable", std::strerror(errno)));
  }
  auto fail = [&](std::string_view why) {
    close(fd);
    unlink(tmp.c_str());
    return Refuse(path, why);
  };
  for (std::size_t done = 0; done < bytes.size();) {
    ssize_t n = write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail(std::strerror(errno));
    }
    done += static_cast<std::size_t>(n);
  }
  if (fsync(fd) != 0) return fail(std::strerror(errno));
  if (close(fd) != 0) {
    unlink(tmp.c_str());
    return Refuse(path, std::strerror(errno));
  }
  // rename(2) replaces the directory entry itself: even a link planted after the check above
  // is replaced, not followed.
  if (rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    unlink(tmp.c_str());
    return Refuse(path, std::strerror(err));
  }
  return {};
}

}  // namespace esimgo::cli
