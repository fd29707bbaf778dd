#include "filter/nfq/verdict_batch.h"

#include <libmnl/libmnl.h>
#include <libnetfilter_queue/libnetfilter_queue.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink_queue.h>

namespace icmpgate::nfq {

std::size_t serialize_verdicts(std::span<const PendingVerdict> verdicts, std::uint16_t queue,
                               std::span<char> out) noexcept {
    std::size_t used = 0;
    std::size_t i = 0;
    while (i < verdicts.size() && out.size() - used >= kVerdictMessageMax) {
        std::size_t end = i;
        while (end + 1 < verdicts.size() && verdicts[end + 1].verdict == verdicts[i].verdict &&
               verdicts[end + 1].id > verdicts[end].id)
            ++end;
        const int type = end == i ? NFQNL_MSG_VERDICT : NFQNL_MSG_VERDICT_BATCH;
        nlmsghdr* nlh = nfq_nlmsg_put(out.data() + used, type, queue);
        nfq_nlmsg_verdict_put(nlh, static_cast<int>(verdicts[end].id),
                              verdicts[i].verdict == Verdict::accept ? NF_ACCEPT : NF_DROP);
        used += NLMSG_ALIGN(nlh->nlmsg_len);
        i = end + 1;
    }
    return used;
}

}  // namespace icmpgate::nfq
