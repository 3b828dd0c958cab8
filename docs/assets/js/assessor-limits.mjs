/*
 * How long the assessment engine may take to start: one set of limits, imported by the page
 * (assessor-engine.mjs) and by its worker (worker/deadline.mjs), so that the page never tells the
 * reader that start-up failed while the worker is still within its limits, and a stall is still
 * reported, never an endless spinner.
 *
 * The worker enforces the limits and says what went wrong. The page only watches for a worker that
 * cannot report: its files never arrive (SILENT_MS after the page created it, no "loading"
 * message), or it never reports after "loading" (STARTUP_MS + REPORT_MS).
 */

/** A request the server has not started to answer (or start-up not yet compiling the runtime). */
export const SILENT_MS = 12_000;

/** The whole start-up: downloads flowing, then compiling and Python initialising on the CPU,
 * which a slow connection or device can stretch well past SILENT_MS. */
export const STARTUP_MS = 60_000;

/** How long the page waits beyond STARTUP_MS for the worker's own report. */
export const REPORT_MS = 5_000;
