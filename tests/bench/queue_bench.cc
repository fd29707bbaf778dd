// The daemon's per-packet path in process: the queue worker's loop (receive, parse the netlink
// message, decode, decide, verdict, counters, log line) over the benchmark corpus, with the
// kernel replaced. The program defines the few libc and libmnl functions the queue socket
// calls (poll, recv, setsockopt, mnl_socket_*; the same set before and after the socket's
// NetlinkChannel, so one harness measures both): calls from the statically linked icmpgate
// libraries bind to these definitions, so the worker runs unchanged over in-memory netlink
// datagrams built as nfnetlink_queue builds them. For instruction counts under callgrind
// (tests/bench/run.sh --callgrind counts inside QueueWorker::run and prints per packet).
//
//   queue_bench [--log none|all|rate] [--capture none|drop|all] [--packets N]
//                                                        the worker over N packets (default 10,000)
//   queue_bench --write-pcap FILE [--packets N]          the same packets as a raw-IP capture (replay)
//
// --log none: no verdict log; all: every line written (to /dev/null; --log-rate 0); rate: the
// daemon's default --log-rate 200. The monotonic clock the worker reads once per batch is
// faked (64 packets x 20 us per batch: 50 kpps, so the limiters act as in decision_bench);
// every other clock is the real one. Prints "measured packets: N" and allocations per packet.
// --capture drop|all: the evidence capture sink too (--capture-verdicts), its writer thread writing
// into a temporary directory that is removed at the end; only the queue thread's part (the sink:
// select, comment, copy into its queue; one wake-up per batch) runs inside QueueWorker::run.

#include <arpa/inet.h>
#include <dlfcn.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_queue.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <sys/socket.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "filter/capture/capture_sink.h"
#include "filter/capture/capture_writer.h"
#include "filter/log/async_line_writer.h"
#include "filter/log/log_suppressor.h"
#include "filter/nfq/interface_names.h"
#include "filter/nfq/queue_counters.h"
#include "filter/nfq/queue_socket.h"
#include "filter/nfq/queue_worker.h"
#include "filter/pipeline/active_policy.h"
#include "filter/pipeline/line_output.h"
#include "rules/policy_loader.h"
#include "tests/bench/bench_corpus.h"
#include "tests/support/alloc_counter.h"

namespace {

constexpr int kFakeFd = 1000;
constexpr std::uint32_t kFakePortId = 4242;
constexpr std::size_t kPacketsPerPoll = 64;        // a full receive batch each time: a drain
constexpr std::int64_t kPacketSpacingNs = 20'000;  // as decision_bench: 50 kpps
constexpr std::uint32_t kLoopbackIndex = 1;        // "lo": resolvable, so the name cache works
constexpr std::int64_t kCaptureStartNs = 1'764'000'000'000'000'000;

// The fake kernel: datagrams to deliver, acks owed, verdict messages seen.
struct FakeKernel {
    std::vector<std::vector<char>> datagrams;
    std::size_t next{0};
    std::size_t burst_left{0};
    std::size_t acks_owed{0};
    std::uint64_t verdict_sends{0};
    std::int64_t monotonic_ns{0};
    std::atomic<bool>* stop{nullptr};
};
FakeKernel g_kernel;
thread_local bool t_fake_monotonic = false;
alignas(16) char g_fake_socket_storage[64];

std::vector<char> packet_datagram(std::uint32_t id, std::span<const std::uint8_t> payload) {
    std::vector<char> buffer(static_cast<std::size_t>(MNL_SOCKET_BUFFER_SIZE));
    nlmsghdr* nlh = mnl_nlmsg_put_header(buffer.data());
    nlh->nlmsg_type = static_cast<std::uint16_t>((NFNL_SUBSYS_QUEUE << 8U) | NFQNL_MSG_PACKET);
    auto* nfg = static_cast<nfgenmsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(nfgenmsg)));
    nfg->nfgen_family = AF_UNSPEC;
    nfg->version = NFNETLINK_V0;
    nfqnl_msg_packet_hdr header{};
    header.packet_id = htonl(id);
    header.hw_protocol = htons((payload[0] >> 4U) == 6 ? 0x86DD : 0x0800);
    header.hook = 2;  // NF_INET_FORWARD
    mnl_attr_put(nlh, NFQA_PACKET_HDR, sizeof header, &header);
    mnl_attr_put_u32(nlh, NFQA_IFINDEX_INDEV, htonl(kLoopbackIndex));
    mnl_attr_put_u32(nlh, NFQA_IFINDEX_OUTDEV, htonl(kLoopbackIndex));
    mnl_attr_put(nlh, NFQA_PAYLOAD, payload.size(), payload.data());
    buffer.resize(nlh->nlmsg_len);
    return buffer;
}

