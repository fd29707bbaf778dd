#include "rules/diagnostic.h"

#include <boost/test/unit_test.hpp>

namespace icmpgate::rules {
namespace {

Diagnostic sample() {
    Diagnostic d;
    d.file = "p.json";
    d.line = 4;
    d.column = 22;
    d.pointer = "/rules/0/match/typ";
    d.rule_id = "r";
    d.message = "unknown key \"typ\"; did you mean \"type\"?";
    return d;
}

BOOST_AUTO_TEST_SUITE(diagnostic_format)

BOOST_AUTO_TEST_CASE(gnu_location_then_severity_pointer_rule_and_message) {
    BOOST_TEST(sample().to_string() ==
               "p.json:4:22: error: /rules/0/match/typ: rule 'r': unknown key \"typ\"; did you mean \"type\"?");
    Diagnostic warning = sample();
    warning.severity = Diagnostic::Severity::warning;
    warning.rule_id.reset();
    BOOST_TEST(warning.to_string() ==
               "p.json:4:22: warning: /rules/0/match/typ: unknown key \"typ\"; did you mean \"type\"?");
}

BOOST_AUTO_TEST_CASE(parts_that_are_missing_are_left_out) {
    Diagnostic document = sample();
    document.pointer.clear();
    document.rule_id.reset();
    document.line = 1;
    document.column = 1;
    document.message = "missing required key \"version\"";
    BOOST_TEST(document.to_string() == "p.json:1:1: error: missing required key \"version\"");
    Diagnostic unreadable;
    unreadable.file = "/etc/icmpgate/policy.json";
    unreadable.message = "cannot read: Permission denied";
    BOOST_TEST(unreadable.to_string() == "/etc/icmpgate/policy.json: error: cannot read: Permission denied");
}

BOOST_AUTO_TEST_CASE(another_file_name_can_be_shown) {
    BOOST_TEST(format_diagnostic(sample(), "<stdin>") ==
               "<stdin>:4:22: error: /rules/0/match/typ: rule 'r': unknown key \"typ\"; did you mean \"type\"?");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace icmpgate::rules
