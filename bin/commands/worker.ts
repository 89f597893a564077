// `lifeline worker`: a process that takes plans, dispatches and re-plans from the shared PostgreSQL database
// and runs them, on this machine or another: solving scales past one machine by starting more of these
// (servers may leave solving to them with LIFELINE_JOBS=off). Its live events reach the users through the
// server nodes. Stops on SIGINT/SIGTERM, handing back the jobs it was running to be retried elsewhere.
import { readConfig } from '../../server/config.ts';
import { openDatabase } from '../../server/db/open.ts';
import { createLive, solveJobs } from '../../server/app.ts';
import { JobQueue } from '../../server/jobs/jobs.service.ts';
import { RoadMap } from '../../server/network/network.service.ts';

export async function run(): Promise<number> {
  const config = readConfig();
  if (!config.databaseUrl) {
    console.error('worker: set DATABASE_URL to the PostgreSQL server the Lifeline servers use (the embedded database belongs to one process)');
    return 2;
  }
  const db = await openDatabase(config);
  const { outbox, live } = createLive(db);
  await live.relay(config.liveChannel);
  const jobs = new JobQueue(db, { ...config.jobs, process: true });
  solveJobs({ db, outbox, live, roads: new RoadMap(db, config.mapFile), timeZone: config.timeZone, jobs });
  await jobs.ready();
  console.log(`Lifeline worker: running up to ${config.jobs.concurrency} plans, dispatches and re-plans at once from the shared database.`);
  const signal = await new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  console.log(`\n${signal}: handing back running jobs and closing…`);
  await jobs.stop();
  await live.close();
  await db.close();
  process.exit(0);
}
