// bare_consumer: the reference NFQUEUE consumer of the live benchmark (issue 4). Accepts
// everything, with the same socket code as icmpgate (filter/nfq/queue_socket.h: libmnl,
// batched verdicts) and the same batching loop shape (up to 64 datagrams, then one flush),
// but reads only the packet id: the ceiling for any queue consumer on this machine.
//
//   bare_consumer QUEUE[:LAST] [--queue-maxlen N] [--rcvbuf BYTES]
//
// One thread per queue; stops on SIGTERM/SIGINT and prints the packets it accepted.

#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink_queue.h>
#include <poll.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "filter/nfq/queue_socket.h"

namespace {

constexpr std::size_t kReceiveBufferSize = 0xFFFF + 8192;
constexpr int kDatagramsPerBatch = 64;
constexpr int kPollIntervalMs = 200;

std::atomic<bool> g_stop{false};

extern "C" void on_signal(int) {
    g_stop.store(true);
}

struct IdCollector {
    icmpgate::nfq::QueueSocket* socket;
    std::uint64_t packets{0};
};

int attribute(const nlattr* attr, void* data) {
    auto* out = static_cast<const nlattr**>(data);
    if (mnl_attr_get_type(attr) == NFQA_PACKET_HDR) *out = attr;
    return MNL_CB_OK;
}

void handle(const char* buffer, std::size_t size, IdCollector& c) {
    const auto* message = reinterpret_cast<const nlmsghdr*>(buffer);  // NOLINT: netlink framing
    int remaining = static_cast<int>(size);
    for (; mnl_nlmsg_ok(message, remaining); message = mnl_nlmsg_next(message, &remaining)) {
        if ((message->nlmsg_type & 0xFFU) != NFQNL_MSG_PACKET) continue;
        const nlattr* header = nullptr;
        if (mnl_attr_parse(message, sizeof(nfgenmsg), attribute, &header) < 0 || header == nullptr ||
            mnl_attr_get_payload_len(header) < sizeof(nfqnl_msg_packet_hdr))
            continue;
        const auto* ph = static_cast<const nfqnl_msg_packet_hdr*>(mnl_attr_get_payload(header));
        c.socket->add_verdict(ntohl(ph->packet_id), icmpgate::nfq::Verdict::accept);
        ++c.packets;
    }
}

void run_queue(icmpgate::nfq::QueueSocket& socket, std::uint64_t& accepted) {
    std::vector<char> buffer(kReceiveBufferSize);
    IdCollector c{&socket};
    pollfd pfd{socket.fd(), POLLIN, 0};
    while (!g_stop.load(std::memory_order_relaxed)) {
        if (poll(&pfd, 1, kPollIntervalMs) <= 0) continue;
        for (int i = 0; i < kDatagramsPerBatch; ++i) {
            const long n = socket.receive(buffer, false);
            if (n < 0) {
                if (errno == ENOBUFS || errno == EINTR) continue;
                break;
            }
            handle(buffer.data(), static_cast<std::size_t>(n), c);
        }
        (void)socket.flush();
    }
    (void)socket.flush();
    accepted = c.packets;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: bare_consumer QUEUE[:LAST] [--queue-maxlen N] [--rcvbuf BYTES]\n");
        return 2;
    }
    const std::string queues = argv[1];
    const auto colon = queues.find(':');
    const auto first = static_cast<std::uint16_t>(std::stoul(queues.substr(0, colon)));
    const auto last =
        colon == std::string::npos ? first : static_cast<std::uint16_t>(std::stoul(queues.substr(colon + 1)));
    icmpgate::nfq::QueueConfig config;
    config.fail_open = false;  // like icmpgate --no-fail-open in the benchmark: overflow is a counted drop
    for (int i = 2; i + 1 < argc; i += 2) {
        const std::string_view key = argv[i];
        if (key == "--queue-maxlen")
            config.max_length = static_cast<std::uint32_t>(std::stoul(argv[i + 1]));
        else if (key == "--rcvbuf")
            config.receive_buffer = static_cast<std::uint32_t>(std::stoul(argv[i + 1]));
        else {
            std::fprintf(stderr, "bare_consumer: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    std::signal(SIGTERM, on_signal);
    std::signal(SIGINT, on_signal);

    std::vector<icmpgate::nfq::QueueSocket> sockets;
    try {
        for (unsigned q = first; q <= last; ++q) {
            config.queue_number = static_cast<std::uint16_t>(q);
            sockets.emplace_back(config);
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bare_consumer: %s\n", e.what());
        return 69;
    }
    std::fprintf(stderr, "bare_consumer: filtering queues %u-%u\n", first, last);
    std::vector<std::uint64_t> accepted(sockets.size());
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < sockets.size(); ++i)
        threads.emplace_back([&, i] { run_queue(sockets[i], accepted[i]); });
    for (std::thread& t : threads) t.join();
    std::uint64_t total = 0;
    for (std::uint64_t a : accepted) total += a;
    std::printf("bare_consumer: accepted %llu\n", static_cast<unsigned long long>(total));
    return 0;
}
