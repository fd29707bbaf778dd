// icmp_blast: a bounded, rate-controlled ICMPv4 sender for the live benchmark (issue 4).
// Raw socket (IP_HDRINCL) + sendmmsg; sources cycle over SOURCES hosts of a /24 so that
// --queue-balance spreads the flows (the kernel hashes addresses only).
//
//   icmp_blast --dst A.B.C.D --src-net A.B.C --sources N --rate PPS (0: as fast as possible)
//              --seconds S --max-packets N --kind time-exceeded|mixed
//
// time-exceeded: Time Exceeded quoting a UDP datagram (the default policy accepts it by
// rule, no limiter). mixed: alternates it with a Timestamp Request (dropped by rule), so
// verdicts alternate accept/drop. Prints "sent N packets in T s (R pps)".

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <string_view>
#include <vector>

#include "tests/support/packet_builder.h"

namespace {

using icmpgate::test::Packet;
using icmpgate::test::PacketBuilder;

constexpr std::size_t kBatchMax = 64;                // messages per sendmmsg
constexpr std::uint64_t kHardPacketCap = 5'000'000;  // whatever the arguments say
constexpr double kHardSecondsCap = 30.0;
constexpr std::uint8_t kTimestampRequest = 13;
constexpr std::int64_t kNsPerSecond = 1'000'000'000;

struct Options {
    std::string dst = "203.0.113.2";
    std::string src_net = "198.51.100";
    unsigned sources = 200;
    double rate = 10'000;
    double seconds = 3;
    std::uint64_t max_packets = 1'000'000;
    std::string kind = "time-exceeded";
};

std::int64_t now_ns() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * kNsPerSecond + ts.tv_nsec;
}

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string_view key = argv[i];
        const char* value = argv[i + 1];
        if (key == "--dst")
            o.dst = value;
        else if (key == "--src-net")
            o.src_net = value;
        else if (key == "--sources")
            o.sources = static_cast<unsigned>(std::strtoul(value, nullptr, 10));
        else if (key == "--rate")
            o.rate = std::strtod(value, nullptr);
        else if (key == "--seconds")
            o.seconds = std::strtod(value, nullptr);
        else if (key == "--max-packets")
            o.max_packets = std::strtoull(value, nullptr, 10);
        else if (key == "--kind")
            o.kind = value;
        else {
            std::fprintf(stderr, "icmp_blast: unknown option %s\n", argv[i]);
            std::exit(2);
        }
    }
    if (o.sources == 0 || o.sources > 254) o.sources = 200;
    if (o.max_packets > kHardPacketCap) o.max_packets = kHardPacketCap;
    if (o.seconds > kHardSecondsCap) o.seconds = kHardSecondsCap;
    return o;
}

// One packet per source (and per kind when mixed), built once.
std::vector<Packet> templates(const Options& o) {
    std::vector<Packet> packets;
    for (unsigned s = 0; s < o.sources; ++s) {
        const std::string src = o.src_net + "." + std::to_string(s + 1);
        packets.push_back(PacketBuilder::ipv4(src, o.dst)
                              .time_exceeded()
                              .quote(PacketBuilder::ipv4(o.dst, "198.51.100.9").ttl(1).udp(33434, 33435, 8))
                              .build());
        if (o.kind == "mixed")
            packets.push_back(PacketBuilder::ipv4(src, o.dst).icmp(kTimestampRequest).payload_zeros(12).build());
    }
    return packets;
}

}  // namespace

int main(int argc, char** argv) {
    const Options o = parse(argc, argv);
    const std::vector<Packet> packets = templates(o);
    const int fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);  // IPPROTO_RAW implies IP_HDRINCL
    if (fd < 0) {
        std::perror("icmp_blast: raw socket");
        return 1;
    }
    sockaddr_in to{};
    to.sin_family = AF_INET;
    if (inet_pton(AF_INET, o.dst.c_str(), &to.sin_addr) != 1) {
        std::fprintf(stderr, "icmp_blast: bad --dst\n");
        return 2;
    }

    std::vector<iovec> iov(kBatchMax);
    std::vector<mmsghdr> msgs(kBatchMax);
    const std::size_t batch = o.rate > 0 && o.rate < 20'000 ? 16 : kBatchMax;  // smoother at low rates
    const std::int64_t start = now_ns();
    const auto deadline = start + static_cast<std::int64_t>(o.seconds * static_cast<double>(kNsPerSecond));
    std::uint64_t sent = 0;
    std::uint64_t errors = 0;
    std::size_t next = 0;
    while (sent < o.max_packets) {
        const std::int64_t t = now_ns();
        if (t >= deadline) break;
        if (o.rate > 0) {
            // Packet `sent` is due at start + sent / rate: sleep until then when ahead.
            const auto due = start + static_cast<std::int64_t>(static_cast<double>(sent) / o.rate *
                                                               static_cast<double>(kNsPerSecond));
            if (due > t) {
                const timespec ts{static_cast<time_t>(due / kNsPerSecond), static_cast<long>(due % kNsPerSecond)};
                clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr);
            }
        }
        const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(batch, o.max_packets - sent));
        for (std::size_t i = 0; i < n; ++i) {
            const Packet& p = packets[next];
            next = (next + 1) % packets.size();
            iov[i].iov_base = const_cast<std::uint8_t*>(p.data());  // NOLINT: sendmsg's iovec is not const
            iov[i].iov_len = p.size();
            msgs[i] = {};
            msgs[i].msg_hdr.msg_name = &to;
            msgs[i].msg_hdr.msg_namelen = sizeof to;
            msgs[i].msg_hdr.msg_iov = &iov[i];
            msgs[i].msg_hdr.msg_iovlen = 1;
        }
        const int r = sendmmsg(fd, msgs.data(), static_cast<unsigned>(n), 0);
        if (r < 0) {
            ++errors;  // ENOBUFS from a full device queue: count and go on
            if (errno != ENOBUFS && errno != EAGAIN && errno != EINTR) {
                std::perror("icmp_blast: sendmmsg");
                break;
            }
            continue;
        }
        sent += static_cast<std::uint64_t>(r);
    }
    const double elapsed = static_cast<double>(now_ns() - start) / static_cast<double>(kNsPerSecond);
    close(fd);
    std::printf("sent %llu packets in %.3f s (%.0f pps), send errors %llu\n", static_cast<unsigned long long>(sent),
                elapsed, static_cast<double>(sent) / elapsed, static_cast<unsigned long long>(errors));
    return 0;
}
