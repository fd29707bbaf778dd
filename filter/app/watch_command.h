#pragma once
// `icmpgate watch --policy P --interface IF [--log FILE] [--capture DIR ...]`: the records the
// policy would give the ICMP on a live interface (libpcap, a kernel filter for ICMP and ICMPv6),
// for a span port or a host whose firewall may not be touched. No verdict goes anywhere: every
// packet passes whatever the record says. Needs CAP_NET_RAW to open the interface and drops every
// capability (and, with --user, switches user) before the first packet. Runs until SIGTERM or
// SIGINT, then prints a summary on stderr; SIGHUP and SIGUSR1 reopen the log.

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

#include "filter/app/capture_settings.h"
#include "filter/log/ip_text.h"

namespace icmpgate::app {

struct WatchOptions {
    std::string policy_path;
    std::string interface;
    std::string log_path{"-"};                // "-" = stdout; "" = no verdict log
    std::uint32_t log_lines_per_second{200};  // --log-rate, per (rule, reason); 0 = unlimited
    std::size_t log_buffer_bytes{8U << 20U};
    std::uint32_t snaplen{65535};
    std::uint32_t pcap_buffer_bytes{4U << 20U};
    bool promiscuous{true};
    bool allow_insecure_policy{false};
    std::string user;
    std::optional<std::uint16_t> community_id_seed;
    log::Ipv6Text ipv6_text{log::Ipv6Text::rfc5952};
    CaptureSettings capture;
};

// Exit: 0 stopped by a signal, 1 invalid policy, 69 the interface cannot be captured on (no
// such interface, no CAP_NET_RAW, an unsupported link type), 71 the log or capture directory
// cannot be opened, privileges cannot be dropped, or the capture failed while running.
[[nodiscard]] int run_watch(const WatchOptions& options, std::ostream& err);

}  // namespace icmpgate::app
