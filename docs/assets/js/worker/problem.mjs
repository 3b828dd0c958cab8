/* A start-up problem the reader is told about (see assessor-worker.mjs, "failed"). */

/** An error whose message is meant for the reader of the page; `detail` is for the console. */
export class RuntimeProblem extends Error {
  constructor(message, detail) {
    super(message);
    this.detail = detail;
  }
}

/** One line describing any thrown value, for details and reported problems. */
export function describe(error) {
  if (error == null) return "unknown error";
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
