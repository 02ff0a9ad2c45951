#include "faultinjector.h"

#include <QList>
#include <QRandomGenerator>

#include <utility>

namespace tokenkeeper::emulator {

namespace {

const QList<std::pair<QString, FaultInjector::Mode>> &modeNames()
{
    static const QList<std::pair<QString, FaultInjector::Mode>> names {
        {QStringLiteral("none"), FaultInjector::Mode::None},
        {QStringLiteral("5xx"), FaultInjector::Mode::ServerError},
        {QStringLiteral("429"), FaultInjector::Mode::RateLimited},
        {QStringLiteral("drop"), FaultInjector::Mode::Drop},
        {QStringLiteral("slow"), FaultInjector::Mode::Slow},
        {QStringLiteral("garbage"), FaultInjector::Mode::Garbage},
        {QStringLiteral("html"), FaultInjector::Mode::Html},
        {QStringLiteral("huge"), FaultInjector::Mode::Huge},
        {QStringLiteral("401"), FaultInjector::Mode::Unauthorized},
        {QStringLiteral("late"), FaultInjector::Mode::Late},
        {QStringLiteral("lost"), FaultInjector::Mode::Lost},
        {QStringLiteral("crlf"), FaultInjector::Mode::Injection},
        {QStringLiteral("words"), FaultInjector::Mode::Words},
    };
    return names;
}

const QList<std::pair<QString, FaultInjector::Target>> &targetNames()
{
    static const QList<std::pair<QString, FaultInjector::Target>> names {
        {QStringLiteral("token"), FaultInjector::Target::Token},
        {QStringLiteral("api"), FaultInjector::Target::Api},
        {QStringLiteral("all"), FaultInjector::Target::All},
    };
    return names;
}

template<typename T>
std::optional<T> lookup(const QList<std::pair<QString, T>> &names, const QString &name)
{
    for (const auto &[key, value] : names) {
        if (key == name) {
            return value;
        }
    }
    return std::nullopt;
}

template<typename T> QString nameOf(const QList<std::pair<QString, T>> &names, T value)
{
    for (const auto &[key, candidate] : names) {
        if (candidate == value) {
            return key;
        }
    }
    return {};
}

bool readNumber(const QJsonObject &json, const QString &key, double min, double max, double *value,
                QString *error)
{
    const QJsonValue field = json.value(key);
    if (field.isUndefined()) {
        return true;
    }
    if (!field.isDouble() || field.toDouble() < min || field.toDouble() > max) {
        *error = key + QStringLiteral(" must be a number from ") + QString::number(min)
            + QStringLiteral(" to ") + QString::number(max);
        return false;
    }
    *value = field.toDouble();
    return true;
}

} // namespace

bool FaultInjector::configure(const QJsonObject &json, QString *error)
{
    const std::optional<Mode> mode =
        lookup(modeNames(), json.value(QLatin1String("mode")).toString());
    if (!mode) {
        *error = QStringLiteral("mode must be one of none, 5xx, 429, drop, slow, garbage, html, "
                                "huge, 401, late, lost, crlf, words");
        return false;
    }
    const QJsonValue targetValue = json.value(QLatin1String("target"));
    const std::optional<Target> target =
        targetValue.isUndefined() ? Target::Token : lookup(targetNames(), targetValue.toString());
    if (!target) {
        *error = QStringLiteral("target must be one of token, api, all");
        return false;
    }
    Plan plan;
    double count = 0;
    double retryAfter = static_cast<double>(plan.retryAfter);
    double delayMs = static_cast<double>(plan.delayMs);
    if (!readNumber(json, QStringLiteral("count"), 0, 1e9, &count, error)
        || !readNumber(json, QStringLiteral("probability"), 0, 1, &plan.probability, error)
        || !readNumber(json, QStringLiteral("retryAfter"), 0, 86400, &retryAfter, error)
        || !readNumber(json, QStringLiteral("delayMs"), 0, 600000, &delayMs, error)) {
        return false;
    }
    plan.mode = *mode;
    plan.target = *target;
    plan.count = static_cast<qint64>(count);
    plan.retryAfter = static_cast<qint64>(retryAfter);
    plan.delayMs = static_cast<qint64>(delayMs);
    plan.words = json.value(QLatin1String("words")).toString();
    m_plan = plan;
    return true;
}

void FaultInjector::clear()
{
    m_plan = Plan();
}

QJsonObject FaultInjector::toJson() const
{
    return {
        {QStringLiteral("mode"), nameOf(modeNames(), m_plan.mode)},
        {QStringLiteral("target"), nameOf(targetNames(), m_plan.target)},
        {QStringLiteral("count"), m_plan.count},
        {QStringLiteral("probability"), m_plan.probability},
        {QStringLiteral("retryAfter"), m_plan.retryAfter},
        {QStringLiteral("delayMs"), m_plan.delayMs},
        {QStringLiteral("words"), m_plan.words},
    };
}

std::optional<FaultInjector::Plan> FaultInjector::take(RouteKind kind)
{
    if (m_plan.mode == Mode::None || kind == RouteKind::None) {
        return std::nullopt;
    }
    const bool targeted = m_plan.target == Target::All
        || (m_plan.target == Target::Token && kind == RouteKind::Token)
        || (m_plan.target == Target::Api && kind == RouteKind::Api);
    if (!targeted) {
        return std::nullopt;
    }
    if (m_plan.probability < 1.0
        && QRandomGenerator::global()->generateDouble() >= m_plan.probability) {
        return std::nullopt;
    }
    const Plan plan = m_plan;
    if (m_plan.count > 0 && --m_plan.count == 0) {
        clear();
    }
    return plan;
}

} // namespace tokenkeeper::emulator
