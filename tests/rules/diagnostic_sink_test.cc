#include "rules/diagnostic_sink.h"

#include <boost/test/unit_test.hpp>
#include <vector>

namespace icmpgate::rules {
namespace {

BOOST_AUTO_TEST_SUITE(diagnostic_sink)

BOOST_AUTO_TEST_CASE(pointer_child_escapes_tilde_and_slash) {
    BOOST_TEST(pointer_child("", "rules") == "/rules");
    BOOST_TEST(pointer_child("/rate_limits", "a/b~c") == "/rate_limits/a~1b~0c");
    BOOST_TEST(pointer_child("/r", "~") == "/r/~0");  // either character alone takes the escaping path
    BOOST_TEST(pointer_child("/r", "x/") == "/r/x~1");
    BOOST_TEST(pointer_child("/r", "") == "/r/");
    BOOST_TEST(pointer_child("/rules", std::size_t{3}) == "/rules/3");
}

BOOST_AUTO_TEST_CASE(take_orders_top_level_first_then_rule_by_rule) {
    DiagnosticSink sink("p.json");
    sink.enter_rule(1);
    sink.error("/rules/1", "second rule");
    sink.enter_rule(0);
    sink.warning("/rules/0", "first rule");
    sink.leave_rule();
    sink.warning("/rate_limits/x", "top level");
    BOOST_TEST(sink.error_count() == 1U);
    const std::vector<Diagnostic> out = sink.take();
    BOOST_TEST_REQUIRE(out.size() == 3U);
    BOOST_TEST(out[0].message == "top level");
    BOOST_TEST(out[1].message == "first rule");
    BOOST_TEST(out[2].message == "second rule");
    BOOST_TEST(sink.error_count() == 0U);
}

BOOST_AUTO_TEST_CASE(escaped_limiter_name_appears_in_the_pointer) {
    DiagnosticSink sink("p.json");
    sink.error(pointer_child("/rate_limits", "a/b"), "bad", std::nullopt);
    const std::vector<Diagnostic> out = sink.take();
    BOOST_TEST_REQUIRE(out.size() == 1U);
    BOOST_TEST(out[0].to_string() == "p.json: error: /rate_limits/a~1b: bad");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace icmpgate::rules
