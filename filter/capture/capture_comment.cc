#include "filter/capture/capture_comment.h"

#include <array>
#include <charconv>

namespace icmpgate::capture {
namespace {

constexpr char kFirstPlain = '!';
constexpr char kLastPlain = '~';
constexpr std::string_view kUnknown = "-";
constexpr std::string_view kHexDigits = "0123456789abcdef";
constexpr unsigned kNibbleBits = 4;
constexpr unsigned kNibbleMask = 0xF;

class CommentOut {
public:
    explicit CommentOut(std::span<char> out) noexcept : out_{out} {}

    void raw(std::string_view text) noexcept {
        if (failed_ || out_.size() - at_ < text.size()) {
            failed_ = true;
            return;
        }
        for (const char c : text) out_[at_++] = c;
    }
    // A value: escaped, "-" when empty.
    void value(std::string_view text) noexcept {
        if (text.empty()) {
            raw(kUnknown);
            return;
        }
        for (const char c : text) {
            if (c >= kFirstPlain && c <= kLastPlain && c != '\\') {
                raw({&c, 1});
                continue;
            }
            const auto byte = static_cast<unsigned char>(c);
            const std::array<char, 4> escaped{'\\', 'x', kHexDigits[byte >> kNibbleBits], kHexDigits[byte & kNibbleMask]};
            raw({escaped.data(), escaped.size()});
        }
    }
    void pair(std::string_view key, std::string_view text) noexcept {
        raw(" ");
        raw(key);
        raw("=");
        value(text);
    }
    void number(std::string_view key, unsigned long long n) noexcept {
        std::array<char, 24> digits{};
        const auto result = std::to_chars(digits.data(), digits.data() + digits.size(), n);
        pair(key, {digits.data(), static_cast<std::size_t>(result.ptr - digits.data())});
    }
    [[nodiscard]] std::size_t length() const noexcept { return failed_ ? 0 : at_; }

private:
    std::span<char> out_;
    std::size_t at_{0};
    bool failed_{false};
};

std::string_view verdict_word(rules::Verdict verdict) noexcept {
    return verdict == rules::Verdict::drop ? "drop" : "accept";
}

}  // namespace

std::size_t format_comment(const CommentFields& fields, std::span<char> out) noexcept {
    CommentOut w{out};
    w.raw("icmpgate:");
    w.pair("verdict", verdict_word(fields.verdict));
    if (fields.would_be) w.pair("would_be", verdict_word(*fields.would_be));
    w.raw(" reason=");
    w.value(fields.reason.first);
    if (!fields.reason.second.empty()) w.value(fields.reason.second);
    w.pair("rule", fields.rule);
    w.pair("limiter", fields.limiter);
    w.pair("in", fields.in_interface.view());
    w.pair("out", fields.out_interface.view());
    if (fields.queue) {
        w.number("queue", fields.queue->queue);
        w.number("packet_id", fields.queue->packet_id);
    }
    w.pair("policy", fields.policy_digest);
    return w.length();
}

}  // namespace icmpgate::capture
