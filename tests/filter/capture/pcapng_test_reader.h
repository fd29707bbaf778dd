#pragma once
// Test-only: reads back the pcapng files the capture writer makes (little-endian sections of
// SHB, IDB and EPB blocks), so tests can see every block, each interface's name and each
// packet's interface and comment. Written from draft-ietf-opsawg-pcapng, independently of
// filter/capture's writer; fails the test on any framing fault.

#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace icmpgate::capture::test {

struct ReadPacket {
    std::uint32_t interface_id{0};
    std::uint64_t time_ns{0};
    std::vector<std::uint8_t> data;
    std::uint32_t original_length{0};
    std::string comment;
};

struct ReadFile {
    std::vector<std::uint32_t> block_types;    // in file order
    std::vector<std::string> interface_names;  // per IDB, "" without if_name
    std::vector<std::uint16_t> link_types;
    std::vector<ReadPacket> packets;
};

inline std::uint32_t le32(const std::vector<std::uint8_t>& b, std::size_t at) {
    return static_cast<std::uint32_t>(b.at(at)) | static_cast<std::uint32_t>(b.at(at + 1)) << 8U |
           static_cast<std::uint32_t>(b.at(at + 2)) << 16U | static_cast<std::uint32_t>(b.at(at + 3)) << 24U;
}
inline std::uint16_t le16(const std::vector<std::uint8_t>& b, std::size_t at) {
    return static_cast<std::uint16_t>(b.at(at) | b.at(at + 1) << 8U);
}

inline std::vector<std::uint8_t> file_bytes(const std::string& path) {
    std::ifstream in{path, std::ios::binary};
    return {std::istreambuf_iterator<char>{in}, std::istreambuf_iterator<char>{}};
}

// The options from `at` to `end`: calls f(code, value) for each up to opt_endofopt.
template <typename F>
void for_each_option(const std::vector<std::uint8_t>& b, std::size_t at, std::size_t end, F f) {
    while (at + 4 <= end) {
        const std::uint16_t code = le16(b, at);
        const std::uint16_t length = le16(b, at + 2);
        if (code == 0) return;
        BOOST_TEST_REQUIRE(at + 4 + length <= end);
        f(code, std::string(b.begin() + static_cast<std::ptrdiff_t>(at + 4),
                            b.begin() + static_cast<std::ptrdiff_t>(at + 4 + length)));
        at += 4 + (length + 3U) / 4U * 4U;
    }
}

inline ReadFile read_pcapng(const std::string& path) {
    const std::vector<std::uint8_t> b = file_bytes(path);
    ReadFile file;
    std::size_t at = 0;
    while (at < b.size()) {
        BOOST_TEST_REQUIRE(at + 12 <= b.size());
        const std::uint32_t type = le32(b, at);
        const std::uint32_t length = le32(b, at + 4);
        BOOST_TEST_REQUIRE(length % 4 == 0U);
        BOOST_TEST_REQUIRE(at + length <= b.size());
        BOOST_TEST_REQUIRE(le32(b, at + length - 4) == length);
        file.block_types.push_back(type);
        const std::size_t body = at + 8;
        const std::size_t end = at + length - 4;
        if (type == 0x0A0D0D0AU) {
            BOOST_TEST_REQUIRE(le32(b, body) == 0x1A2B3C4DU);
        } else if (type == 1) {
            file.link_types.push_back(le16(b, body));
            std::string name;
            for_each_option(b, body + 8, end, [&](std::uint16_t code, const std::string& value) {
                if (code == 2) name = value;
            });
            file.interface_names.push_back(name);
        } else if (type == 6) {
            ReadPacket p;
            p.interface_id = le32(b, body);
            p.time_ns = static_cast<std::uint64_t>(le32(b, body + 4)) << 32U | le32(b, body + 8);
            const std::uint32_t captured = le32(b, body + 12);
            p.original_length = le32(b, body + 16);
            p.data.assign(b.begin() + static_cast<std::ptrdiff_t>(body + 20),
                          b.begin() + static_cast<std::ptrdiff_t>(body + 20 + captured));
            for_each_option(b, body + 20 + (captured + 3U) / 4U * 4U, end,
                            [&](std::uint16_t code, const std::string& value) {
                                if (code == 1) p.comment = value;
                            });
            file.packets.push_back(std::move(p));
        }
        at += length;
    }
    return file;
}

}  // namespace icmpgate::capture::test
