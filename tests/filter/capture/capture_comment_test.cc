#include "filter/capture/capture_comment.h"

#include <array>
#include <boost/test/unit_test.hpp>
#include <string>

namespace icmpgate::capture {
namespace {

std::string comment_of(const CommentFields& fields) {
    std::array<char, kCommentMax> out{};
    return {out.data(), format_comment(fields, out)};
}

CommentFields rule_drop() {
    CommentFields f;
    f.verdict = rules::Verdict::drop;
    f.reason = {"rule", ""};
    f.rule = "block-echo";
    f.in_interface = decode::InterfaceName::from("c-gw");
    f.out_interface = decode::InterfaceName::from("gw-r2");
    f.queue = log::QueueContext{0, 17};
    f.policy_digest = "sha256:ab12";
    return f;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(capture_comment)

BOOST_AUTO_TEST_CASE(a_rule_drop_names_verdict_reason_rule_interfaces_queue_and_policy) {
    BOOST_TEST(comment_of(rule_drop()) ==
               "icmpgate: verdict=drop reason=rule rule=block-echo limiter=- in=c-gw out=gw-r2 queue=0 packet_id=17 "
               "policy=sha256:ab12");
}

BOOST_AUTO_TEST_CASE(a_rate_limit_names_its_limiter) {
    CommentFields f = rule_drop();
    f.reason = {"rate-limit", ""};
    f.limiter = "echo-per-source";
    BOOST_TEST(comment_of(f) ==
               "icmpgate: verdict=drop reason=rate-limit rule=block-echo limiter=echo-per-source in=c-gw out=gw-r2 "
               "queue=0 packet_id=17 policy=sha256:ab12");
}

BOOST_AUTO_TEST_CASE(an_anomaly_is_written_as_the_record_writes_its_reason) {
    CommentFields f;
    f.verdict = rules::Verdict::drop;
    f.reason = {"anomaly:", "bad-checksum"};
    f.policy_digest = "sha256:ab12";
    // No rule, no limiter, no interfaces, no queue (watch or replay).
    BOOST_TEST(comment_of(f) ==
               "icmpgate: verdict=drop reason=anomaly:bad-checksum rule=- limiter=- in=- out=- policy=sha256:ab12");
}

BOOST_AUTO_TEST_CASE(monitor_mode_adds_the_would_be_verdict_after_the_verdict) {
    CommentFields f = rule_drop();
    f.verdict = rules::Verdict::accept;
    f.would_be = rules::Verdict::drop;
    f.queue.reset();
    f.in_interface = {};
    f.out_interface = {};
    BOOST_TEST(
        comment_of(f) ==
        "icmpgate: verdict=accept would_be=drop reason=rule rule=block-echo limiter=- in=- out=- policy=sha256:ab12");
}

BOOST_AUTO_TEST_CASE(bytes_that_could_break_the_pairs_are_escaped) {
    CommentFields f;
    f.reason = {"protected", ""};
    f.in_interface = decode::InterfaceName::from("a b\\c=\xC3\xA9");  // space, backslash, '=' kept, UTF-8
    BOOST_TEST(comment_of(f) ==
               "icmpgate: verdict=accept reason=protected rule=- limiter=- in=a\\x20b\\x5cc=\\xc3\\xa9 out=- policy=-");
}

BOOST_AUTO_TEST_CASE(the_longest_comment_fits_its_bound) {
    CommentFields f = rule_drop();
    f.would_be = rules::Verdict::drop;
    const std::string id(64, 'r');
    const std::string limiter(64, 'l');
    const std::string digest = "sha256:" + std::string(64, 'f');
    f.rule = id;
    f.limiter = limiter;
    f.in_interface = decode::InterfaceName::from(std::string(15, ' '));
    f.out_interface = decode::InterfaceName::from(std::string(15, '\x01'));
    f.queue = log::QueueContext{65535, 4294967295U};
    f.reason = {"anomaly:", "embedded-mismatch"};
    f.policy_digest = digest;
    const std::string text = comment_of(f);
    BOOST_TEST(!text.empty());
    BOOST_TEST(text.size() <= kCommentMax);
}

BOOST_AUTO_TEST_CASE(a_buffer_too_small_gives_nothing) {
    std::array<char, 40> out{};
    BOOST_TEST(format_comment(rule_drop(), out) == 0U);
}

BOOST_AUTO_TEST_SUITE_END()
}  // namespace icmpgate::capture
