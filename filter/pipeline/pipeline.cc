#include "filter/pipeline/pipeline.h"

#include <stdexcept>

namespace icmpgate::pipeline {

void Pipeline::add_sink(PacketSink& sink) {
    if (sink_count_ == kMaxSinks) throw std::length_error("a pipeline takes at most 4 sinks");
    sinks_[sink_count_++] = &sink;
}

void Pipeline::begin_batch(ActivePolicy& policy, std::int64_t now_ns) {
    policy_ = &policy;
    for (std::size_t i = 0; i < sink_count_; ++i) sinks_[i]->begin_batch(now_ns, *policy.policy);
}

void Pipeline::end_batch() {
    for (std::size_t i = 0; i < sink_count_; ++i) sinks_[i]->end_batch();
}

void Pipeline::finish() {
    if (policy_ == nullptr) return;  // no batch ever began: nothing was held back
    for (std::size_t i = 0; i < sink_count_; ++i) sinks_[i]->finish(*policy_->policy);
}

}  // namespace icmpgate::pipeline
