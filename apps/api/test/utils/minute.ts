// Waiting out a minute's last seconds before setting up an every-minute schedule. A tick sent in a
// minute's last seconds may become a task only after the minute turned, and a test that counts
// tasks per minute by their createdAt (when a worker took the tick) would count it twice there.

const MINUTE = 60_000;

/** Resolves at once before second `latest` of the minute, else 5 s into the next minute. */
export async function awayFromMinuteEnd(latest = 40): Promise<void> {
  const second = (Date.now() % MINUTE) / 1000;
  if (second > latest) await new Promise((r) => setTimeout(r, (65 - second) * 1000));
}
