// A failure that keeps a result: a plugin throws it when the task must end FAILED but what it got
// so far is worth keeping (e.g. an LLM's answer that never matched its schema). The task's `error`
// is the message, its `result` this error's `result`.
export class TaskFailure extends Error {
  constructor(
    message: string,
    readonly result: unknown,
  ) {
    super(message);
    this.name = 'TaskFailure';
  }
}
