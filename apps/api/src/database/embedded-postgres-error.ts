/**
 * Why the embedded PostgreSQL could not start or stopped, said so that a person knows what to do:
 * `problem` is what happened, `remedy` what to change, `log` the last lines PostgreSQL printed.
 */
export class EmbeddedPostgresError extends Error {
  constructor(
    readonly problem: string,
    readonly remedy: string,
    readonly log: readonly string[] = [],
  ) {
    super(
      `the embedded PostgreSQL ${problem}. ${remedy}` +
        (log.length ? `\n  its last output:\n    ${log.join('\n    ')}` : ''),
    );
    this.name = 'EmbeddedPostgresError';
  }
}
