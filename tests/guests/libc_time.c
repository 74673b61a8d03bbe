/* libc_time — dates and times: gmtime, mktime, strftime and difftime on
 * fixed instants (so the output does not depend on when it runs), and the
 * clocks of now (only checked, never printed). */
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>
#include <time.h>

int main(void)
{
    char buf[64];
    time_t moon = -14182940;             /* 1969-07-20 20:17:40 UTC: before the epoch */
    struct tm tm;

    gmtime_r(&moon, &tm);
    strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S (%A, day %j)", &tm);
    printf("gmtime(-14182940): %s\n", buf);
    time_t y2038 = 2147483647;
    gmtime_r(&y2038, &tm);
    strftime(buf, sizeof buf, "%c", &tm);
    printf("gmtime(2^31 - 1): %s\n", buf);
    time_t after = (time_t)2147483647 + 86400 * 365;
    gmtime_r(&after, &tm);
    printf("a year later (64-bit time_t): %04d-%02d-%02d\n", tm.tm_year + 1900, tm.tm_mon + 1,
           tm.tm_mday);

    struct tm t = { .tm_year = 2000 - 1900, .tm_mon = 1, .tm_mday = 29, .tm_hour = 12 };
    setenv("TZ", "UTC", 1);
    tzset();
    time_t leap = mktime(&t);
    printf("mktime(2000-02-29 12:00 UTC) = %lld, weekday %d\n", (long long)leap, t.tm_wday);
    t.tm_mday += 1;
    mktime(&t);
    printf("a day later is %04d-%02d-%02d\n", t.tm_year + 1900, t.tm_mon + 1, t.tm_mday);
    printf("difftime = %g s\n", difftime(leap + 90, leap));

    time_t now = time(NULL);
    struct timeval tv;
    struct timespec ts;
    printf("time(NULL) after 2020: %s\n", now > 1577836800 ? "yes" : "no");
    printf("gettimeofday: %s\n", gettimeofday(&tv, NULL) == 0 && tv.tv_sec > 1577836800 &&
           tv.tv_usec < 1000000 ? "ok" : "wrong");
    printf("clock_gettime(CLOCK_REALTIME) within a second of time(): %s\n",
           clock_gettime(CLOCK_REALTIME, &ts) == 0 && ts.tv_sec - now <= 1 ? "yes" : "no");
    clock_t c0 = clock();
    volatile unsigned long spin = 0;
    for (unsigned long i = 0; i < 200000; i++)
        spin += i;
    printf("clock() is CPU time in CLOCKS_PER_SEC = %ld units, and it moves forward: %s\n",
           (long)CLOCKS_PER_SEC, clock() >= c0 ? "yes" : "no");
    return 0;
}
