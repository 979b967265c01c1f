#include "sim/churn/lifetime.h"

#include <cmath>
#include <sstream>
#include <stdexcept>

namespace sessionsim::churn {

Lifetime::Lifetime(Exponential e) : law_(e) {
    if (!(e.mean_s > 0))
        throw std::invalid_argument("exponential mean must be > 0");
}

Lifetime::Lifetime(Weibull w) : law_(w) {
    if (!(w.shape > 0) || !(w.scale_s > 0))
        throw std::invalid_argument("Weibull shape and scale must be > 0");
}

double Lifetime::sample(crypto::RandomSource& random) const {
    // Inverse transform on 1 - U in (0, 1], so the logarithm is finite.
    const double u = 1.0 - random.unit();
    if (const auto* e = std::get_if<Exponential>(&law_))
        return -e->mean_s * std::log(u);
    const auto& w = std::get<Weibull>(law_);
    return w.scale_s * std::pow(-std::log(u), 1.0 / w.shape);
}

double Lifetime::mean() const {
    if (const auto* e = std::get_if<Exponential>(&law_))
        return e->mean_s;
    const auto& w = std::get<Weibull>(law_);
    return w.scale_s * std::tgamma(1.0 + 1.0 / w.shape);
}

double Lifetime::median() const {
    if (const auto* e = std::get_if<Exponential>(&law_))
        return e->mean_s * std::log(2.0);
    const auto& w = std::get<Weibull>(law_);
    return w.scale_s * std::pow(std::log(2.0), 1.0 / w.shape);
}

std::string Lifetime::describe() const {
    std::ostringstream s;
    if (const auto* e = std::get_if<Exponential>(&law_))
        s << "exponential(mean " << e->mean_s << " s)";
    else
        s << "Weibull(shape " << std::get<Weibull>(law_).shape << ", scale "
          << std::get<Weibull>(law_).scale_s << " s)";
    return s.str();
}

}  // namespace sessionsim::churn
