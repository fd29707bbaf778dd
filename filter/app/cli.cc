#include "filter/app/cli.h"

// GCC 12 at -O2 reports a false -Wnull-dereference inside CLI11 2.1's inline string
// helpers (std::vector<std::string> growth in CLI::detail::split); the code is correct.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <CLI/CLI.hpp>
#pragma GCC diagnostic pop

#include <cstdint>
#include <exception>
#include <optional>
#include <ostream>
#include <string>

#include "filter/app/check_command.h"
#include "filter/app/demo_command.h"
#include "filter/app/replay_command.h"
#include "filter/app/run_command.h"
#include "filter/app/version_text.h"

namespace icmpgate::app {
namespace {

// --community-id [--community-id-seed N]: Suricata's community-id / community-id-seed, off by
// default as there. Shared by replay and run.
struct CommunityIdFlags {
    bool enabled{false};
    std::uint16_t seed{0};
    [[nodiscard]] std::optional<std::uint16_t> seed_if_enabled() const {
        return enabled ? std::optional<std::uint16_t>{seed} : std::nullopt;
    }
};

void add_community_id_options(CLI::App* command, CommunityIdFlags& flags) {
    CLI::Option* enable = command->add_flag("--community-id", flags.enabled,
                                            "Add EVE's community_id (Community ID v1) to verdict records");
    command->add_option("--community-id-seed", flags.seed, "Seed of the Community ID hash, 0-65535 (0)")->needs(enable);
}

}  // namespace

int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
    CLI::App app{"icmpgate: an ICMP-aware firewall filter for Linux gateways", "icmpgate"};
    app.set_version_flag("--version", version_text(), "Print the version and exit");
    app.require_subcommand(0, 1);

    std::string check_policy;
    CLI::App* check = app.add_subcommand("check", "Validate a policy and summarise it");
    check->add_option("POLICY", check_policy, "Policy file (JSON)")->required();

    ReplayOptions replay_options;
    std::string format_name = "json";
    CLI::App* replay = app.add_subcommand("replay", "Run a pcap/pcapng capture through a policy");
    replay->add_option("--policy", replay_options.policy_path, "Policy file (JSON)")->required();
    replay->add_option("--format", format_name, "Output: json (verdict records, the default) or table")
        ->check(CLI::IsMember({"json", "table"}));
    replay->add_option("CAPTURE", replay_options.capture_path, "Capture file (pcap or pcapng)")->required();
    CommunityIdFlags replay_community_id;
    add_community_id_options(replay, replay_community_id);

    RunOptions run_options;
    std::string queues = "0";
    bool no_fail_open = false;
    CLI::App* run = app.add_subcommand("run", "Filter packets from NFQUEUE (the daemon)");
    run->add_option("--policy", run_options.policy_path, "Policy file (JSON)")->required();
    run->add_option("--queue", queues, "Queue number N, or N:M for one thread per queue (default 0)");
    run->add_option("--log", run_options.log_path, "Verdict log file, - for stdout (default -)");
    run->add_flag("--no-log", [&](std::int64_t) { run_options.log_path.clear(); }, "Write no verdict log");
    run->add_flag("--no-fail-open", no_fail_open,
                  "Drop instead of accept when the kernel queue is full (default: fail open)");
    run->add_option("--queue-maxlen", run_options.queue_max_length,
                    "Packets the kernel may hold waiting, per queue (16384); memory is held only while they wait, "
                    "at most about N x 4.5 KiB for MTU-sized packets")
        ->check(CLI::Range(1U, 1U << 20U));
    run->add_option("--copy-range", run_options.copy_range, "Bytes of each packet copied (65535)")
        ->check(CLI::Range(128U, 65535U));
    run->add_option("--rcvbuf", run_options.receive_buffer,
                    "Netlink socket receive buffer, bytes (default 1280 x --queue-maxlen, at least 1 MiB: room for "
                    "every queued packet up to about 1500 bytes; 20 MiB for the default queue length)")
        ->check(CLI::Range(65536U, 1U << 30U));
    run->add_option("--log-rate", run_options.log_lines_per_second,
                    "Verdict lines per second per rule and reason, all queues together, before suppression; 0 = unlimited (200)");
    run->add_option("--log-buffer", run_options.log_buffer_bytes,
                    "Bytes of verdict lines buffered for the log writer (8 MiB); lines beyond are dropped and counted")
        ->check(CLI::Range(std::size_t{4096}, std::size_t{1} << 30U));
    run->add_option("--stats-interval", run_options.stats_interval_seconds,
                    "Seconds between EVE stats events in the verdict log, 0 = none (60)");
    run->add_option("--metrics-file", run_options.metrics_file,
                    "Prometheus textfile, rewritten atomically (default: none)");
    run->add_option("--metrics-interval", run_options.metrics_interval_seconds,
                    "Seconds between metrics file rewrites (15)")
        ->check(CLI::Range(1U, 86400U));
    run->add_flag("--allow-insecure-policy", run_options.allow_insecure_policy,
                  "Accept a policy file that group/others can write or that another user owns");
    run->add_option("--user", run_options.user,
                    "After binding the queues and opening the log, switch to this user keeping only CAP_NET_ADMIN");
    CommunityIdFlags run_community_id;
    add_community_id_options(run, run_community_id);

    std::string demo_policy;
    CLI::App* demo = app.add_subcommand(
        "demo", "Build a namespace lab, run the daemon with the default policy, drive real traffic through it (root)");
    demo->add_option("--policy", demo_policy, "Policy to demonstrate (default: the shipped default policy)");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        // --help and --version are "errors" with exit code 0; every real parse error is a usage error.
        const int code = app.exit(error, out, err);
        return code == static_cast<int>(CLI::ExitCodes::Success) ? kExitOk : kExitUsage;
    }

    if (app.get_subcommands().empty()) {
        err << "icmpgate: a subcommand is required (check, replay, run, demo)\nRun with --help for more information.\n";
        return kExitUsage;
    }
    replay_options.format = format_name == "table" ? ReplayFormat::table : ReplayFormat::json;
    replay_options.community_id_seed = replay_community_id.seed_if_enabled();
    run_options.community_id_seed = run_community_id.seed_if_enabled();

    try {
        if (check->parsed()) return run_check(check_policy, out, err);
        if (replay->parsed()) return run_replay(replay_options, out, err);
        if (demo->parsed()) return run_demo(demo_policy, err);
        if (run->parsed()) {
            if (!parse_queue_range(queues, run_options.first_queue, run_options.last_queue)) {
                err << "icmpgate: --queue: expected N or N:M with N <= M <= 65535, got '" << queues << "'\n";
                return kExitUsage;
            }
            run_options.fail_open = !no_fail_open;
            try {
                return run_daemon(run_options, err);
            } catch (const std::exception& error) {
                // The policy was valid (that is exit 1, and no restart); anything else is the
                // system's (EX_OSERR), which a restart may cure.
                err << "icmpgate: error: " << error.what() << '\n';
                return kExitOsError;
            }
        }
    } catch (const std::exception& error) {
        err << "icmpgate: error: " << error.what() << '\n';
        return kExitInvalidInput;
    }
    return kExitUsage;
}

}  // namespace icmpgate::app
