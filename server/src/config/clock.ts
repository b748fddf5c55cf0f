/** The day rules judge dates against, as `YYYY-MM-DD` (UTC). */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * The clock of the CLI and the server: the system's, unless `SHIPSHAPE_TODAY=YYYY-MM-DD` names
 * another day (to reproduce a CI run of an earlier day, or to see what a date will bring). The
 * core never reads the environment: the entry points pass this clock to the service.
 */
export function environmentClock(env: NodeJS.ProcessEnv = process.env): () => Date {
  const fixed = env.SHIPSHAPE_TODAY;
  if (fixed && /^\d{4}-\d{2}-\d{2}$/.test(fixed) && !Number.isNaN(Date.parse(`${fixed}T00:00:00Z`))) {
    const date = new Date(`${fixed}T12:00:00Z`);
    return () => date;
  }
  return () => new Date();
}
