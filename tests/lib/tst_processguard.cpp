// Every process that holds a secret protects itself first thing: no core
// file and not dumpable. In-process here (the dumpable flag has no outside
// view a root-run test could tell apart); tst_agent checks the real
// processes' core limit through /proc.
#include "platform/processguard.h"

#include <QTest>

#include <sys/prctl.h>
#include <sys/resource.h>

class TestProcessGuard final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void protectProcess_noCoreFile_notDumpable()
    {
        rlimit core {};
        QCOMPARE(getrlimit(RLIMIT_CORE, &core), 0);
        const bool coreWasOff = core.rlim_cur == 0 && core.rlim_max == 0;
        const bool wasDumpable = prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 1;
        QVERIFY2(!coreWasOff || wasDumpable, "nothing to show: already protected");

        QCOMPARE(tokenkeeper::platform::protectProcess(), QString());
        QCOMPARE(getrlimit(RLIMIT_CORE, &core), 0);
        QCOMPARE(core.rlim_cur, rlim_t(0));
        QCOMPARE(core.rlim_max, rlim_t(0));
        QCOMPARE(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
    }
};

QTEST_GUILESS_MAIN(TestProcessGuard)
#include "tst_processguard.moc"
