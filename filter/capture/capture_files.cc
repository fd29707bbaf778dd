#include "filter/capture/capture_files.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <ctime>
#include <memory>
#include <system_error>
#include <vector>

namespace icmpgate::capture {
namespace {

constexpr mode_t kDirectoryMode = 0750;
constexpr mode_t kFileMode = 0640;
constexpr std::string_view kPrefix = "icmpgate-";
constexpr std::string_view kSuffix = ".pcapng";
constexpr int kSequenceDigits = 8;
constexpr std::int64_t kNsPerSecond = 1'000'000'000;

struct DirCloser {
    void operator()(DIR* dir) const noexcept { closedir(dir); }
};

std::system_error error_about(const std::string& what) {
    return {errno, std::generic_category(), what};
}

}  // namespace

CaptureFiles::~CaptureFiles() {
    close();
    if (directory_fd_ >= 0) ::close(directory_fd_);  // releases the lock
}

std::string CaptureFiles::file_name(std::uint64_t sequence, std::int64_t unix_ns) {
    std::string digits = std::to_string(sequence);
    if (digits.size() < kSequenceDigits) digits.insert(0, kSequenceDigits - digits.size(), '0');
    const std::time_t seconds = static_cast<std::time_t>(std::max<std::int64_t>(0, unix_ns) / kNsPerSecond);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    std::array<char, 32> stamp{};
    const std::size_t n = std::strftime(stamp.data(), stamp.size(), "%Y%m%dT%H%M%SZ", &utc);
    return std::string{kPrefix} + digits + "-" + std::string{stamp.data(), n} + std::string{kSuffix};
}

std::uint64_t CaptureFiles::sequence_of(const std::string& name) noexcept {
    if (!name.starts_with(kPrefix) || !name.ends_with(kSuffix)) return 0;
    const char* first = name.data() + kPrefix.size();
    const char* last = name.data() + name.size() - kSuffix.size();
    std::uint64_t sequence = 0;
    const auto [end, error] = std::from_chars(first, last, sequence);
    if (error != std::errc{} || end == first || end == last || *end != '-') return 0;
    return sequence;
}

void CaptureFiles::open_directory() {
    const std::string& dir = options_.directory;
    if (::mkdir(dir.c_str(), kDirectoryMode) != 0 && errno != EEXIST)
        throw error_about("creating capture directory " + dir);
    directory_fd_ = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (directory_fd_ < 0) throw error_about("opening capture directory " + dir);
    if (::flock(directory_fd_, LOCK_EX | LOCK_NB) != 0) {
        if (errno == EWOULDBLOCK)
            throw std::system_error(errno, std::generic_category(),
                                    "capture directory " + dir + " is in use by another icmpgate");
        throw error_about("locking capture directory " + dir);
    }
    if (::access(dir.c_str(), W_OK) != 0) throw error_about("capture directory " + dir + " is not writable");

    const std::unique_ptr<DIR, DirCloser> listing{::opendir(dir.c_str())};
    if (!listing) throw error_about("listing capture directory " + dir);
    std::vector<std::pair<std::uint64_t, std::string>> found;
    while (const dirent* entry = ::readdir(listing.get())) {
        const std::string name = entry->d_name;
        if (const std::uint64_t sequence = sequence_of(name); sequence > 0) found.emplace_back(sequence, name);
    }
    std::sort(found.begin(), found.end());
    for (auto& [sequence, name] : found) files_.push_back(std::move(name));
    if (!found.empty()) next_sequence_ = found.back().first + 1;
}

bool CaptureFiles::start_file(std::int64_t now_unix_ns, std::uint64_t& removed) noexcept {
    close();
    try {
        while (!files_.empty() && files_.size() >= options_.max_files) {
            // A file someone else removed is gone all the same.
            if (::unlinkat(directory_fd_, files_.front().c_str(), 0) == 0 || errno == ENOENT) ++removed;
            files_.pop_front();
        }
        const std::string name = file_name(next_sequence_++, now_unix_ns);
        const int fd = ::openat(directory_fd_, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, kFileMode);
        if (fd < 0) return false;
        fd_ = fd;
        size_ = 0;
        current_ = options_.directory + "/" + name;
        files_.push_back(name);
    } catch (...) {  // std::bad_alloc building a name: no file this time
        errno = ENOMEM;
        return false;
    }
    return true;
}

bool CaptureFiles::append(std::span<const std::uint8_t> bytes) noexcept {
    if (fd_ < 0) {
        errno = EBADF;
        return false;
    }
    const std::uint8_t* data = bytes.data();
    std::size_t left = bytes.size();
    while (left > 0) {
        const ssize_t n = ::write(fd_, data, left);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            const int saved = n == 0 ? ENOSPC : errno;
            // Cut back to the last whole block; when even that fails, start a new file next time.
            if (::ftruncate(fd_, static_cast<off_t>(size_)) != 0 ||
                ::lseek(fd_, static_cast<off_t>(size_), SEEK_SET) < 0)
                close();
            errno = saved;
            return false;
        }
        data += n;
        left -= static_cast<std::size_t>(n);
    }
    size_ += bytes.size();
    return true;
}

void CaptureFiles::close() noexcept {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
}

}  // namespace icmpgate::capture
