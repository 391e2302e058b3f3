/* clock: seconds on a monotonic clock, for wall times and rates (never for
 * anything a result depends on). */
#ifndef SUBLIM_CLOCK_H
#define SUBLIM_CLOCK_H

double clock_seconds(void);

#endif
