#pragma once
// Everything one queue thread counts, each counter with a single writer (that thread): what the
// queue source counts itself (messages, verdicts given, kernel overruns, send errors), what the
// pipeline counts per decision, and what the log sink held back or could not queue. Other
// threads read them for summaries, stats events and metrics.

#include "filter/pipeline/eve_log_sink.h"
#include "filter/pipeline/source_counters.h"
#include "filter/pipeline/verdict_counters.h"

namespace icmpgate::nfq {

struct QueueCounters {
    pipeline::SourceCounters source;
    pipeline::VerdictCounters verdicts;
    pipeline::LogSinkCounters log;
};

}  // namespace icmpgate::nfq
