#include "filter/capture/capture_comment.h"

#include <array>
#include <charconv>
#include <cstring>

namespace icmpgate::capture {
namespace {

constexpr char kFirstPlain = '!';
constexpr char kLastPlain = '~';
constexpr std::string_view kUnknown = "-";
constexpr std::string_view kHexDigits = "0123456789abcdef";
constexpr unsigned kNibbleBits = 4;
constexpr unsigned kNibbleMask = 0xF;

constexpr bool is_plain(char c) noexcept {
    return c >= kFirstPlain && c <= kLastPlain && c != '\\';
}

class CommentOut {
public:
    explicit CommentOut(std::span<char> out) noexcept : out_{out} {}

    void raw(std::string_view text) noexcept {
        if (failed_ || out_.size() - at_ < text.size()) {
            failed_ = true;
            return;
        }
        if (!text.empty()) std::memcpy(out_.data() + at_, text.data(), text.size());
        at_ += text.size();
    }
    // A value that may hold any byte: runs of plain bytes copied whole, the others as \xNN;
    // "-" when empty.
    void value(std::string_view text) noexcept {
        if (text.empty()) {
            raw(kUnknown);
            return;
        }
        while (!text.empty()) {
            std::size_t plain = 0;
            while (plain < text.size() && is_plain(text[plain])) ++plain;
            raw(text.substr(0, plain));
            if (plain == text.size()) return;
            const auto byte = static_cast<unsigned char>(text[plain]);
            const std::array<char, 4> escaped{'\\', 'x', kHexDigits[byte >> kNibbleBits],
                                              kHexDigits[byte & kNibbleMask]};
            raw({escaped.data(), escaped.size()});
            text.remove_prefix(plain + 1);
        }
    }
    // A policy name: the loader admits only letters, digits and "._:-" in rule ids and limiter
    // names (rules/rule_keys.cc, rules/limiter_keys.cc) and the digest is "sha256:" and hex, so
    // they are copied whole; "-" when empty.
    void name(std::string_view text) noexcept { raw(text.empty() ? kUnknown : text); }
    // `key` holds its separators: " rule=".
    void pair(std::string_view key, std::string_view text) noexcept {
        raw(key);
        value(text);
    }
    void name_pair(std::string_view key, std::string_view text) noexcept {
        raw(key);
        name(text);
    }
    void number(std::string_view key, unsigned long long n) noexcept {
        std::array<char, 24> digits{};
        const auto result = std::to_chars(digits.data(), digits.data() + digits.size(), n);
        raw(key);
        raw({digits.data(), static_cast<std::size_t>(result.ptr - digits.data())});
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
    w.name_pair("icmpgate: verdict=", verdict_word(fields.verdict));
    if (fields.would_be) w.name_pair(" would_be=", verdict_word(*fields.would_be));
    w.name_pair(" reason=", fields.reason.first);  // names from the reason and anomaly tables: plain
    w.raw(fields.reason.second);
    w.name_pair(" rule=", fields.rule);
    w.name_pair(" limiter=", fields.limiter);
    w.pair(" in=", fields.in_interface.view());
    w.pair(" out=", fields.out_interface.view());
    if (fields.queue) {
        w.number(" queue=", fields.queue->queue);
        w.number(" packet_id=", fields.queue->packet_id);
    }
    w.name_pair(" policy=", fields.policy_digest);
    return w.length();
}

}  // namespace icmpgate::capture
