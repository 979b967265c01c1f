// How long a node stays up (a session) or down: the distributions churn studies fit. Exponential
// is memoryless; Weibull with shape k < 1 is heavy-tailed, as measured for P2P session times
// (Stutzbach & Rejaie, IMC 2006: k 0.34-0.59). Times are in seconds.
#pragma once

#include <string>
#include <variant>

#include "models/crypto/random.h"

namespace sessionsim::churn {

struct Exponential {
    double mean_s = 0;
};
/// P(T > t) = exp(-(t/scale)^shape).
struct Weibull {
    double shape = 1;
    double scale_s = 0;
};

class Lifetime {
public:
    Lifetime(Exponential e);  // NOLINT(google-explicit-constructor): a Lifetime is either
    Lifetime(Weibull w);      // NOLINT(google-explicit-constructor)

    double sample(crypto::RandomSource& random) const;
    double mean() const;    ///< Weibull: scale * Gamma(1 + 1/shape)
    double median() const;  ///< Weibull: scale * ln(2)^(1/shape)
    std::string describe() const;

private:
    std::variant<Exponential, Weibull> law_;
};

}  // namespace sessionsim::churn
