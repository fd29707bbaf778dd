#include "filter/capture/pcapng_blocks.h"

#include <array>
#include <boost/test/unit_test.hpp>
#include <vector>

namespace icmpgate::capture {
namespace {

using Block = std::vector<std::uint8_t>;

template <typename Write, typename B>
Block written(Write write, const B& block, std::size_t room = 256) {
    std::vector<std::uint8_t> out(room, 0xEE);
    const std::size_t n = write(std::span{out}, block);
    out.resize(n);
    return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(pcapng_blocks)

// Expected bytes written out by hand from draft-ietf-opsawg-pcapng (little-endian section).
BOOST_AUTO_TEST_CASE(section_header_block_is_little_endian_with_the_application_option) {
    const Block expected{
        0x0A, 0x0D, 0x0D, 0x0A,                                              // block type
        44,   0,    0,    0,                                                 // block total length
        0x4D, 0x3C, 0x2B, 0x1A,                                              // byte-order magic
        1,    0,    0,    0,                                                 // version 1.0
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,                      // section length: unknown
        4,    0,    8,    0,    'i',  'c',  'm',  'p',  'g', 'a', 't', 'e',  // shb_userappl
        0,    0,    0,    0,                                                 // opt_endofopt
        44,   0,    0,    0,                                                 // block total length
    };
    const SectionHeader shb{"icmpgate"};
    BOOST_TEST(written(write_section_header, shb) == expected, boost::test_tools::per_element());
    BOOST_TEST(section_header_size(shb) == expected.size());
}

BOOST_AUTO_TEST_CASE(interface_description_block_is_raw_ip_with_name_and_nanosecond_resolution) {
    const Block expected{
        1,    0,    0, 0,                      // block type
        40,   0,    0, 0,                      // block total length
        101,  0,    0, 0,                      // LINKTYPE_RAW, reserved
        0xFF, 0xFF, 0, 0,                      // snaplen 65535
        2,    0,    4, 0, 'e', 't', 'h', '0',  // if_name
        9,    0,    1, 0, 9,   0,   0,   0,    // if_tsresol 10^-9, padded
        0,    0,    0, 0,                      // opt_endofopt
        40,   0,    0, 0,
    };
    const InterfaceDescription idb{"eth0", ""};
    BOOST_TEST(written(write_interface_description, idb) == expected, boost::test_tools::per_element());
    BOOST_TEST(interface_description_size(idb) == expected.size());
}

BOOST_AUTO_TEST_CASE(interface_description_pads_its_description) {
    const InterfaceDescription idb{"", "x"};  // no name: only the description, then tsresol
    const Block expected{1, 0, 0, 0, 40,  0, 0, 0, 101, 0, 0, 0, 0xFF, 0xFF, 0, 0,
                         3, 0, 1, 0, 'x', 0, 0, 0,  // if_description, 1 byte padded to 4
                         9, 0, 1, 0, 9,   0, 0, 0, 0,   0, 0, 0, 40,   0,    0, 0};
    BOOST_TEST(written(write_interface_description, idb) == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(enhanced_packet_block_holds_time_lengths_padded_data_and_comment) {
    const std::array<std::uint8_t, 5> data{0x45, 1, 2, 3, 4};
    // 1,700,000,000.123456789 s = 0x17979CFE'3D85CD15 ns.
    const EnhancedPacket epb{1, 1'700'000'000'123'456'789, decode::Bytes{data}, 100, "ab"};
    const Block expected{
        6,    0,    0,    0,                     // block type
        52,   0,    0,    0,                     // block total length
        1,    0,    0,    0,                     // interface id
        0xFE, 0x9C, 0x97, 0x17,                  // timestamp, high 32 bits
        0x15, 0xCD, 0x85, 0x3D,                  // timestamp, low 32 bits
        5,    0,    0,    0,                     // captured length
        100,  0,    0,    0,                     // original length
        0x45, 1,    2,    3,    4,   0,   0, 0,  // data, padded to 32 bits
        1,    0,    2,    0,    'a', 'b', 0, 0,  // opt_comment
        0,    0,    0,    0,                     // opt_endofopt
        52,   0,    0,    0,
    };
    BOOST_TEST(written(write_enhanced_packet, epb) == expected, boost::test_tools::per_element());
    BOOST_TEST(enhanced_packet_size(epb) == expected.size());
}

BOOST_AUTO_TEST_CASE(enhanced_packet_without_comment_has_no_options) {
    const std::array<std::uint8_t, 4> data{0x60, 0, 0, 0};
    const EnhancedPacket epb{0, 0, decode::Bytes{data}, 0, ""};
    const Block block = written(write_enhanced_packet, epb);
    BOOST_TEST(block.size() == 36U);  // 12 framing + 20 fields + 4 data
    BOOST_TEST(block[24] == 4U);      // original length 0 means the captured length
    BOOST_TEST(block[32] == 36U);     // the trailing length right after the data
}

BOOST_AUTO_TEST_CASE(negative_times_are_written_as_zero) {
    const std::array<std::uint8_t, 4> data{0x45, 0, 0, 0};
    const Block block = written(write_enhanced_packet, EnhancedPacket{0, -5, decode::Bytes{data}, 0, ""});
    BOOST_TEST(std::vector<std::uint8_t>(block.begin() + 12, block.begin() + 20) == std::vector<std::uint8_t>(8, 0),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_block_that_does_not_fit_is_not_written) {
    const std::array<std::uint8_t, 5> data{0x45, 1, 2, 3, 4};
    const EnhancedPacket epb{0, 0, decode::Bytes{data}, 0, "comment"};
    std::vector<std::uint8_t> out(enhanced_packet_size(epb) - 1);
    BOOST_TEST(write_enhanced_packet(out, epb) == 0U);
    std::vector<std::uint8_t> small(section_header_size({"icmpgate"}) - 4);
    BOOST_TEST(write_section_header(small, {"icmpgate"}) == 0U);
    std::vector<std::uint8_t> tiny(8);
    BOOST_TEST(write_interface_description(tiny, {"eth0", ""}) == 0U);
}

BOOST_AUTO_TEST_CASE(a_packet_longer_than_the_snaplen_is_refused) {
    const std::vector<std::uint8_t> data(kSnapLength + 1, 0x45);
    const EnhancedPacket epb{0, 0, decode::Bytes{data}, 0, ""};
    std::vector<std::uint8_t> out(enhanced_packet_size(epb));
    BOOST_TEST(write_enhanced_packet(out, epb) == 0U);
}

BOOST_AUTO_TEST_SUITE_END()
}  // namespace icmpgate::capture
