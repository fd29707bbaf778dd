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
#include <vector>

#include "filter/app/check_command.h"
#include "filter/app/compare_command.h"
#include "filter/app/demo_command.h"
#include "filter/app/replay_command.h"
#include "filter/app/run_command.h"
#include "filter/app/version_text.h"
#include "filter/app/watch_command.h"
#include "filter/log/ip_text.h"

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

// Returns the --community-id flag.
CLI::Option* add_community_id_options(CLI::App* command, CommunityIdFlags& flags) {
    CLI::Option* enable = command->add_flag("--community-id", flags.enabled,
                                            "Add EVE's community_id (Community ID v1) to verdict records");
    command->add_option("--community-id-seed", flags.seed, "Seed of the Community ID hash, 0-65535 (0)")->needs(enable);
    return enable;
}

// --expand-ipv6: Suricata's expanded IPv6 text instead of RFC 5952's. Shared by replay and run.
void add_ipv6_text_option(CLI::App* command, bool& expanded) {
    command->add_flag("--expand-ipv6", expanded,
                      "Write IPv6 addresses in Suricata's expanded form (2001:0db8:0000:...) instead of RFC 5952's");
}

// --capture DIR and its companions: evidence captures (docs/operations.md, "Evidence captures").
// Shared by run and watch.
void add_capture_options(CLI::App* command, CaptureSettings& settings) {
    CLI::Option* dir = command->add_option(
        "--capture", settings.directory,
        "Write the packets --capture-verdicts selects, with their verdicts as comments, to pcapng files in DIR");
    command
        ->add_option_function<std::string>(
            "--capture-verdicts",
            [&settings](const std::string& word) {
                settings.selection = word == "all" ? capture::CaptureSelection::all : capture::CaptureSelection::drop;
            },
            "Which packets --capture writes: drop (dropped ones, the default) or all")
        ->check(CLI::IsMember({"drop", "all"}))
        ->needs(dir);
    command->add_option("--capture-size", settings.file_mib, "MiB per capture file before the next is started (100)")
        ->check(CLI::Range(1U, 1U << 20U))
        ->needs(dir);
    command->add_option("--capture-files", settings.files, "Capture files kept; the oldest is removed (10)")
        ->check(CLI::Range(1U, 100000U))
        ->needs(dir);
    command
        ->add_option("--capture-buffer", settings.queue_bytes,
                     "Bytes of packets queued per packet thread for the capture writer (4 MiB); packets beyond are "
                     "dropped from the capture and counted")
        ->check(CLI::Range(std::size_t{256} << 10U, std::size_t{1} << 30U))
        ->needs(dir);
}

log::Ipv6Text ipv6_text(bool expanded) {
    return expanded ? log::Ipv6Text::expanded : log::Ipv6Text::rfc5952;
}

// A usage error: "icmpgate: [SUBCOMMAND: ]MESSAGE" and where to find the usage, exit 2.
int usage_error(std::ostream& err, const CLI::App* command, const std::string& message) {
    const std::string name = command == nullptr ? "" : command->get_name();
    err << "icmpgate: " << (name.empty() ? "" : name + ": ") << message << "\nTry 'icmpgate "
        << (name.empty() ? "" : name + " ") << "--help' for more information.\n";
    return kExitUsage;
}

// The first argument the parser could not place, named as GNU tools name it, or "" when there
// is none. Checked before CLI11's own message, which for `run --bogus` would only say that
// --policy is missing.
std::string unexpected_argument(const CLI::App& app, const CLI::App*& where) {
    auto describe = [](const std::string& arg, bool top_level) {
        if (arg.size() > 1 && arg[0] == '-') return "unrecognized option '" + arg + "'";
        return top_level ? "unknown subcommand '" + arg + "' (expected check, replay, run, watch or demo)"
                         : "unexpected argument '" + arg + "'";
    };
    for (const CLI::App* command : app.get_subcommands()) {
        const std::vector<std::string> left = command->remaining();
        if (!left.empty()) {
            where = command;
            return describe(left.front(), false);
        }
    }
    const std::vector<std::string> left = app.remaining();
    if (!left.empty()) {
        where = nullptr;
        return describe(left.front(), true);
    }
    return "";
}

