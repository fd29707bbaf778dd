#pragma once
// `icmpgate run`: the daemon. Binds one or more NFQUEUE queues (one thread each), filters
// until SIGTERM/SIGINT, reloads the policy on SIGHUP and reopens the log on SIGHUP and
// SIGUSR1. Operational messages go to stderr (the journal under systemd); verdict records
// go to the log file or stdout.

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

#include "filter/app/capture_settings.h"
#include "filter/log/ip_text.h"

namespace icmpgate::app {

// sysexits(3), as systemd.exec(5) documents them.
inline constexpr int kExitUnavailable = 69;  // a queue could not be bound
inline constexpr int kExitOsError = 71;      // the log could not be opened, a thread could not start

// The netlink socket's receive buffer for --rcvbuf's default: room for every packet the queue may
// hold. The kernel doubles the value (SO_RCVBUFFORCE) and charges each message its skb truesize:
// measured ~835 bytes for an 84-byte ping and ~2,340 for a 1,400-byte packet, so 1,280 x 2 covers
// MTU-sized packets. Below 1 MiB never; above 1 GiB the kernel would cap it anyway.
inline constexpr std::uint32_t kReceiveBufferPerQueuedPacket = 1280;
inline constexpr std::uint32_t kReceiveBufferMin = 1U << 20U;
inline constexpr std::uint32_t kReceiveBufferMax = 1U << 30U;

struct RunOptions {
    std::string policy_path;
    std::uint16_t first_queue{0};
    std::uint16_t last_queue{0};
    std::string log_path{"-"};  // "-" = stdout; "" = no verdict log
    std::uint32_t copy_range{0xFFFF};
    std::uint32_t queue_max_length{16384};
    std::uint32_t receive_buffer{0};  // bytes; 0 = sized from queue_max_length
    bool fail_open{true};
    std::uint32_t log_lines_per_second{200};          // per (rule, reason); 0 = unlimited
    std::size_t log_buffer_bytes{8U << 20U};          // between the queue threads and the log writer
    std::uint32_t stats_interval_seconds{60};         // EVE "stats" event period; 0 = off
    std::string metrics_file;                         // Prometheus textfile; "" = off
    std::uint32_t metrics_interval_seconds{15};       // textfile rewrite period (and at exit)
    bool allow_insecure_policy{false};                // skip the policy file owner/mode check
    std::string user;                                 // switch to this user after set-up ("" = stay)
    std::optional<std::uint16_t> community_id_seed;   // --community-id: its seed; unset = no community_id
    log::Ipv6Text ipv6_text{log::Ipv6Text::rfc5952};  // --expand-ipv6: Suricata's expanded form
    CaptureSettings capture;                          // --capture ...: evidence captures (off by default)
    // --monitor: accept every packet and log what the policy would have done. A command-line
    // flag, so a reload (SIGHUP) cannot change it; rules' own "mode" it leaves as they are.
    bool monitor{false};
};

// The receive buffer the daemon asks for: --rcvbuf, or kReceiveBufferPerQueuedPacket per
// --queue-maxlen packet, clamped to [kReceiveBufferMin, kReceiveBufferMax].
[[nodiscard]] std::uint32_t effective_receive_buffer(const RunOptions& options) noexcept;

// Parses "N" or "N:M" (N <= M <= 65535); false when malformed.
[[nodiscard]] bool parse_queue_range(const std::string& text, std::uint16_t& first, std::uint16_t& last);

[[nodiscard]] int run_daemon(const RunOptions& options, std::ostream& err);

}  // namespace icmpgate::app
