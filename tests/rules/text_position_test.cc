#include "rules/text_position.h"

#include <array>
#include <boost/test/unit_test.hpp>
#include <string_view>
#include <vector>

namespace icmpgate::rules {
namespace {

BOOST_AUTO_TEST_SUITE(text_position_of_offsets)

BOOST_AUTO_TEST_CASE(lines_and_columns_start_at_one_and_columns_count_bytes) {
    constexpr std::string_view kText = "ab\n\tc\r\n\xC3\xA9x\n";
    BOOST_TEST((text_position(kText, 0) == TextPosition{1, 1}));
    BOOST_TEST((text_position(kText, 2) == TextPosition{1, 3}));  // the newline itself ends line 1
    BOOST_TEST((text_position(kText, 3) == TextPosition{2, 1}));
    BOOST_TEST((text_position(kText, 4) == TextPosition{2, 2}));  // a tab is one column
    BOOST_TEST((text_position(kText, 5) == TextPosition{2, 3}));  // '\r' too
    BOOST_TEST((text_position(kText, 9) == TextPosition{3, 3}));  // after a two-byte character
    BOOST_TEST((text_position(kText, 11) == TextPosition{4, 1}));
    BOOST_TEST((text_position(kText, 500) == TextPosition{4, 1}));  // past the end: the end
    BOOST_TEST((text_position("", 0) == TextPosition{1, 1}));
}

BOOST_AUTO_TEST_CASE(ascending_offsets_in_one_pass_agree_with_one_at_a_time) {
    constexpr std::string_view kText = "{\n  \"a\": 1,\n\n  \"b\": [\n    2\n  ]\n}\n";
    std::vector<std::size_t> offsets;
    for (std::size_t i = 0; i <= kText.size(); ++i) {
        offsets.push_back(i);
        offsets.push_back(i);  // the same offset twice
    }
    const std::vector<TextPosition> batch = text_positions(kText, offsets);
    BOOST_TEST_REQUIRE(batch.size() == offsets.size());
    for (std::size_t i = 0; i < offsets.size(); ++i)
        BOOST_TEST((batch[i] == text_position(kText, offsets[i])), "offset " << offsets[i]);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace icmpgate::rules