// CLI11's message, reworded where it reads oddly after "icmpgate: run: ".
std::string parser_message(const CLI::ParseError& error) {
    const std::string what = error.what();
    // "Could not convert: --log-rate = lots"
    constexpr std::string_view kConvert = "Could not convert: ";
    const std::size_t equals = what.find(" = ");
    if (what.starts_with(kConvert) && equals != std::string::npos)
        return what.substr(kConvert.size(), equals - kConvert.size()) + ": '" + what.substr(equals + 3) +
               "' is not a valid value";
    return what;
}

}  // namespace

int run_cli(int argc, const char* const* argv, std::istream& in, std::ostream& out, std::ostream& err) {
    CLI::App app{"icmpgate: an ICMP-aware firewall filter for Linux gateways", "icmpgate"};
    // A plain flag rather than CLI11's version flag, which prints and exits as soon as it is
    // seen: `icmpgate --version extra` is a usage error, as in GNU tools.
    bool version = false;
    app.add_flag("--version", version, "Print the version and exit");
    app.require_subcommand(0, 1);

    std::string check_policy;
    CLI::App* check = app.add_subcommand("check", "Validate a policy and summarise it");
    check->add_option("POLICY", check_policy, "Policy file (JSON), - for standard input")->required();

    ReplayOptions replay_options;
    std::string format_name = "json";
    CLI::App* replay = app.add_subcommand("replay", "Run a pcap/pcapng capture through a policy");
    replay->add_option("--policy", replay_options.policy_path, "Policy file (JSON)")->required();
    replay->add_option("--format", format_name, "Output: json (verdict records, the default) or table")
        ->check(CLI::IsMember({"json", "table"}));
    replay->add_option("CAPTURE", replay_options.capture_path, "Capture file (pcap or pcapng)")->required();
    CommunityIdFlags replay_community_id;
    CLI::Option* replay_community_id_flag = add_community_id_options(replay, replay_community_id);
    bool replay_expand_ipv6 = false;
    add_ipv6_text_option(replay, replay_expand_ipv6);
    CLI::Option* replay_log_rate =
        replay->add_option("--log-rate", replay_options.log_lines_per_second,
                           "As run's --log-rate, over the capture's time (json only); 0 = every line (the default)");
    // --compare: the frames two policies judge differently, instead of verdict records.
    CLI::Option* replay_monitor =
        replay->add_flag("--monitor", replay_options.monitor,
                         "As run --monitor: every frame accepted, each record saying what the policy would have done");
    CLI::Option* replay_compare =
        replay
            ->add_option("--compare", replay_options.compare_policy_path,
                         "Old policy: decide every frame with both, print the frames whose verdict, reason or rule "
                         "differ and a summary; exit 0 when none differs, 1 when some do, 2 on errors")
            ->excludes(replay_log_rate)
            ->excludes(replay_community_id_flag)
            ->excludes(replay_monitor);

    RunOptions run_options;
    std::string queues = "0";
    bool no_fail_open = false;
    CLI::App* run = app.add_subcommand("run", "Filter packets from NFQUEUE (the daemon)");
    run->add_option("--policy", run_options.policy_path, "Policy file (JSON)")->required();
    run->add_option("--queue", queues, "Queue number N, or N:M for one thread per queue (default 0)");
    run->add_option("--log", run_options.log_path, "Verdict log file, - for stdout (default -)");
    run->add_flag(
        "--no-log", [&](std::int64_t) { run_options.log_path.clear(); }, "Write no verdict log");
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
    run->add_option(
        "--log-rate", run_options.log_lines_per_second,
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
    run->add_flag("--monitor", run_options.monitor,
                  "Accept every packet and log what the policy would have done (icmpgate.monitor); a reload "
                  "cannot change this");
    run->add_flag("--allow-insecure-policy", run_options.allow_insecure_policy,
                  "Accept a policy file that group/others can write or that another user owns");
    run->add_option("--user", run_options.user,
                    "After binding the queues and opening the log, switch to this user keeping only CAP_NET_ADMIN");
    CommunityIdFlags run_community_id;
    add_community_id_options(run, run_community_id);
    bool run_expand_ipv6 = false;
    add_ipv6_text_option(run, run_expand_ipv6);
    add_capture_options(run, run_options.capture);

    WatchOptions watch_options;
    CLI::App* watch = app.add_subcommand(
        "watch", "Log the verdicts the policy would give the ICMP on a live interface (libpcap; nothing is blocked)");
    watch->add_option("--policy", watch_options.policy_path, "Policy file (JSON)")->required();
    watch->add_option("--interface", watch_options.interface, "Interface to capture on (needs CAP_NET_RAW)")
        ->required();
    watch->add_option("--log", watch_options.log_path, "Verdict log file, - for stdout (default -)");
    watch->add_flag(
        "--no-log", [&](std::int64_t) { watch_options.log_path.clear(); }, "Write no verdict log");
    watch->add_option("--log-rate", watch_options.log_lines_per_second,
                      "As run's --log-rate, over the frames' capture time; 0 = unlimited (200)");
    watch
        ->add_option("--log-buffer", watch_options.log_buffer_bytes,
                     "Bytes of verdict lines buffered for the log writer (8 MiB); lines beyond are dropped and counted")
        ->check(CLI::Range(std::size_t{4096}, std::size_t{1} << 30U));
    watch->add_option("--snaplen", watch_options.snaplen, "Bytes kept of each frame (65535)")
        ->check(CLI::Range(128U, 65535U));
    watch
        ->add_option("--pcap-buffer", watch_options.pcap_buffer_bytes,
                     "Bytes of the kernel's capture ring (4 MiB); frames beyond are dropped and counted")
        ->check(CLI::Range(65536U, 1U << 30U));
    watch->add_flag("!--no-promiscuous", watch_options.promiscuous,
                    "Do not put the interface into promiscuous mode (a span port needs it: the default is on)");
    watch->add_flag("--allow-insecure-policy", watch_options.allow_insecure_policy,
                    "Accept a policy file that group/others can write or that another user owns");
    watch->add_option("--user", watch_options.user,
                      "After opening the interface and the log, switch to this user keeping no capability");
    CommunityIdFlags watch_community_id;
    add_community_id_options(watch, watch_community_id);
    bool watch_expand_ipv6 = false;
    add_ipv6_text_option(watch, watch_expand_ipv6);
    add_capture_options(watch, watch_options.capture);

    std::string demo_policy;
    CLI::App* demo = app.add_subcommand(
        "demo", "Build a namespace lab, run the daemon with the default policy, drive real traffic through it (root)");
    demo->add_option("--policy", demo_policy, "Policy to demonstrate (default: the shipped default policy)");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        // --help is an "error" with exit code 0: CLI11 prints the help.
        if (error.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) return app.exit(error, out, err);
        if (version) return usage_error(err, nullptr, "--version takes no other arguments");
        const CLI::App* where = nullptr;
        const std::string unexpected = unexpected_argument(app, where);
        if (!unexpected.empty()) return usage_error(err, where, unexpected);
        const std::vector<CLI::App*> chosen = app.get_subcommands();
        return usage_error(err, chosen.empty() ? nullptr : chosen.front(), parser_message(error));
    }

    if (version) {
        if (!app.get_subcommands().empty()) return usage_error(err, nullptr, "--version takes no other arguments");
        out << version_text() << '\n';
        return kExitOk;
    }
    if (app.get_subcommands().empty())
        return usage_error(err, nullptr, "a subcommand is required (check, replay, run, watch or demo)");
    replay_options.format = format_name == "table" ? ReplayFormat::table : ReplayFormat::json;
    replay_options.community_id_seed = replay_community_id.seed_if_enabled();
    replay_options.ipv6_text = ipv6_text(replay_expand_ipv6);
    run_options.community_id_seed = run_community_id.seed_if_enabled();
    watch_options.community_id_seed = watch_community_id.seed_if_enabled();
    watch_options.ipv6_text = ipv6_text(watch_expand_ipv6);
    run_options.ipv6_text = ipv6_text(run_expand_ipv6);

    try {
        if (check->parsed()) return run_check(check_policy, in, out, err);
        if (replay->parsed() && replay_compare->count() > 0) {
            if (replay_options.compare_policy_path.empty())
                return usage_error(err, replay, "--compare: an empty file name");
            try {
                return run_compare(replay_options, out, err);
            } catch (const std::exception& error) {
                err << "icmpgate: error: " << error.what() << '\n';
                return kExitCompareTrouble;  // diff(1)'s "trouble"; 1 would read as "differs"
            }
        }
        if (replay->parsed()) return run_replay(replay_options, out, err);
        if (demo->parsed()) return run_demo(demo_policy, err);
        if (watch->parsed()) {
            try {
                return run_watch(watch_options, err);
            } catch (const std::exception& error) {
                err << "icmpgate: error: " << error.what() << '\n';
                return kExitOsError;
            }
        }
        if (run->parsed()) {
            if (!parse_queue_range(queues, run_options.first_queue, run_options.last_queue))
                return usage_error(err, run, "--queue: expected N or N:M with N <= M <= 65535, got '" + queues + "'");
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