int write_pcap(const std::string& path, const std::vector<icmpgate::bench::CorpusPacket>& corpus) {
    pcap_t* dead = pcap_open_dead_with_tstamp_precision(DLT_RAW, 65535, PCAP_TSTAMP_PRECISION_NANO);
    pcap_dumper_t* dumper = pcap_dump_open(dead, path.c_str());
    if (dumper == nullptr) {
        std::fprintf(stderr, "queue_bench: %s\n", pcap_geterr(dead));
        return 1;
    }
    std::int64_t now = kCaptureStartNs;
    for (const auto& p : corpus) {
        now += kPacketSpacingNs;
        pcap_pkthdr header{};
        header.ts.tv_sec = static_cast<time_t>(now / 1'000'000'000);
        header.ts.tv_usec = static_cast<suseconds_t>(now % 1'000'000'000);  // nanoseconds in this file
        header.caplen = header.len = static_cast<bpf_u_int32>(p.bytes.size());
        pcap_dump(reinterpret_cast<u_char*>(dumper), &header, p.bytes.data());
    }
    pcap_dump_close(dumper);
    pcap_close(dead);
    return 0;
}

}  // namespace

// ---- The interposed functions (C linkage, the names the libraries call). ----
extern "C" {

mnl_socket* mnl_socket_open(int) {
    return reinterpret_cast<mnl_socket*>(g_fake_socket_storage);
}
int mnl_socket_bind(mnl_socket*, unsigned, pid_t) {
    return 0;
}
unsigned mnl_socket_get_portid(const mnl_socket*) {
    return kFakePortId;
}
int mnl_socket_get_fd(const mnl_socket*) {
    return kFakeFd;
}
int mnl_socket_close(mnl_socket*) {
    return 0;
}

ssize_t mnl_socket_sendto(const mnl_socket*, const void* data, size_t size) {
    const auto* nlh = static_cast<const nlmsghdr*>(data);
    if ((nlh->nlmsg_flags & NLM_F_ACK) != 0)
        ++g_kernel.acks_owed;
    else
        ++g_kernel.verdict_sends;
    return static_cast<ssize_t>(size);
}

// The ack the configuration requests asked for (NLMSG_ERROR, error 0), read by recvfrom or recv.
ssize_t take_ack(void* buffer, size_t size) {
    if (g_kernel.acks_owed == 0 || size < NLMSG_SPACE(sizeof(nlmsgerr))) {
        errno = EAGAIN;
        return -1;
    }
    --g_kernel.acks_owed;
    std::memset(buffer, 0, NLMSG_SPACE(sizeof(nlmsgerr)));
    auto* nlh = static_cast<nlmsghdr*>(buffer);
    nlh->nlmsg_len = NLMSG_SPACE(sizeof(nlmsgerr));
    nlh->nlmsg_type = NLMSG_ERROR;
    return static_cast<ssize_t>(nlh->nlmsg_len);
}

ssize_t mnl_socket_recvfrom(const mnl_socket*, void* buffer, size_t size) {
    return take_ack(buffer, size);
}

int setsockopt(int, int, int, const void*, socklen_t) noexcept {
    return 0;
}

int poll(pollfd* fds, nfds_t, int) {
    if (g_kernel.next >= g_kernel.datagrams.size()) {
        g_kernel.stop->store(true);
        return 0;
    }
    g_kernel.burst_left = kPacketsPerPoll;
    g_kernel.monotonic_ns += static_cast<std::int64_t>(kPacketsPerPoll) * kPacketSpacingNs;
    fds[0].revents = POLLIN;
    return 1;
}

ssize_t recv(int, void* buffer, size_t size, int) {
    if (g_kernel.acks_owed > 0) return take_ack(buffer, size);
    if (g_kernel.burst_left == 0 || g_kernel.next >= g_kernel.datagrams.size()) {
        errno = EAGAIN;
        return -1;
    }
    --g_kernel.burst_left;
    const std::vector<char>& d = g_kernel.datagrams[g_kernel.next++];
    const std::size_t n = d.size() < size ? d.size() : size;
    std::memcpy(buffer, d.data(), n);
    return static_cast<ssize_t>(n);
}

// Only the benchmark thread's monotonic clock is fake; everything else (the log writer's
// condition variable, the wall clock of log lines) gets the real one.
int clock_gettime(clockid_t clock, timespec* ts) noexcept {
    if (t_fake_monotonic && clock == CLOCK_MONOTONIC) {
        ts->tv_sec = static_cast<time_t>(g_kernel.monotonic_ns / 1'000'000'000);
        ts->tv_nsec = static_cast<long>(g_kernel.monotonic_ns % 1'000'000'000);
        return 0;
    }
    using Real = int (*)(clockid_t, timespec*);
    static const auto real = reinterpret_cast<Real>(dlsym(RTLD_NEXT, "clock_gettime"));
    return real(clock, ts);
}

}  // extern "C"

int main(int argc, char** argv) {
    using namespace icmpgate;
    std::string log_mode = "rate";
    std::string capture_mode = "none";
    std::string pcap_path;
    std::size_t packets = 10'000;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string_view option = argv[i];
        if (option == "--log")
            log_mode = argv[i + 1];
        else if (option == "--packets")
            packets = std::stoul(argv[i + 1]);
        else if (option == "--capture")
            capture_mode = argv[i + 1];
        else if (option == "--write-pcap")
            pcap_path = argv[i + 1];
        else {
            std::fprintf(stderr,
                         "usage: queue_bench [--log none|all|rate] [--capture none|drop|all] [--packets N] "
                         "[--write-pcap FILE]\n");
            return 2;
        }
    }
    const std::vector<bench::CorpusPacket> corpus = bench::mixed_corpus(packets);
    if (!pcap_path.empty()) return write_pcap(pcap_path, corpus);

    for (std::size_t i = 0; i < corpus.size(); ++i)
        g_kernel.datagrams.push_back(packet_datagram(static_cast<std::uint32_t>(i + 1), corpus[i].bytes));
    const rules::LoadResult loaded = rules::load_policy_text(bench::default_policy_text(), "default.json");
    if (!loaded.ok()) return 1;

    pipeline::ActivePolicyHandle active{std::make_shared<pipeline::ActivePolicy>(loaded.policy, 0)};
    std::unique_ptr<log::AsyncLineWriter> writer;
    std::unique_ptr<pipeline::AsyncWriterOutput> output;
    if (log_mode != "none") {
        writer = std::make_unique<log::AsyncLineWriter>(log::AsyncLineWriter::Options{.path = "/dev/null"});
        output = std::make_unique<pipeline::AsyncWriterOutput>(*writer);
    }
    log::LogSuppressor suppressor{log_mode == "rate" ? 200U : 0U};
    nfq::InterfaceNamesEpoch epoch;
    nfq::QueueCounters counters;
    std::atomic<bool> stop{false};
    g_kernel.stop = &stop;
    nfq::WorkerOptions options;
    options.suppressor = log_mode == "rate" ? &suppressor : nullptr;
    nfq::QueueWorker worker{nfq::QueueSocket(nfq::QueueConfig{}), active, output.get(), epoch, counters, options};

    std::unique_ptr<capture::CaptureWriter> capture_writer;
    std::unique_ptr<capture::CaptureSink> capture_sink;
    std::string capture_dir;
    if (capture_mode != "none") {
        char dir_template[] = "/tmp/icmpgate-queue-bench.XXXXXX";
        if (::mkdtemp(dir_template) == nullptr) return 1;
        capture_dir = dir_template;
        capture::CaptureWriterOptions capture_options;
        capture_options.files = {capture_dir, 100U << 20U, 10};
        capture_writer = std::make_unique<capture::CaptureWriter>(capture_options);
        capture::CaptureQueue& queue = capture_writer->add_queue(4U << 20U);
        capture_sink = std::make_unique<capture::CaptureSink>(
            queue, *capture_writer,
            capture::CaptureSinkOptions{
                capture_mode == "all" ? capture::CaptureSelection::all : capture::CaptureSelection::drop,
                nfq::realtime_clock_ns});
        capture_writer->start();
        worker.add_sink(*capture_sink);
    }

    t_fake_monotonic = true;
    const std::uint64_t allocations_before = test::allocation_count();
    worker.run(stop);
    const std::uint64_t allocations = test::allocation_count() - allocations_before;
    t_fake_monotonic = false;
    if (writer) writer->flush();
    if (capture_writer) {
        capture_writer->stop();
        const capture::CaptureCounts c = capture_writer->counts();
        std::printf("capture %s: written %llu, dropped (queue full) %llu\n", capture_mode.c_str(),
                    static_cast<unsigned long long>(c[capture::CaptureCounter::written]),
                    static_cast<unsigned long long>(c[capture::CaptureCounter::dropped_queue_full]));
        std::error_code ignored;
        std::filesystem::remove_all(capture_dir, ignored);
    }

    using pipeline::SourceCounter;
    const std::uint64_t received = counters.source.get(SourceCounter::received);
    std::printf("log %s: received %llu, accepted %llu, dropped %llu, verdict sends %llu, suppressed %llu\n",
                log_mode.c_str(), static_cast<unsigned long long>(received),
                static_cast<unsigned long long>(counters.source.get(SourceCounter::accepted)),
                static_cast<unsigned long long>(counters.source.get(SourceCounter::dropped)),
                static_cast<unsigned long long>(g_kernel.verdict_sends),
                static_cast<unsigned long long>(counters.log.suppressed.get()));
    std::printf("allocations per packet: %.3f\n",
                received == 0 ? 0.0 : static_cast<double>(allocations) / static_cast<double>(received));
    std::printf("measured packets: %llu\n", static_cast<unsigned long long>(received));
    return received == packets ? 0 : 1;
}
