#include "rules/protection_analysis.h"

#include <array>

#include "filter/decode/icmp_types.h"
#include "rules/protection.h"
#include "rules/set_bits.h"

namespace icmpgate::rules {
namespace {

using decode::Family;

struct ProtectedType {
    Family family;
    std::uint8_t type;
    std::string_view label;
    std::bitset<kIcmpValues> codes;  // the protected codes of this type
};

// Built once: every analysis of every rule reads it, and working out the protected codes
// asks is_protected() about all 256 codes of each type.
const std::array<ProtectedType, 4>& protected_types() {
    static const std::array<ProtectedType, 4> types = [] {
        std::array<ProtectedType, 4> out{{
            {Family::ipv4, decode::icmp4::kDestUnreachable, "Fragmentation Needed", {}},
            {Family::ipv4, decode::icmp4::kTimeExceeded, "Time Exceeded", {}},
            {Family::ipv6, decode::icmp6::kPacketTooBig, "Packet Too Big", {}},
            {Family::ipv6, decode::icmp6::kTimeExceeded, "Time Exceeded", {}},
        }};
        for (ProtectedType& p : out)
            for (std::size_t c = 0; c < kIcmpValues; ++c)
                if (is_protected(p.family, p.type, static_cast<std::uint8_t>(c))) p.codes.set(c);
        return out;
    }();
    return types;
}

// The well-formed protected messages of a family: they always carry a decodable quote.
MessageClass protected_messages(Family f) {
    return f == Family::ipv4 ? MessageClass{f, kProtectedPayloadMinV4, kProtectedPayloadMaxV4, true}
                             : MessageClass{f, kProtectedPayloadMinV6, kProtectedPayloadMaxV6, true};
}

std::string code_list(const std::bitset<kIcmpValues>& codes) {
    std::string out;
    for_each_set_bit(codes, [&](std::size_t c) {
        if (!out.empty()) out += ", ";
        out += std::to_string(c);
    });
    return out;
}

std::vector<ProtectedExposure> exposure_hiding(const CompiledMatch& match,
                                               const std::array<std::bitset<kIcmpValues>, 4>& hidden) {
    std::vector<ProtectedExposure> out;
    const std::array<ProtectedType, 4>& types = protected_types();
    for (std::size_t i = 0; i < types.size(); ++i) {
        const ProtectedType& p = types[i];
        const std::size_t fi = family_index(p.family);
        if (!match.families[fi] || !can_match_some(match, protected_messages(p.family))) continue;
        const std::bitset<kIcmpValues> codes = codes_of_type(match.type_code[fi], p.type) & p.codes & ~hidden[i];
        if (codes.any()) out.push_back({p.family, p.type, codes});
    }
    return out;
}

}  // namespace

std::vector<ProtectedExposure> protected_exposure(const CompiledMatch& match) {
    return exposure_hiding(match, {});
}

std::string describe_exposure(const std::vector<ProtectedExposure>& exposure) {
    const std::array<ProtectedType, 4>& types = protected_types();
    std::string out;
    for (std::size_t i = 0; i < exposure.size(); ++i) {
        const ProtectedExposure& e = exposure[i];
        if (i > 0) out += i + 1 == exposure.size() ? " and " : ", ";
        for (const ProtectedType& p : types) {
            if (p.family != e.family || p.type != e.type) continue;
            out += std::string(p.label) + " (" + (e.family == Family::ipv4 ? "ICMPv4 " : "ICMPv6 ") +
                   std::to_string(e.type);
            if (p.codes.count() == 1) {
                out += "/" + code_list(p.codes);
            } else if (e.codes != p.codes) {
                out += (e.codes.count() == 1 ? " code " : " codes ") + code_list(e.codes);
            }
            out += ")";
        }
    }
    return out;
}

void analyse_protection(const PolicyDocument& document, std::span<const CompiledMatch> matches, DiagnosticSink& sink) {
    const std::array<ProtectedType, 4>& types = protected_types();
    // Per protected type: codes some earlier rule always decides (matched with no rate limit
    // and no condition that a well-formed protected message could fail).
    std::array<std::bitset<kIcmpValues>, 4> decided{};
    for (std::size_t r = 0; r < document.rules.size(); ++r) {
        const RuleDocument& rule = document.rules[r];
        const CompiledMatch& match = matches[r];
        sink.enter_rule(r);
        const bool could_drop = rule.verdict == Verdict::drop || !rule.rate_limits.empty();
        const std::vector<ProtectedExposure> exposure = exposure_hiding(match, decided);
        // A monitor rule decides nothing (and hides nothing from later rules): what it could drop
        // is a warning for the day it is enforced.
        const bool monitor = rule.mode == RuleMode::monitor;
        if (could_drop && !exposure.empty() && !rule.override_protection && monitor) {
            sink.warning(rule.pointer,
                         "in monitor mode it drops nothing, but enforced it could drop " + describe_exposure(exposure) +
                             ", which needs \"override_protection\": true",
                         rule.id);
        } else if (could_drop && !exposure.empty() && !rule.override_protection) {
            sink.error(rule.pointer,
                       "could drop " + describe_exposure(exposure) + "; add \"override_protection\": true to allow it",
                       rule.id);
        } else if (rule.override_protection && (!could_drop || exposure.empty())) {
            sink.warning(rule.pointer + "/override_protection",
                         "\"override_protection\" has no effect: this rule cannot drop a protected message", rule.id);
        }
        if (rule.rate_limits.empty() && !monitor) {
            for (std::size_t i = 0; i < types.size(); ++i) {
                const ProtectedType& p = types[i];
                const std::size_t fi = family_index(p.family);
                if (match.families[fi] && is_unconditional(match, protected_messages(p.family)))
                    decided[i] |= codes_of_type(match.type_code[fi], p.type) & p.codes;
            }
        }
        sink.leave_rule();
    }
}

}  // namespace icmpgate::rules
