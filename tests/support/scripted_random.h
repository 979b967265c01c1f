// A RandomSource that hands out exactly the byte strings a test vector fixed, in order, and
// fails the test if the code under test asks for anything else.
#pragma once

#include <gtest/gtest.h>

#include <deque>

#include "models/common/bytes.h"
#include "models/crypto/random.h"

namespace sessionsim::test {

class ScriptedRandom final : public crypto::RandomSource {
public:
    void push(Bytes chunk) { script_.push_back(std::move(chunk)); }
    void fill(std::span<std::uint8_t> out) override {
        if (script_.empty()) {
            ADD_FAILURE() << "ScriptedRandom: asked for " << out.size() << " bytes, none left";
            std::fill(out.begin(), out.end(), 0);
            return;
        }
        const Bytes next = std::move(script_.front());
        script_.pop_front();
        EXPECT_EQ(next.size(), out.size()) << "ScriptedRandom: draw of unexpected size";
        std::copy_n(next.begin(), std::min(next.size(), out.size()), out.begin());
    }
    bool exhausted() const { return script_.empty(); }

private:
    std::deque<Bytes> script_;
};

}  // namespace sessionsim::test
