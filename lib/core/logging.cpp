#include "logging.h"

Q_LOGGING_CATEGORY(lcHttp, "tokenkeeper.net.http", QtWarningMsg)
Q_LOGGING_CATEGORY(lcAuth, "tokenkeeper.auth", QtWarningMsg)
Q_LOGGING_CATEGORY(lcSecrets, "tokenkeeper.secrets", QtWarningMsg)
Q_LOGGING_CATEGORY(lcProfiles, "tokenkeeper.profiles", QtWarningMsg)
Q_LOGGING_CATEGORY(lcAgent, "tokenkeeper.agent", QtWarningMsg)
