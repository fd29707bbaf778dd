#include "filter/capture/pcapng_blocks.h"

#include <algorithm>
#include <cstring>

namespace icmpgate::capture {
namespace {

// Block types and option codes (draft-ietf-opsawg-pcapng, sections 4 and 3.5).
constexpr std::uint32_t kSectionHeaderType = 0x0A0D0D0A;
constexpr std::uint32_t kInterfaceDescriptionType = 0x00000001;
constexpr std::uint32_t kEnhancedPacketType = 0x00000006;
constexpr std::uint32_t kByteOrderMagic = 0x1A2B3C4D;
constexpr std::uint16_t kMajorVersion = 1;
constexpr std::uint16_t kMinorVersion = 0;
constexpr std::uint64_t kSectionLengthUnknown = ~std::uint64_t{0};  // -1: not given (a file being written)
constexpr std::uint16_t kOptEndOfOpt = 0;
constexpr std::uint16_t kOptComment = 1;
constexpr std::uint16_t kShbUserAppl = 4;
constexpr std::uint16_t kIfName = 2;
constexpr std::uint16_t kIfDescription = 3;
constexpr std::uint16_t kIfTsresol = 9;

// Block type + total length in front, total length again at the end.
constexpr std::size_t kBlockFraming = 12;
// SHB body: byte-order magic, major, minor, section length.
constexpr std::size_t kSectionHeaderBody = 16;
// IDB body: link type, reserved, snaplen.
constexpr std::size_t kInterfaceDescriptionBody = 8;
// EPB body: interface id, timestamp (high, low), captured length, original length.
constexpr std::size_t kEnhancedPacketBody = 20;
constexpr std::size_t kOptionHeader = 4;  // code + length
constexpr std::size_t kWord = 4;          // blocks and option values are padded to 32 bits
constexpr unsigned kWordBits = 32;

constexpr std::size_t padded(std::size_t n) noexcept {
    return (n + kWord - 1) / kWord * kWord;
}

std::string_view clamped(std::string_view text) noexcept {
    return text.substr(0, std::min(text.size(), kOptionValueMax));
}

std::size_t option_size(std::size_t value_length) noexcept {
    return kOptionHeader + padded(value_length);
}
std::size_t text_option_size(std::string_view text) noexcept {
    return text.empty() ? 0 : option_size(clamped(text).size());
}
// The options of a block: its options, then opt_endofopt when there is any.
std::size_t options_size(std::size_t options) noexcept {
    return options == 0 ? 0 : options + kOptionHeader;
}

// Little-endian writes into a span that was checked to hold the whole block first.
class LittleEndianOut {
public:
    explicit LittleEndianOut(std::span<std::uint8_t> out) noexcept : out_{out} {}
    void u8(std::uint8_t v) noexcept { out_[at_++] = v; }
    void u16(std::uint16_t v) noexcept {
        u8(static_cast<std::uint8_t>(v & 0xFFU));
        u8(static_cast<std::uint8_t>(v >> 8U));
    }
    void u32(std::uint32_t v) noexcept {
        u16(static_cast<std::uint16_t>(v & 0xFFFFU));
        u16(static_cast<std::uint16_t>(v >> 16U));
    }
    void u64(std::uint64_t v) noexcept {
        u32(static_cast<std::uint32_t>(v & 0xFFFF'FFFFU));
        u32(static_cast<std::uint32_t>(v >> kWordBits));
    }
    void bytes(const void* data, std::size_t n) noexcept {
        if (n > 0) std::memcpy(out_.data() + at_, data, n);
        at_ += n;
    }
    void pad_to_word() noexcept {
        while (at_ % kWord != 0) u8(0);
    }
    void option(std::uint16_t code, const void* value, std::size_t length) noexcept {
        u16(code);
        u16(static_cast<std::uint16_t>(length));
        bytes(value, length);
        pad_to_word();
    }
    void text_option(std::uint16_t code, std::string_view text) noexcept {
        if (text.empty()) return;
        text = clamped(text);
        option(code, text.data(), text.size());
    }
    void end_of_options(bool any) noexcept {
        if (any) option(kOptEndOfOpt, nullptr, 0);
    }
    [[nodiscard]] std::size_t written() const noexcept { return at_; }

private:
    std::span<std::uint8_t> out_;
    std::size_t at_{0};
};

// One block (section 3.1): its type and total length, the body `write_body` writes, the total
// length again. Nothing is written unless `out` holds all `total` bytes; returns the bytes written.
template <class WriteBody>
std::size_t write_block(std::span<std::uint8_t> out, std::uint32_t type, std::size_t total,
                        WriteBody write_body) noexcept {
    if (out.size() < total) return 0;
    LittleEndianOut w{out};
    w.u32(type);
    w.u32(static_cast<std::uint32_t>(total));
    write_body(w);
    w.u32(static_cast<std::uint32_t>(total));
    return w.written();
}

}  // namespace

std::size_t section_header_size(const SectionHeader& block) noexcept {
    return kBlockFraming + kSectionHeaderBody + options_size(text_option_size(block.application));
}

std::size_t interface_description_size(const InterfaceDescription& block) noexcept {
    const std::size_t options =
        text_option_size(block.name) + text_option_size(block.description) + option_size(sizeof kTimestampResolutionNs);
    return kBlockFraming + kInterfaceDescriptionBody + options_size(options);
}

std::size_t enhanced_packet_size(const EnhancedPacket& block) noexcept {
    return kBlockFraming + kEnhancedPacketBody + padded(block.data.size()) +
           options_size(text_option_size(block.comment));
}

std::size_t write_section_header(std::span<std::uint8_t> out, const SectionHeader& block) noexcept {
    return write_block(out, kSectionHeaderType, section_header_size(block), [&](LittleEndianOut& w) {
        w.u32(kByteOrderMagic);
        w.u16(kMajorVersion);
        w.u16(kMinorVersion);
        w.u64(kSectionLengthUnknown);
        w.text_option(kShbUserAppl, block.application);
        w.end_of_options(!block.application.empty());
    });
}

std::size_t write_interface_description(std::span<std::uint8_t> out, const InterfaceDescription& block) noexcept {
    return write_block(out, kInterfaceDescriptionType, interface_description_size(block), [&](LittleEndianOut& w) {
        w.u16(kLinktypeRaw);
        w.u16(0);  // reserved
        w.u32(kSnapLength);
        w.text_option(kIfName, block.name);
        w.text_option(kIfDescription, block.description);
        w.option(kIfTsresol, &kTimestampResolutionNs, sizeof kTimestampResolutionNs);
        w.end_of_options(true);
    });
}

std::size_t write_enhanced_packet(std::span<std::uint8_t> out, const EnhancedPacket& block) noexcept {
    // The captured length is a 32-bit field; a block length too.
    if (block.data.size() > kSnapLength) return 0;
    const auto captured = static_cast<std::uint32_t>(block.data.size());
    const std::uint64_t time = block.time_ns < 0 ? 0 : static_cast<std::uint64_t>(block.time_ns);
    return write_block(out, kEnhancedPacketType, enhanced_packet_size(block), [&](LittleEndianOut& w) {
        w.u32(block.interface_id);
        w.u32(static_cast<std::uint32_t>(time >> kWordBits));
        w.u32(static_cast<std::uint32_t>(time & 0xFFFF'FFFFU));
        w.u32(captured);
        w.u32(std::max(block.original_length, captured));
        w.bytes(block.data.data(), block.data.size());
        w.pad_to_word();
        w.text_option(kOptComment, block.comment);
        w.end_of_options(!block.comment.empty());
    });
}

}  // namespace icmpgate::capture
