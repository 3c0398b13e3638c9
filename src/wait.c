/*
 * Blocking calls: --nowait, --timeout and the signals that end a wait.
 *
 * SIGINT, SIGTERM and SIGHUP get a handler without SA_RESTART, so a call
 * blocked in the kernel returns EINTR having done nothing, and the verb
 * exits 128+signal with nothing lost or half done.  System V msgsnd and
 * msgrcv have no timed form: a timer raises SIGALRM at the deadline, with
 * the same effect, and goes on ticking so that a deadline that passes just
 * before a call is entered still ends it.
 */
#include <sys/time.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "infra.h"

static volatile sig_atomic_t caught;	/* SIGINT, SIGTERM or SIGHUP */
static volatile sig_atomic_t expired;
static volatile sig_atomic_t exiting;	/* exit handlers have begun */
static struct timespec deadline;	/* CLOCK_REALTIME, for mq_timed* */
static struct timespec monotonic_end;
static bool have_deadline, nowait;

static void handle(int);

static void
on_signal(int sig)
{
	if (sig == SIGALRM)
		expired = 1;
	else {
		caught = sig;
		if (!exiting)
			wait_nudge();
	}
}

static void
handle(int sig)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

/*
 * From a signal handler: a signal that lands just before a blocking call
 * is entered would not interrupt it, so SIGALRM goes on interrupting every
 * 10 ms until the caller has looked.  (A deadline is moot by then.)
 */
void
wait_nudge(void)
{
	struct itimerval it = { { 0, 10000 }, { 0, 10000 } };

	handle(SIGALRM);
	setitimer(ITIMER_REAL, &it, NULL);
}

void
wait_nudge_stop(void)
{
	struct itimerval off = { { 0, 0 }, { 0, 0 } };

	setitimer(ITIMER_REAL, &off, NULL);
}

/*
 * At exit, whatever the path (a timeout's die, a write error, main's
 * return): no SIGALRM may go on firing into exit handlers, where
 * LeakSanitizer's check restarts on each one and never ends.  Nor may a
 * SIGTERM that lands during that check (timeout(1) ending a test) start
 * the nudging timer again: the process then spun for ever.
 */
static void
timers_off_at_exit(void)
{
	exiting = 1;
	signal(SIGALRM, SIG_IGN);
	wait_nudge_stop();
}

static void
stop_timers_at_exit(void)
{
	static bool registered;

	if (!registered && atexit(timers_off_at_exit) == 0)
		registered = true;
}

static struct timespec
ts_add(struct timespec a, struct timespec b)
{
	a.tv_sec += b.tv_sec;
	a.tv_nsec += b.tv_nsec;
	if (a.tv_nsec >= 1000000000L) {
		a.tv_sec++;
		a.tv_nsec -= 1000000000L;
	}
	return a;
}

/* How long blocking calls may wait: never (no_wait), dur, or for ever. */
void
wait_setup(bool no_wait, const struct timespec *timeout)
{
	struct timespec now, dur;

	stop_timers_at_exit();
	nowait = no_wait;
	if (nowait && timeout != NULL)
		die_usage("--nowait and --timeout exclude each other");
	handle(SIGINT);
	handle(SIGTERM);
	handle(SIGHUP);
	if (timeout == NULL)
		return;
	dur = *timeout;
	clock_gettime(CLOCK_REALTIME, &now);
	deadline = ts_add(now, dur);
	clock_gettime(CLOCK_MONOTONIC, &now);
	monotonic_end = ts_add(now, dur);
	have_deadline = true;
}

bool
wait_nowait(void)
{
	return nowait;
}

/* For mq_timedsend and friends: NULL means wait for ever. */
const struct timespec *
wait_deadline(void)
{
	return have_deadline ? &deadline : NULL;
}

/* Time left, for semtimedop; NULL means wait for ever. */
const struct timespec *
wait_left(struct timespec *buf)
{
	struct timespec now;

	if (!have_deadline)
		return NULL;
	clock_gettime(CLOCK_MONOTONIC, &now);
	buf->tv_sec = monotonic_end.tv_sec - now.tv_sec;
	buf->tv_nsec = monotonic_end.tv_nsec - now.tv_nsec;
	if (buf->tv_nsec < 0) {
		buf->tv_sec--;
		buf->tv_nsec += 1000000000L;
	}
	if (buf->tv_sec < 0)
		buf->tv_sec = buf->tv_nsec = 0;
	return buf;
}

/* Start the SIGALRM timer for calls that have no timed form. */
void
wait_arm_alarm(void)
{
	struct itimerval it = { { 0, 10000 }, { 0, 0 } };
	struct timespec left;

	if (!have_deadline)
		return;
	stop_timers_at_exit();
	handle(SIGALRM);
	wait_left(&left);
	it.it_value.tv_sec = left.tv_sec;
	it.it_value.tv_usec = left.tv_nsec / 1000;
	if (it.it_value.tv_sec == 0 && it.it_value.tv_usec == 0)
		it.it_value.tv_usec = 1;
	setitimer(ITIMER_REAL, &it, NULL);
}

void
wait_disarm_alarm(void)
{
	struct itimerval off = { { 0, 0 }, { 0, 0 } };

	if (have_deadline)
		setitimer(ITIMER_REAL, &off, NULL);
}

/*
 * Exit 128+signal with the nudge stopped first: a SIGALRM every 10 ms
 * must not interrupt exit handlers (LeakSanitizer's exit-time check
 * restarted on each one and never finished).
 */
#ifdef __SANITIZE_ADDRESS__
/*
 * Sanitized builds only: LeakSanitizer asks this before its exit-time
 * check.  That check stops the process under ptrace from a helper, which
 * then waits for the SIGSTOP of its PTRACE_ATTACH; timeout(1) follows its
 * SIGTERM with a SIGCONT, and one that lands in between discards that
 * SIGSTOP: helper and process then wait for each other for ever (seen as
 * sanitized ipctools spinning in sched_yield after a test's timeout).  So
 * no leak check on the way out from a signal; every other exit has one.
 */
int	__lsan_is_turned_off(void);

int
__lsan_is_turned_off(void)
{
	return caught != 0;
}
#endif

static void
exit_caught(void)
{
	wait_nudge_stop();
	exit(128 + caught);
}

/*
 * After a blocking call failed with EINTR: exit if a signal or the
 * deadline ended the wait; return if the call should simply be retried.
 */
void
wait_interrupted(const char *operand)
{
	if (caught != 0)
		exit_caught();
	if (expired)
		die_on(EXIT_BLOCK, operand, "timed out");
}

/* A signal came while we were not blocked: end now, between two steps. */
void
wait_check_signal(void)
{
	if (caught != 0)
		exit_caught();
}

bool
wait_expired(void)
{
	return expired != 0;
}
