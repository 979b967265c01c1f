// The client's clock: network-time correction (from answers, or from info checks) and what a
// 406 "clock out of sync" does, per the profile's rules (client_config.h).
#include "models/client/client.h"

#include <algorithm>
#include <utility>

#include "models/common/base64.h"
#include "models/common/json_fields.h"
#include "models/onion/response.h"

namespace sessionsim::client {

using nlohmann::json;

void Client::learn_time(const json& body, std::int64_t now) {
    if (config_.network_time != ClientConfig::NetworkTime::reply_average || !body.is_object())
        return;
    // A batch answers with each sub-request's body; the first carries the node's time too.
    const json* t = nullptr;
    if (const auto it = body.find("t"); it != body.end())
        t = &*it;
    else if (const auto r = body.find("results");
             r != body.end() && r->is_array() && !r->empty() && r->front().is_object() &&
             r->front().contains("body") && r->front().at("body").is_object() &&
             r->front().at("body").contains("t"))
        t = &r->front().at("body").at("t");
    if (!t || !t->is_number_integer())
        return;
    offset_samples_.push_back(now + config_.clock_offset_ms - t->get<std::int64_t>());
    if (offset_samples_.size() > 10)
        offset_samples_.erase(offset_samples_.begin());
    std::int64_t sum = 0;
    for (const auto o : offset_samples_)
        sum += o;
    network_offset_ms_ = sum / static_cast<std::int64_t>(offset_samples_.size());
}

void Client::check_time(std::int64_t now, ClientEvents& events) {
    if (config_.network_time != ClientConfig::NetworkTime::info_median || time_checks_out_ > 0 ||
        pool_.size() == 0)
        return;
    offset_samples_.clear();
    ++counters_.time_checks;
    const json rpc{{"method", "info"}, {"params", json::object()}};
    for (int i = 0; i < 3; ++i) {
        const NodeInfo node = pool_.nodes()[random_.uniform(pool_.size())];
        if (auto sent =
                request(Kind::time_check, node, rpc, identity_.session_id(), 0, false, now)) {
            ++time_checks_out_;
            events.insert(events.end(), sent->begin(), sent->end());
        }
    }
}

ClientEvents Client::on_time_check(const InFlight& f, const std::optional<node::WireReply>& reply,
                                   std::int64_t now) {
    ClientEvents events;
    if (reply && reply->status == 200) {
        try {
            const auto answer = onion::open_v3_reply(*f.reply_key, reply->body);
            const json body = json::parse(answer.body, nullptr, false);
            if (answer.status == 200 && body.is_object() && body.contains("t") &&
                body.at("t").is_number_integer()) {
                // The node stamped its answer halfway through the round trip.
                const std::int64_t mid = now - (now - f.sent_ms) / 2;
                offset_samples_.push_back(mid + config_.clock_offset_ms -
                                          body.at("t").get<std::int64_t>());
            }
        } catch (const InvalidInput&) {
            // an answer that does not open gives no sample
        }
    }
    if (--time_checks_out_ > 0)
        return events;
    if (!offset_samples_.empty()) {
        std::sort(offset_samples_.begin(), offset_samples_.end());
        network_offset_ms_ = offset_samples_[offset_samples_.size() / 2];
        time_checked_ = true;
    }
    for (auto& resume : std::exchange(after_time_check_, {}))
        resume(events, now);
    return events;
}

ClientEvents Client::on_clock_refusal(const InFlight& f, std::int64_t now) {
    ++counters_.clock_refusals;
    ClientEvents events;
    check_time(now, events);  // info_median: resynchronise (nothing for the other rules)
    if (f.kind != Kind::store)
        return events;  // a poll: the next one goes with the corrected time
    auto it = outgoing_.find(f.message_id);
    if (it == outgoing_.end())
        return events;
    if (config_.on_clock_refusal == ClientConfig::ClockRefusal::resync_and_retry &&
        !it->second.restamp) {
        it->second.restamp = true;
        const auto id = f.message_id;
        const auto retry = [this, id](ClientEvents& out, std::int64_t at) {
            auto more = attempt_send(id, at);
            out.insert(out.end(), more.begin(), more.end());
        };
        if (time_checks_out_ > 0)
            after_time_check_.push_back(retry);
        else
            retry(events, now);
        return events;
    }
    outgoing_.erase(it);
    events.push_back(MessageFailed{f.message_id, "406 clock out of sync"});
    return events;
}

}  // namespace sessionsim::client
