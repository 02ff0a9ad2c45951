#pragma once

#include <QLoggingCategory>

// One logging category per area. Never log a secret: log profile names,
// status codes and error kinds, not bodies or headers.
Q_DECLARE_LOGGING_CATEGORY(lcHttp)
Q_DECLARE_LOGGING_CATEGORY(lcAuth)
Q_DECLARE_LOGGING_CATEGORY(lcSecrets)
Q_DECLARE_LOGGING_CATEGORY(lcProfiles)
Q_DECLARE_LOGGING_CATEGORY(lcAgent)
