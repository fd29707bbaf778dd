#pragma once
// Test-only: a fresh directory under the temporary directory, removed with what it holds.

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

namespace icmpgate::capture::test {

class TempDirectory {
public:
    TempDirectory() {
        static int counter = 0;
        path_ = std::filesystem::temp_directory_path() /
                ("icmpgate-capture-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        std::filesystem::remove_all(path_);
        std::filesystem::create_directories(path_);
    }
    ~TempDirectory() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    TempDirectory(const TempDirectory&) = delete;
    TempDirectory& operator=(const TempDirectory&) = delete;

    [[nodiscard]] std::string path() const { return path_.string(); }
    [[nodiscard]] std::string sub(const std::string& name) const { return (path_ / name).string(); }
    // The names of the files in `dir` (default: this directory), sorted.
    [[nodiscard]] static std::vector<std::string> names(const std::string& dir) {
        std::vector<std::string> out;
        for (const auto& entry : std::filesystem::directory_iterator{dir})
            out.push_back(entry.path().filename().string());
        std::sort(out.begin(), out.end());
        return out;
    }

private:
    std::filesystem::path path_;
};

}  // namespace icmpgate::capture::test
